"""Check-in views: a phone's "왔어요" button and the projector's list of who is here.

Thin views over :mod:`separ.checkin`: the button hands the typed line to
:func:`~separ.checkin.check_in` with the Actor the server resolved from the page's
token, and shows the domain's message when it refuses. ``refresh()`` re-reads the
store (the live layer calls it when anything changed).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from separ.actors import Actor
from separ.checkin import LINE_MAX, arrivals, check_in, checkins_by_person, person_key
from separ.errors import SeparError
from separ.live.runtime import shared
from separ.store import Store
from separ.tokens import live_state


def tap_layout() -> widgets.Layout:
    """Touch targets well above 44 px, full width on a phone (a new Layout per widget:
    a widget shared between pages would belong to the first page's kernel)."""
    return widgets.Layout(width="100%", height="56px")


class CheckinParticipant(widgets.VBox):  # type: ignore[misc]
    """What a participant's phone shows while check-in is live."""

    def __init__(self, store: Store, actor: Actor) -> None:
        self.store = store
        self.actor = actor
        # a visible label above the field (its accessible name too), with the limit, so
        # nobody types 130 characters to be refused
        self.line = widgets.Text(placeholder="오늘 기대하는 것 (한 줄, 선택)",
                                 description=f"오늘 기대하는 것 (한 줄, {LINE_MAX}자까지)",
                                 style={"description_width": "initial"},
                                 layout=widgets.Layout(width="100%", flex_flow="column",
                                                       align_items="stretch"))
        self.line.add_class("separ-input")
        self.button = widgets.Button(description="왔어요", button_style="primary",
                                     layout=tap_layout())
        self.button.add_class("separ-tap")
        self.status = widgets.HTML()
        self.done = False
        self.button.on_click(self._submit)
        super().__init__(
            [widgets.HTML("<p class='separ-lead'>'왔어요'를 누르세요. 오늘 기대하는 것을 "
                          "한 줄 적어도 좋아요.</p>"), self.line, self.button, self.status],
            layout=widgets.Layout(width="100%"),
        )
        self.refresh()

    def _submit(self, _button: Any = None) -> None:
        try:
            record = check_in(self.store, self.actor, self.line.value)
        except SeparError as exc:
            if exc.key == "checkin_too_fast" and self.done:
                return  # a double tap: the first tap was saved, its ✓ stays
            self.status.value = f"<p class='separ-error'>{html.escape(exc.message('ko'))}</p>"
            return
        self.line.value = record.line or ""
        self._show_done(record.line)

    def _show_done(self, line: str | None) -> None:
        self.done = True
        said = f" — “{html.escape(line)}”" if line else ""
        self.status.value = (f"<p class='separ-ok'>✓ 체크인했습니다{said}<br>"
                             "<small>고쳐 쓰고 다시 누를 수 있어요.</small></p>")

    def refresh(self) -> None:
        """Re-read this person's check-in, until it is made.

        After that only this page's own taps change it (a new session builds a new view),
        so the 300 phones of a room stop reading the store on every other person's tap.
        """
        if self.done:
            return
        session = shared("live_state", lambda: live_state(self.store)).session_id
        mine = shared(f"checkins:{session}",
                      lambda: checkins_by_person(self.store, session)).get(person_key(self.actor))
        if mine is None:
            self.status.value = ""
        else:
            if not self.line.value:
                self.line.value = mine.line or ""
            self._show_done(mine.line)


class CheckinProjector(widgets.VBox):  # type: ignore[misc]
    """The projector's list: how many are here, each name with their line."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.board = widgets.HTML()
        super().__init__([self.board], layout=widgets.Layout(width="100%"))
        self.refresh()

    def refresh(self) -> None:
        state = shared("live_state", lambda: live_state(self.store))
        people = shared(f"arrivals:{state.session_id}",
                        lambda: arrivals(self.store, state.session_id))
        cards = "".join(
            "<div class='separ-card'><b>{}</b>{}</div>".format(
                html.escape(a.name),
                f"<span>{html.escape(a.line)}</span>" if a.line else "")
            for a in people)
        self.board.value = (f"<h2 class='separ-count'>지금 {len(people)}명이 왔어요</h2>"
                            f"<div class='separ-cards'><div class='separ-flow'>{cards}</div></div>")


def participant_view(store: Store, actor: Actor) -> widgets.Widget:
    return CheckinParticipant(store, actor)


def projector_view(store: Store) -> widgets.Widget:
    return CheckinProjector(store)

