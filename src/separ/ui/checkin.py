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
from separ.i18n import Lang, add_messages, text
from separ.live.runtime import shared
from separ.store import Store
from separ.tokens import live_state

add_messages(
    {
        "checkin_ui_line": {
            "ko": "오늘 기대하는 것 (한 줄, 선택)",
            "en": "What you hope for today (one line, optional)",
        },
        "checkin_ui_line_label": {
            "ko": "오늘 기대하는 것 (한 줄, {limit}자까지)",
            "en": "What you hope for today (one line, up to {limit} characters)",
        },
        "checkin_ui_here": {"ko": "왔어요", "en": "I'm here"},
        "checkin_ui_lead": {
            "ko": "'왔어요'를 누르세요. 오늘 기대하는 것을 한 줄 적어도 좋아요.",
            "en": "Press 'I'm here'. You may add one line on what you hope for today.",
        },
        "checkin_ui_done": {"ko": "✓ 체크인했습니다", "en": "✓ Checked in"},
        "checkin_ui_again": {
            "ko": "고쳐 쓰고 다시 누를 수 있어요.",
            "en": "You can edit it and press again.",
        },
        "checkin_ui_count": {"ko": "지금 {n}명이 왔어요", "en": "Here now: {n}"},
    }
)


def tap_layout() -> widgets.Layout:
    """Touch targets well above 44 px, full width on a phone (a new Layout per widget:
    a widget shared between pages would belong to the first page's kernel); a minimum, not a
    height, so that the text may wrap onto two lines at 200 %."""
    return widgets.Layout(width="100%", min_height="56px")


class CheckinParticipant(widgets.VBox):  # type: ignore[misc]
    """What a participant's phone shows while check-in is live."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        self.store = store
        self.actor = actor
        self.lang = lang
        # a visible label above the field (its accessible name too), with the limit, so
        # nobody types 130 characters to be refused
        self.line = widgets.Text(
            placeholder=text("checkin_ui_line", lang),
            description=text("checkin_ui_line_label", lang, limit=LINE_MAX),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", flex_flow="column", align_items="stretch"),
        )
        self.line.add_class("separ-input")
        self.button = widgets.Button(
            description=text("checkin_ui_here", lang), button_style="primary", layout=tap_layout()
        )
        self.button.add_class("separ-tap")
        self.status = widgets.HTML()
        self.done = False
        self.button.on_click(self._submit)
        super().__init__(
            [
                widgets.HTML(f"<p class='separ-lead'>{text('checkin_ui_lead', lang)}</p>"),
                self.line,
                self.button,
                self.status,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.refresh()

    def _submit(self, _button: Any = None) -> None:
        try:
            record = check_in(self.store, self.actor, self.line.value)
        except SeparError as exc:
            if exc.key == "checkin_too_fast" and self.done:
                return  # a double tap: the first tap was saved, its ✓ stays
            self.status.value = f"<p class='separ-error'>{html.escape(exc.message(self.lang))}</p>"
            return
        self.line.value = record.line or ""
        self._show_done(record.line)

    def _show_done(self, line: str | None) -> None:
        self.done = True
        said = f" — “{html.escape(line)}”" if line else ""
        self.status.value = (
            f"<p class='separ-ok'>{text('checkin_ui_done', self.lang)}{said}"
            f"<br><small>{text('checkin_ui_again', self.lang)}</small></p>"
        )

    def refresh(self) -> None:
        """Re-read this person's check-in, until it is made.

        After that only this page's own taps change it (a new session builds a new view),
        so the 300 phones of a room stop reading the store on every other person's tap.
        """
        if self.done:
            return
        session = shared("live_state", lambda: live_state(self.store)).session_id
        mine = shared(f"checkins:{session}", lambda: checkins_by_person(self.store, session)).get(
            person_key(self.actor)
        )
        if mine is None:
            return  # a refusal shown under the button stays until this person taps again
        if not self.line.value:
            self.line.value = mine.line or ""
        self._show_done(mine.line)


class CheckinProjector(widgets.VBox):  # type: ignore[misc]
    """The projector's list: how many are here, each name with their line."""

    def __init__(self, store: Store, lang: Lang = "ko") -> None:
        self.store = store
        self.lang = lang
        self.board = widgets.HTML()
        super().__init__([self.board], layout=widgets.Layout(width="100%"))
        self.refresh()

    def refresh(self) -> None:
        state = shared("live_state", lambda: live_state(self.store))
        people = shared(
            f"arrivals:{state.session_id}", lambda: arrivals(self.store, state.session_id)
        )
        cards = "".join(
            "<div class='separ-card'><b>{}</b>{}</div>".format(
                html.escape(a.name), f"<span>{html.escape(a.line)}</span>" if a.line else ""
            )
            for a in people
        )
        count = text("checkin_ui_count", self.lang, n=len(people))
        self.board.value = (
            f"<h2 class='separ-count'>{count}</h2>"
            f"<div class='separ-cards'><div class='separ-flow'>{cards}</div></div>"
        )


def participant_view(store: Store, actor: Actor) -> widgets.Widget:
    return CheckinParticipant(store, actor, store.workshop().lang)


def projector_view(store: Store) -> widgets.Widget:
    return CheckinProjector(store, store.workshop().lang)
