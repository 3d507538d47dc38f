"""The participant's and the projector's pages as plain ipywidgets.

A page knows who it is for only through the token in its URL, checked against the
store (:func:`separ.tokens.actor_for`). It follows the facilitator's live state: when
the activity, session or target changes it swaps the activity view, otherwise it asks the
view to ``refresh()``. The process's one poller (:mod:`separ.live.runtime`) calls
:meth:`on_change` after every store change.
"""

from __future__ import annotations

import base64
import html
import logging
from typing import Any

import ipywidgets as widgets

from separ.actors import Actor
from separ.errors import SeparError
from separ.live import activities
from separ.live.runtime import shared
from separ.store import Store
from separ.tokens import actor_for, live_state

log = logging.getLogger(__name__)

STYLE = """
<style>
html, body { overflow-x: hidden; }
.separ-page, .separ-page * { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo",
  "Malgun Gothic", sans-serif !important; box-sizing: border-box; }
.separ-page { max-width: 640px; margin: 0 auto; padding: 12px; font-size: 18px; }
.separ-page p { line-height: 1.5; margin: 6px 0; }
.separ-lead { font-size: 19px; }
.separ-page .widget-button, .separ-page .jupyter-button { font-size: 19px !important;
  min-height: 48px; border-radius: 10px; }
.separ-page input[type=text] { font-size: 18px !important; min-height: 48px; width: 100%; }
.separ-page .widget-text { width: 100%; margin: 6px 0; }
.separ-page .widget-inline-hbox, .separ-page .widget-button, .separ-page .widget-text {
  max-width: 100%; margin-left: 0 !important; margin-right: 0 !important; }
.separ-page .widget-checkbox { min-height: 44px; }
.separ-page select { min-height: 44px; max-width: 100%; }
.separ-page .widget-label { text-align: left !important; }
.separ-page .widget-toggle-button.mod-active, .separ-page .widget-toggle-buttons
  .mod-active { background: #0d47a1 !important; color: #fff !important;
  box-shadow: inset 0 0 0 3px #ffb300 !important; font-weight: bold; }
.separ-page :focus-visible { outline: 3px solid #e65100 !important; outline-offset: 2px; }
.separ-error { color: #b00020; font-weight: bold; }
.separ-ok { color: #1b5e20; font-weight: bold; font-size: 18px; }
.separ-page h1, .separ-page h2 { line-height: 1.3; }
.separ-who { color: #555; font-size: 15px; }
.separ-projector { max-width: none; font-size: 30px; padding: 24px; }
.separ-projector h1 { font-size: 48px; margin: 0 0 12px 0; }
.separ-count { font-size: 44px; margin: 8px 0 16px 0; }
.separ-cards { display: flex; flex-wrap: wrap; gap: 16px; }
.separ-card { background: #f1f5f9; border-radius: 14px; padding: 14px 20px; font-size: 34px;
  min-width: 240px; }
.separ-card b { display: block; line-height: 1.35; }
.separ-projector h1, .separ-count { overflow-wrap: anywhere; }
.separ-card span { display: block; font-size: 28px; color: #333; line-height: 1.35; }
.separ-qr img { width: 100%; max-width: 420px; }
.separ-join { font-size: 26px; word-break: break-all; }
.separ-poll-results, .separ-poll-results * { line-height: 1.35 !important; }
.separ-poll-results h3 { font-size: 40px; margin: 8px 0; }
.separ-poll-results p { font-size: 26px; margin: 4px 0; }
.separ-poll-results table { font-size: 40px !important; border-collapse: collapse; margin: 8px 0; }
.separ-poll-results td, .separ-poll-results th { padding: 4px 32px 4px 0; text-align: left; }
.separ-poll-results img { width: 100%; max-width: 1200px; }
@media (max-width: 700px) {
  .separ-poll-results h3 { font-size: 22px; }
  .separ-poll-results p { font-size: 16px; }
  .separ-poll-results table { font-size: 20px !important; }
  .separ-poll-results td, .separ-poll-results th { padding: 2px 12px 2px 0; }
  .separ-projector { padding: 12px; font-size: 20px; }
  .separ-projector h1 { font-size: 26px; }
  .separ-count { font-size: 26px; }
  .separ-card { font-size: 22px; min-width: 0; width: 100%; }
  .separ-card span { font-size: 18px; }
  .separ-join { font-size: 16px; }
}
</style>
"""


def _message(exc: SeparError) -> str:
    return f"<p class='separ-error'>{html.escape(exc.message('ko'))}</p>"


def close_tree(widget: Any) -> None:
    """Close a view and every widget in it (``Widget.close`` does not recurse): a swapped-out
    view's buttons then no longer exist on the server, and its memory is freed."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    parts = [getattr(widget, "layout", None), getattr(widget, "style", None)]
    widget.close()
    for part in parts:
        if isinstance(part, widgets.Widget):
            part.close()


class LivePage(widgets.VBox):  # type: ignore[misc]
    """Shows the live activity's view and swaps it when the facilitator changes activity."""

    waiting = "<p class='separ-lead'>진행자가 활동을 시작하면 이 화면이 저절로 바뀝니다.</p>"

    def __init__(self, store: Store, css_class: str) -> None:
        self.store = store
        self.slot = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.view: Any = None
        self.showing: tuple[str | None, str | None, str | None] | None = None
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("separ-page")
        self.add_class(css_class)

    def show(self, *items: widgets.Widget) -> None:
        self.children = items

    def build_view(self, activity: activities.Activity, target_id: str | None) -> Any:
        raise NotImplementedError

    def show_live(self) -> None:
        """Swap or refresh the activity view to match the store's live state.

        The live state is read once per sweep of the poller, not once per page.
        """
        state = shared("live_state", lambda: live_state(self.store))
        wanted = (state.activity, state.session_id, state.target_id)
        if wanted == self.showing and self.view is not None:
            refresh = getattr(self.view, "refresh", None)
            if callable(refresh):
                refresh()
            return
        activity = activities.get(state.activity) if state.activity else None
        old = self.view
        if activity is None:
            self.view = None
            self.slot.children = (widgets.HTML(self.waiting),)
        else:
            self.view = self.build_view(activity, state.target_id)
            self.slot.children = (self.view,)
        self.showing = wanted
        if old is not None:
            close_tree(old)


class ParticipantPage(LivePage):
    """A phone's page: the live activity for the person its token (cookie or link) names.

    Joining happens before this page, on the plain HTML join form
    (:mod:`separ.live.entry`); a page without a valid token only says where to go.
    """

    def __init__(self, store: Store, token: str | None) -> None:
        super().__init__(store, "separ-participant")
        self.actor: Actor | None = actor_for(store, token)
        if self.actor is None:
            problem = _message(SeparError("token_unknown")) if token else ""
            self.show(widgets.HTML(STYLE), widgets.HTML(
                f"{problem}<p class='separ-lead'><a href='/'>참여하기 화면으로 가기</a></p>"))
        else:
            self.show(widgets.HTML(STYLE), widgets.HTML(
                f"<p class='separ-who'>{html.escape(self.actor.display_name)} 님</p>"),
                self.slot)
            self.show_live()

    def build_view(self, activity: activities.Activity, target_id: str | None) -> Any:
        assert self.actor is not None
        return activity.participant_view(self.store, self.actor, target_id)

    def on_change(self) -> None:
        if self.actor is not None:
            self.show_live()


def qr_data_uri(url: str) -> str:
    """The join link as an inline SVG QR code (no file, no outside service)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class ProjectorPage(LivePage):
    """The projector: the join QR code and link, and the live activity in large type."""

    live_priority = 0
    """Refreshed before the phones after every change (see :meth:`Hub.notify`)."""

    def __init__(self, store: Store, token: str | None, join_url: str) -> None:
        super().__init__(store, "separ-projector")
        actor = actor_for(store, token)
        if actor is None or not actor.facilitator:
            self.show(widgets.HTML(STYLE), widgets.HTML(
                "<p class='separ-error'>진행자 권한이 필요합니다</p>"))
            self.allowed = False
            return
        self.allowed = True
        title = html.escape(store.workshop().title)
        join = widgets.HTML(
            f"<div class='separ-qr'><img alt='QR' src='{qr_data_uri(join_url)}'></div>"
            f"<p class='separ-join'>{html.escape(join_url)}</p>",
            layout=widgets.Layout(flex="0 1 440px", min_width="0"))
        self.slot.layout.flex = "1 1 320px"
        self.slot.layout.min_width = "0"
        self.show(widgets.HTML(STYLE), widgets.HTML(f"<h1>{title}</h1>"),
                  widgets.HBox([self.slot, join], layout=widgets.Layout(
                      width="100%", justify_content="space-between", flex_flow="row wrap")))
        self.show_live()

    def build_view(self, activity: activities.Activity, target_id: str | None) -> Any:
        return activity.projector_view(self.store, target_id)

    def on_change(self) -> None:
        if self.allowed:
            self.show_live()
