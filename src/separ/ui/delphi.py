"""The Delphi page on a panellist's phone: one item at a time, two taps, a confirmation.

From round 2 on, each item shows last round's distribution (median, quartiles, share
judged suitable) and the panellist's own previous answer, which is what makes it a
Delphi round. Everything written goes through :func:`separ.delphi.respond` with the
page's :class:`~separ.actors.Actor`: the panellist and the round come from the server,
never from the widgets. Buttons are at least 44 px high for thumbs.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from separ import delphi as dp
from separ.actors import Actor
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, text
from separ.store import Store
from separ.ui.base import CHOICES, choice, show_chosen

add_messages(
    {
        "delphi_ui_instruction": {
            "ko": "각 문항이 적합한지 고르고, 중요도를 1(낮음)~{scale}(높음)로 눌러 주세요.",
            "en": "For each item, say whether it is suitable and tap its importance "
            "from 1 (low) to {scale} (high).",
        },
        "delphi_ui_not_panellist": {
            "ko": "델파이 조사 \u201c{title}\u201d가 진행 중이지만, 응답은 패널로 등록된 분만 할 수 "
            "있습니다. 패널로 참여하려면 진행자에게 말씀해 주세요.",
            "en": "The Delphi study \u201c{title}\u201d is running, but only registered panellists "
            "answer it. Ask the facilitator if you should be on the panel.",
        },
        "delphi_ui_none": {
            "ko": "지금 응답할 델파이 조사가 없습니다.",
            "en": "There is no Delphi round to answer right now.",
        },
        "delphi_ui_previous": {
            "ko": "지난 라운드: 중앙값 {median}, 사분위 {q1}~{q3}, 적합 {share}",
            "en": "Last round: median {median}, quartiles {q1}-{q3}, suitable {share}",
        },
        "delphi_ui_mine": {"ko": "내 지난 답: {answer}", "en": "My last answer: {answer}"},
        "delphi_ui_sent": {
            "ko": "{code}에 답했습니다: {answer}",
            "en": "Answer saved for {code}: {answer}",
        },
        "delphi_ui_progress": {
            "ko": "{round}라운드 · {n}/{total} · 답한 문항 {done}개",
            "en": "round {round} · {n}/{total} · {done} answered",
        },
        "delphi_ui_yes": {"ko": "적합", "en": "suitable"},
        "delphi_ui_no": {"ko": "부적합", "en": "not suitable"},
        "delphi_ui_send": {"ko": "보내기", "en": "Send"},
        "delphi_ui_prev": {"ko": "◀ 이전", "en": "◀ Back"},
        "delphi_ui_next": {"ko": "다음 ▶", "en": "Next ▶"},
        "delphi_ui_new": {"ko": "신규 문항", "en": "new item"},
        "delphi_ui_comment": {"ko": "의견 (선택)", "en": "comment (optional)"},
        "delphi_ui_importance": {"ko": "중요도 {n}", "en": "importance {n}"},
    }
)


def _say(lang: Lang, key: str, **params: object) -> str:
    return text(key, lang, **params)


FULL = "calc(100% - 4px)"
"""Full width minus the widgets' 2 px margins, so nothing spills past a 360 px screen."""


def _tap(width: str = "auto") -> widgets.Layout:
    """A fresh layout per button (a shared Layout would tie pages together)."""
    return widgets.Layout(min_height="48px", width=width, min_width="44px")


def _score_tap() -> widgets.Layout:
    """Seven 44 px score buttons in one row on a 360 px phone: they share the row."""
    return widgets.Layout(min_height="48px", min_width="44px", flex="1 1 44px", margin="1px")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def answer_text(lang: Lang, suitable: bool | None, importance: int | None) -> str:
    parts = []
    if suitable is not None:
        parts.append(_say(lang, "delphi_ui_yes" if suitable else "delphi_ui_no"))
    if importance is not None:
        parts.append(_say(lang, "delphi_ui_importance", n=importance))
    return ", ".join(parts)


class DelphiForm(widgets.VBox):  # type: ignore[misc]
    """One item per screen of the open study the Actor is a panellist of."""

    def __init__(
        self, store: Store, actor: Actor, lang: Lang = "ko", study_id: str | None = None
    ) -> None:
        self.store, self.actor, self.lang = store, actor, lang
        self._wanted_study = study_id
        self.study_id: str | None = None
        self.index = 0
        self.suitable: bool | None = None
        self.importance: int | None = None
        self.feed: list[dp.Feedback] = []
        self.instruction = widgets.HTML()
        self.counter = widgets.HTML()
        self.item = widgets.HTML()
        self.previous = widgets.HTML()
        self.yes = choice(_say(lang, "delphi_ui_yes"), _tap("48%"))
        self.no = choice(_say(lang, "delphi_ui_no"), _tap("48%"))
        self.yes.on_click(lambda _: self._pick_suitable(True))
        self.no.on_click(lambda _: self._pick_suitable(False))
        self.scores = widgets.HBox(
            layout=widgets.Layout(flex_flow="row wrap", width=FULL), _dom_classes=(CHOICES,)
        )
        self.score_buttons: list[widgets.Button] = []
        self.comment = widgets.Text(
            placeholder=_say(lang, "delphi_ui_comment"),
            layout=widgets.Layout(width=FULL, min_height="44px"),
        )
        self.send_button = widgets.Button(
            description=_say(lang, "delphi_ui_send"), button_style="primary", layout=_tap(FULL)
        )
        self.send_button.on_click(lambda _: self._send())
        self.back = widgets.Button(description=_say(lang, "delphi_ui_prev"), layout=_tap("48%"))
        self.forward = widgets.Button(description=_say(lang, "delphi_ui_next"), layout=_tap("48%"))
        self.back.on_click(lambda _: self._move(-1))
        self.forward.on_click(lambda _: self._move(1))
        self.result = widgets.HTML()
        self.body = widgets.VBox(
            [
                self.counter,
                self.item,
                self.previous,
                widgets.HBox([self.yes, self.no], _dom_classes=(CHOICES,)),
                self.scores,
                self.comment,
                self.send_button,
                self.result,
                widgets.HBox([self.back, self.forward]),
            ]
        )
        super().__init__(
            [self.instruction, self.body], layout=widgets.Layout(max_width="640px", width="100%")
        )
        self.refresh()

    # -- reading

    def _study(self) -> dp.DelphiStudy | None:
        for study in dp.studies(self.store):
            if self._wanted_study and study.id != self._wanted_study:
                continue
            if study.open and dp.panellist_of(self.store, study.id, self.actor):
                return study
        return None

    def refresh(self) -> None:
        """Re-read the store: the facilitator may have opened, closed or moved the round."""
        study = self._study()
        if study is None:
            self.study_id = None
            running = [
                s
                for s in dp.studies(self.store)
                if s.open and (not self._wanted_study or s.id == self._wanted_study)
            ]
            # a study is live but this phone is not on its panel: say so, not "none"
            said = (
                _say(self.lang, "delphi_ui_not_panellist", title=running[0].title)
                if running
                else _say(self.lang, "delphi_ui_none")
            )
            self.instruction.value = f'<p style="font-size:1.15em">{html.escape(said)}</p>'
            self.body.layout.display = "none"
            return
        if study.id != self.study_id:
            self.index = 0
        self.study_id = study.id
        me = dp.panellist_of(self.store, study.id, self.actor)
        assert me is not None
        panel = dp.load_panel(self.store, study.id)
        self.feed = dp.feedback(panel, me.id)
        self.round = study.current_round
        self.body.layout.display = ""
        self.instruction.value = (
            f'<p style="font-size:1.15em;line-height:1.5">'
            f"{html.escape(_say(self.lang, 'delphi_ui_instruction', scale=study.scale))}</p>"
        )
        if len(self.score_buttons) != study.scale:
            self.score_buttons = []
            for n in range(1, study.scale + 1):
                button = choice(str(n), _score_tap())
                button.on_click(lambda _, n=n: self._pick_importance(n))
                self.score_buttons.append(button)
            self.scores.children = self.score_buttons
        self.index = max(0, min(self.index, len(self.feed) - 1))
        self._show()

    def _show(self) -> None:
        if not self.feed:
            self.item.value = ""
            return
        fb = self.feed[self.index]
        done = sum(1 for f in self.feed if f.current is not None)
        counter = _say(
            self.lang,
            "delphi_ui_progress",
            round=self.round,
            n=self.index + 1,
            total=len(self.feed),
            done=done,
        )
        self.counter.value = f"<small>{html.escape(counter)}</small>"
        new = (
            f' <span style="color:#e07a1f">[{html.escape(_say(self.lang, "delphi_ui_new"))}]</span>'
            if fb.item.added_round > 1
            else ""
        )
        section = (
            f"<div style='color:#555'>{html.escape(fb.item.section)}</div>"
            if fb.item.section
            else ""
        )
        self.item.value = (
            f'{section}<p style="font-size:1.3em;line-height:1.4">'
            f"<b>{html.escape(fb.item.code)}</b> {html.escape(fb.item.text)}"
            f"{new}</p>"
        )
        lines = []
        if fb.previous is not None:
            share = (
                "-" if fb.previous.suitable_share is None else f"{fb.previous.suitable_share:.0%}"
            )
            lines.append(
                _say(
                    self.lang,
                    "delphi_ui_previous",
                    median=_num(fb.previous.median),
                    q1=_num(fb.previous.q1),
                    q3=_num(fb.previous.q3),
                    share=share,
                )
            )
        if fb.own_previous is not None:
            lines.append(
                _say(
                    self.lang,
                    "delphi_ui_mine",
                    answer=answer_text(
                        self.lang, fb.own_previous.suitable, fb.own_previous.importance
                    ),
                )
            )
        self.previous.value = "".join(
            f'<div style="background:#eef4fa;padding:0.3em 0.5em;margin:0.2em 0">'
            f"{html.escape(line)}</div>"
            for line in lines
        )
        current = fb.current
        self.suitable = current.suitable if current else None
        self.importance = current.importance if current else None
        self.comment.value = (current.comment or "") if current else ""
        self._paint()
        self.back.disabled = self.index == 0
        self.forward.disabled = self.index >= len(self.feed) - 1

    def _paint(self) -> None:
        show_chosen(self.yes, self.suitable is True, "success")
        show_chosen(self.no, self.suitable is False, "danger")
        for n, button in enumerate(self.score_buttons, start=1):
            show_chosen(button, self.importance == n)

    # -- actions

    def _pick_suitable(self, value: bool) -> None:
        self.suitable = value
        self._paint()

    def _pick_importance(self, value: int) -> None:
        self.importance = value
        self._paint()

    def _move(self, delta: int) -> None:
        self.index = max(0, min(len(self.feed) - 1, self.index + delta))
        self.result.value = ""
        self._show()

    def _send(self) -> None:
        if self.study_id is None or not self.feed:
            return
        fb = self.feed[self.index]
        try:
            saved = dp.respond(
                self.store,
                self.actor,
                self.study_id,
                fb.item.id,
                self.suitable,
                self.importance,
                self.comment.value,
            )
        except SeparError as exc:
            self.result.value = (
                f'<p style="color:#b00020">{html.escape(exc.message(self.lang))}</p>'
            )
            self.refresh()
            return
        message = _say(
            self.lang,
            "delphi_ui_sent",
            code=fb.item.code,
            answer=answer_text(self.lang, saved.suitable, saved.importance),
        )
        was = self.index
        self.refresh()
        if was < len(self.feed) - 1:
            self.index = was + 1
            self._show()
        self.result.value = f'<p style="color:#1b6ca8">{html.escape(message)}</p>'


def participant_view(store: Store, actor: Actor, lang: Lang = "ko") -> DelphiForm:
    """What the live server mounts on a panellist's phone for a Delphi round."""
    return DelphiForm(store, actor, lang)


def live_participant_view(store: Store, actor: Actor, target_id: str) -> DelphiForm:
    """A panellist's phone while the facilitator has put the study ``target_id`` live
    (someone not on its panel sees that there is nothing for them to answer)."""
    return DelphiForm(store, actor, store.workshop().lang, study_id=target_id)


add_messages(
    {
        "delphi_ui_projector": {
            "ko": "{title} · {round}라운드 · 패널 {panel}명 중 {answered}명 응답",
            "en": "{title} · round {round} · {answered} of {panel} panellists answered",
        },
        "delphi_ui_count": {"ko": "응답 {n}", "en": "{n} answers"},
    }
)


def projector_html(panel: dp.Panel, lang: Lang = "ko") -> str:
    """How many panellists answered each item of the current round: counts only, never
    an answer (the distribution is fed back in the next round, not shown live)."""
    round_ = panel.study.current_round
    now = [r for r in panel.responses if r.round == round_]
    per_item = {item.id: 0 for item in panel.items_in(round_)}
    for response in now:
        if response.item_id in per_item:
            per_item[response.item_id] += 1
    head = _say(
        lang,
        "delphi_ui_projector",
        title=panel.study.title,
        round=round_,
        panel=len(panel.panellists),
        answered=len({r.panellist_id for r in now}),
    )
    cards = "".join(
        f"<div class='separ-card'><b>{html.escape(item.code)} "
        f"{html.escape(_say(lang, 'delphi_ui_count', n=per_item[item.id]))}</b>"
        f"<span>{html.escape(item.text)}</span></div>"
        for item in panel.items_in(round_)
    )
    return (
        f"<h2 class='separ-count'>{html.escape(head)}</h2>"
        f"<div class='separ-cards'><div class='separ-flow'>{cards}</div></div>"
    )


class DelphiProjector(widgets.VBox):  # type: ignore[misc]
    """The room's screen during a Delphi round; ``refresh()`` re-reads the counts."""

    def __init__(self, store: Store, study_id: str, lang: Lang | None = None) -> None:
        self.store, self.study_id = store, study_id
        self.lang: Lang = lang or store.workshop().lang
        self.board = widgets.HTML()
        super().__init__([self.board], layout=widgets.Layout(width="100%"))
        self.refresh()

    def refresh(self) -> None:
        self.board.value = projector_html(dp.load_panel(self.store, self.study_id), self.lang)


def projector_view(store: Store, target_id: str) -> widgets.Widget:
    return DelphiProjector(store, target_id)
