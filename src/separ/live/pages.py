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
from separ.i18n import Lang, add_messages, text
from separ.live import activities
from separ.live.runtime import shared
from separ.store import Store
from separ.tokens import LiveState, actor_for, can_project, live_state

log = logging.getLogger(__name__)

add_messages(
    {
        "live_pages_lost_taps": {
            "ko": "연결이 다시 이어졌습니다. 끊긴 동안 입력하거나 누른 것은 저장되지 않았습니다. "
            "다시 해 주세요.",
            "en": "The connection is back. What you typed or tapped while it was down was not "
            "saved: please do it again.",
        },
        "live_pages_waiting": {
            "ko": "진행자가 활동을 시작하면 이 화면이 저절로 바뀝니다.",
            "en": "This screen changes by itself when the facilitator starts an activity.",
        },
        "live_pages_to_join": {"ko": "참여하기 화면으로 가기", "en": "Go to the join page"},
        "live_pages_who": {"ko": "{name} 님", "en": "{name}"},
        "live_pages_bad_projector": {
            "ko": "프로젝터 주소가 올바르지 않습니다",
            "en": "This is not a valid projector link",
        },
    }
)

# Text at 200 % (a phone's zoom lays the page out at half its CSS width) and long words:
# labels and button texts wrap, a description goes above its field when both do not fit,
# buttons grow with their text, nothing runs out of its box or off the screen
# (tests/e2e/test_a11y.py). The focus outline names text fields again: ipywidgets takes
# theirs away with a more specific ``outline: none !important``. Comments stay here, not in
# the CSS every phone is sent.
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
.separ-page .widget-label, .separ-page .widget-label-basic, .separ-page .jupyter-button {
  white-space: normal; word-break: keep-all; overflow-wrap: anywhere; max-width: 100%;
  height: auto; line-height: 1.3; }
.separ-page .jupyter-button { height: auto !important; padding-top: 6px; padding-bottom: 6px; }
.separ-page .widget-inline-hbox { flex-wrap: wrap; min-width: 0; }
.separ-page .widget-inline-hbox > select, .separ-page .widget-inline-hbox > input,
  .separ-page .widget-inline-hbox > textarea { flex: 1 1 0; min-width: min(8em, 100%);
  width: 100%; }
.separ-page .widget-checkbox { width: auto; }
.separ-page .widget-checkbox label { min-height: 44px; display: flex; align-items: center; }
.separ-page .widget-toggle-button.mod-active, .separ-page .widget-toggle-buttons
  .mod-active { background: #0d47a1 !important; color: #fff !important;
  box-shadow: inset 0 0 0 3px #ffb300 !important; font-weight: bold; }
.separ-page :focus-visible, .separ-page .jupyter-widgets input:focus-visible {
  outline: 3px solid #e65100 !important; outline-offset: 2px; }
.separ-page .separ-hidden-label > .widget-label { position: absolute !important;
  width: 1px !important; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; margin: 0 !important; padding: 0 !important; }
.separ-error { color: #b00020; font-weight: bold; }
.separ-ok { color: #1b5e20; font-weight: bold; font-size: 18px; }
.separ-page h1, .separ-page h2 { line-height: 1.3; }
.separ-who { color: #555; font-size: 15px; }
.separ-count { font-size: 44px; margin: 8px 0 16px 0; }
.separ-cards, .separ-flow { display: flex; flex-wrap: wrap; gap: 16px; }
.separ-card { background: #f1f5f9; border-radius: 14px; padding: 14px 20px; font-size: 34px;
  min-width: 240px; }
.separ-card b { display: block; line-height: 1.35; }
.separ-card span { display: block; font-size: 28px; color: #333; line-height: 1.35; }
@media (max-width: 700px) {
  .separ-count { font-size: 26px; }
  .separ-card { font-size: 22px; min-width: 0; width: 100%; }
  .separ-card span { font-size: 18px; }
}
</style>
"""


def workshop_lang(store: Store) -> Lang:
    """The workshop's language, read once per store revision for all pages."""
    lang: Lang = shared("workshop_lang", lambda: store.workshop().lang)
    return lang


def lost_taps(lang: Lang) -> str:
    """The alert for taps made while the page was reconnecting."""
    return (
        f"<p class='separ-error' role='alert'>{html.escape(text('live_pages_lost_taps', lang))}</p>"
    )


def _message(exc: SeparError, lang: Lang) -> str:
    return f"<p class='separ-error'>{html.escape(exc.message(lang))}</p>"


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

    view: Any = None
    """The live activity's view (None: nothing live); set per page by :meth:`_view_for`."""
    showing: tuple[str | None, str | None, str | None] | None = None
    """(activity, session, target) the view was built for."""

    def __init__(
        self,
        store: Store,
        css_class: str,
        *,
        head: tuple[widgets.Widget, ...] | None = None,
        slot_children: tuple[widgets.Widget, ...] = (),
        lang: Lang | None = None,
    ) -> None:
        """``head`` and ``slot_children``, when known, are given here so the page's first
        messages carry them: every later ``children`` assignment is one more message per
        phone on the join burst."""
        self.store = store
        self.lang: Lang = lang or workshop_lang(store)
        self.slot = widgets.VBox(slot_children, layout=widgets.Layout(width="100%"))
        # classes given at construction travel in the widget's first message; add_class
        # afterwards would cost every phone two more messages on the join burst
        super().__init__(
            () if head is None else (*head, self.slot),
            layout=widgets.Layout(width="100%"),
            _dom_classes=("separ-page", css_class),
        )

    @property
    def waiting(self) -> str:
        """What the page shows while nothing is live."""
        return f"<p class='separ-lead'>{html.escape(text('live_pages_waiting', self.lang))}</p>"

    def show(self, *items: widgets.Widget) -> None:
        self.children = items

    def build_view(self, activity: activities.Activity, target_id: str | None) -> Any:
        raise NotImplementedError

    def _view_for(self, state: LiveState) -> tuple[widgets.Widget, ...]:
        """Build the view of ``state``'s activity (or the waiting line); note what it shows."""
        activity = activities.get(state.activity) if state.activity else None
        self.showing = (state.activity, state.session_id, state.target_id)
        if activity is None:
            self.view = None
            return (widgets.HTML(self.waiting),)
        self.view = self.build_view(activity, state.target_id)
        return (self.view,)

    def show_live(self) -> None:
        """Swap or refresh the activity view to match the store's live state.

        The live state is read once per store revision, not once per page.
        """
        state = shared("live_state", lambda: live_state(self.store))
        wanted = (state.activity, state.session_id, state.target_id)
        if wanted == self.showing and self.view is not None:
            refresh = getattr(self.view, "refresh", None)
            if callable(refresh):
                refresh()
            return
        old = self.view
        self.slot.children = self._view_for(state)
        if old is not None:
            close_tree(old)


class ParticipantPage(LivePage):
    """A phone's page: the live activity for the person its token (cookie or link) names.

    Joining happens before this page, on the plain HTML join form
    (:mod:`separ.live.entry`); a page without a valid token only says where to go.
    """

    def __init__(self, store: Store, token: str | None) -> None:
        self.actor: Actor | None = actor_for(store, token)
        lang = workshop_lang(store)
        if self.actor is None:
            problem = _message(SeparError("token_unknown"), lang) if token else ""
            self.who_html = STYLE + (
                f"{problem}<p class='separ-lead'><a href='/'>"
                f"{html.escape(text('live_pages_to_join', lang))}</a></p>"
            )
            self.who = widgets.HTML(self.who_html)
            super().__init__(store, "separ-participant", head=(self.who,), lang=lang)
            return
        self.store, self.lang = store, lang
        slot = self._view_for(shared("live_state", lambda: live_state(store)))
        # the style and the name in one widget: three fewer models for every phone
        who = text("live_pages_who", lang, name=self.actor.display_name)
        self.who_html = STYLE + f"<p class='separ-who'>{html.escape(who)}</p>"
        self.who = widgets.HTML(self.who_html)
        super().__init__(
            store, "separ-participant", head=(self.who,), slot_children=slot, lang=lang
        )

    def taps_lost(self, count: int) -> None:
        """Say on the phone that taps made while the page was reconnecting were not
        saved (see :mod:`separ.live.taps`): refused visibly, never lost silently."""
        if count:
            self.who.value = self.who_html + lost_taps(self.lang)

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
    """The projector, for the back row: idle, the title, a large join QR code and the short
    address; while an activity is live, its view fills the screen under the title, with a
    small QR in the corner for latecomers. Opened with the view-only projector key (or the
    facilitator's token), so the link the room may see grants nothing else."""

    live_priority = 0
    """Refreshed before the phones after every change (see :meth:`Hub.notify`)."""

    def __init__(self, store: Store, token: str | None, join_url: str) -> None:
        super().__init__(store, "separ-projector")
        if not can_project(store, token):
            self.show(
                widgets.HTML(STYLE),
                widgets.HTML(
                    f"<p class='separ-error'>{html.escape(text('live_pages_bad_projector', self.lang))}"
                    "</p>"
                ),
            )
            self.allowed = False
            return
        from separ.ui.projector import STYLE as PROJECTOR_STYLE
        from separ.ui.projector import head_html, idle_html

        self.allowed = True
        workshop = store.workshop()
        qr = qr_data_uri(join_url)
        self.idle = idle_html(workshop.title, join_url, qr, workshop.lang)
        self.head = widgets.HTML(head_html(workshop.title, join_url, qr, workshop.lang))
        self.slot.add_class("separ-stage")
        self.show(widgets.HTML(STYLE + PROJECTOR_STYLE), self.head, self.slot)
        self.show_live()

    @property
    def waiting(self) -> str:
        return self.idle

    def show_live(self) -> None:
        super().show_live()
        self.head.layout.display = "none" if self.view is None else None

    def build_view(self, activity: activities.Activity, target_id: str | None) -> Any:
        return activity.projector_view(self.store, target_id)

    def on_change(self) -> None:
        if self.allowed:
            self.show_live()
