"""Voting views: the participant's ballot (a phone), the facilitator's poll control, and
the projector's results.

Thin views: every write calls a :mod:`separ.polls` function with the :class:`Actor` the
page was given, which re-checks rights, the poll's state and every value. Disabled
buttons and option lists are presentation only (a forged click still reaches the
domain and gets its error). Errors are shown as :meth:`SeparError.message` in the
workshop's language; user text in HTML is escaped.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from separ import polls, tally
from separ.actors import Actor
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, text
from separ.live.runtime import shared
from separ.store import Store
from separ.ui.base import (
    HIDDEN_LABEL,
    LiveButton,
    choice,
    figure_png,
    follow,
    rows_html,
    sections,
    show_chosen,
    show_error,
    show_status,
    status_html,
)


def big() -> w.Layout:
    """Touch targets of at least 44 px, full width on a phone. A new Layout per widget: one
    made at import would be shared by every page of the live server (a widget belongs to
    the virtual kernel that created it)."""
    return w.Layout(min_height="48px", width="100%")


def small() -> w.Layout:
    return w.Layout(min_height="48px", min_width="48px", width="56px")


add_messages(
    {
        "voting_ui_dots": {
            "ko": "스티커 {n}개를 중요한 선택지에 나눠 붙이세요{cap}.",
            "en": "Spread your {n} dots over the options that matter most{cap}.",
        },
        "voting_ui_cap": {"ko": " (한 선택지에 최대 {n}개)", "en": " (at most {n} on one option)"},
        "voting_ui_approval": {
            "ko": "찬성하는 선택지를 모두 누르세요.",
            "en": "Tap every option you support.",
        },
        "voting_ui_score": {
            "ko": "선택지마다 {low}점(낮음)부터 {high}점(높음)까지 점수를 고르세요.",
            "en": "Give every option a score from {low} (low) to {high} (high).",
        },
        "voting_ui_importance": {
            "ko": "선택지마다 중요 정도(상·중상·중·하)를 고르세요.",
            "en": "Rate how important each option is (high to low).",
        },
        "voting_ui_criteria": {
            "ko": "선택지마다 기준별로 {low}~{high}점을 고르세요.",
            "en": "Score every option on each criterion from {low} to {high}.",
        },
        "voting_ui_ranked": {
            "ko": "가장 좋은 선택지부터 차례로 누르세요. 다시 누르면 빠집니다.",
            "en": "Tap the options from best to worst. Tap again to remove one.",
        },
        "voting_ui_submit": {"ko": "투표하기", "en": "Vote"},
        "voting_ui_resubmit": {
            "ko": "다시 투표하기 (앞의 투표를 바꿉니다)",
            "en": "Vote again (replaces your ballot)",
        },
        "voting_ui_done": {
            "ko": "✔ 투표가 저장되었습니다. 확인번호 {code}",
            "en": "✔ Your ballot is saved. Receipt {code}",
        },
        "voting_ui_replaced": {
            "ko": "✔ 앞의 투표를 바꿨습니다. 확인번호 {code}",
            "en": "✔ Your ballot was replaced. Receipt {code}",
        },
        "voting_ui_secret": {
            "ko": "무기명 투표: 이름이 저장되지 않습니다",
            "en": "Anonymous poll: your name is not stored",
        },
        "voting_ui_verify": {
            "ko": "투표가 마감되면 확인번호로 집계를 확인할 수 있습니다: {url}",
            "en": "Once voting closes, check your receipt at {url}",
        },
        "voting_ui_no_dots_left": {
            "ko": "스티커를 모두 붙였습니다. 다른 곳에서 하나를 떼어 오세요.",
            "en": "All your dots are placed: take one off elsewhere first.",
        },
        "voting_ui_draft": {
            "ko": "아직 투표가 시작되지 않았습니다.",
            "en": "Voting has not started yet.",
        },
        "voting_ui_closed": {"ko": "투표가 마감되었습니다.", "en": "Voting is closed."},
        "voting_ui_left": {"ko": "남은 스티커 {n}개", "en": "{n} dots left"},
        "voting_ui_dot_less": {
            "ko": "{option}: 스티커 하나 떼기",
            "en": "{option}: take one dot off",
        },
        "voting_ui_dot_more": {
            "ko": "{option}: 스티커 하나 붙이기",
            "en": "{option}: put one dot on",
        },
        "voting_ui_reset": {"ko": "순위 지우기", "en": "Clear ranking"},
        "voting_ui_hidden": {
            "ko": "결과는 진행자가 공개하면 보입니다.",
            "en": "Results appear when the facilitator reveals them.",
        },
        "voting_ui_title": {"ko": "제목", "en": "Title"},
        "voting_ui_question": {"ko": "질문", "en": "Question"},
        "voting_ui_method": {"ko": "방식", "en": "Method"},
        "voting_ui_options": {"ko": "선택지 (한 줄에 하나)", "en": "Options (one per line)"},
        "voting_ui_criteria_box": {
            "ko": "평가기준 (한 줄에 '이름=가중치')",
            "en": "Criteria (one 'name=weight' per line)",
        },
        "voting_ui_dots_n": {"ko": "1인당 스티커", "en": "Dots each"},
        "voting_ui_cap_n": {"ko": "선택지당 최대 (0=제한 없음)", "en": "Max per option (0 = none)"},
        "voting_ui_anonymous": {"ko": "무기명 투표", "en": "Anonymous"},
        "voting_ui_create": {"ko": "투표 만들기", "en": "Create poll"},
        "voting_ui_poll": {"ko": "투표", "en": "Poll"},
        "voting_ui_open": {"ko": "투표 시작", "en": "Open voting"},
        "voting_ui_close": {"ko": "투표 마감", "en": "Close voting"},
        "voting_ui_reveal": {"ko": "결과 공개", "en": "Reveal results"},
        "voting_ui_paper": {
            "ko": "종이 투표 (한 줄에 한 장: '선택지=값, …' 또는 '가 > 나 > 다')",
            "en": "Paper ballots (one per line: 'option=value, …' or 'A > B > C')",
        },
        "voting_ui_voters": {"ko": "한 줄이 나타내는 인원", "en": "Voters per line"},
        "voting_ui_enter": {"ko": "종이 투표 입력", "en": "Enter paper ballots"},
        "voting_ui_created": {"ko": "만들었습니다: {title}", "en": "Created: {title}"},
        "voting_ui_entered": {
            "ko": "종이 투표 {n}장을 입력했습니다",
            "en": "Entered {n} paper ballots",
        },
        "voting_ui_state": {
            "ko": "상태: {status} · 투표 {n}장",
            "en": "Status: {status} · {n} ballots",
        },
        "voting_ui_robust": {
            "ko": "다른 집계 방식으로 본 순위",
            "en": "Ranks by other counting methods",
        },
        "voting_ui_moved_note": {
            "ko": "★ 방식에 따라 순위가 바뀌는 선택지",
            "en": "★ place depends on the counting method",
        },
        "voting_ui_contested_note": {
            "ko": "⚑ 의견이 크게 갈린 선택지 (토론 권장)",
            "en": "⚑ the group is split on this option (discuss it)",
        },
        "voting_ui_tied_round": {
            "ko": "{n}라운드: 최하위 동점으로 함께 탈락 — {names}",
            "en": "Round {n}: tied for last place, eliminated together — {names}",
        },
        "voting_ui_none": {"ko": "아직 투표가 없습니다.", "en": "No polls yet."},
        "voting_ui_no_winner": {
            "ko": "1위 동점: 승자 없음",
            "en": "Tie for first place: no single winner",
        },
        "voting_ui_ballots": {"ko": "지금까지 {n}명 투표", "en": "{n} ballots so far"},
        "voting_ui_results": {"ko": "결과", "en": "Results"},
        "voting_ui_place": {"ko": "{rank}위", "en": "#{rank}"},
        "voting_ui_create_open": {"ko": "만들고 바로 시작", "en": "Create and start now"},
        "voting_ui_opened_live": {
            "ko": "시작했습니다: {title} (참여자 화면에 띄움)",
            "en": "Started: {title} (on participants' screens)",
        },
        "voting_ui_confirm_reveal": {
            "ko": "투표가 아직 진행 중입니다. 지금 공개하면 아직 투표하지 않은 분들이 결과를 "
            "보고 투표하게 됩니다.",
            "en": "Voting is still open: people who have not voted yet will see the results "
            "before they vote.",
        },
        "voting_ui_reveal_anyway": {"ko": "진행 중에 공개", "en": "Reveal while open"},
        "voting_ui_cancel": {"ko": "취소", "en": "Cancel"},
        "voting_ui_opened": {"ko": "투표를 시작했습니다.", "en": "Voting is open."},
        "voting_ui_closed_done": {"ko": "투표를 마감했습니다.", "en": "Voting is closed."},
        "voting_ui_revealed": {"ko": "결과를 공개했습니다.", "en": "Results revealed."},
        "voting_ui_no_ballots": {"ko": "아직 투표가 없습니다.", "en": "No ballots yet."},
        "voting_ui_section_make": {"ko": "투표 만들기", "en": "Create a poll"},
        "voting_ui_section_run": {"ko": "진행", "en": "Run"},
        "voting_ui_section_results": {"ko": "결과", "en": "Results"},
        "voting_ui_section_paper": {"ko": "종이 투표 입력", "en": "Paper ballots"},
        "voting_ui_section_carry": {"ko": "로드맵으로 옮기기", "en": "Into the roadmap"},
        "voting_ui_poll_label": {
            "ko": "{title} · {status} · {n}장",
            "en": "{title} · {status} · {n} ballots",
        },
        "voting_ui_top": {"ko": "상위 몇 위까지", "en": "Top places"},
        "voting_ui_into": {"ko": "무엇으로", "en": "Into"},
        "voting_ui_into_tasks": {"ko": "과제로", "en": "tasks"},
        "voting_ui_into_strategies": {"ko": "전략으로", "en": "strategies"},
        "voting_ui_strategy": {"ko": "넣을 전략", "en": "Under strategy"},
        "voting_ui_preview_head": {
            "ko": "미리보기 (공동 순위는 함께 옮깁니다)",
            "en": "Preview (tied places go together)",
        },
        "voting_ui_carry_go": {"ko": "로드맵으로 옮기기", "en": "Carry into the roadmap"},
        "voting_ui_carried": {"ko": "{n}개를 옮겼습니다.", "en": "Carried {n}."},
        "voting_ui_col_place": {"ko": "순위", "en": "Place"},
        "voting_ui_col_item": {"ko": "항목", "en": "Item"},
        "voting_ui_col_why": {"ko": "근거", "en": "Why"},
        "voting_ui_col_new": {"ko": "새로 만듦", "en": "New"},
    }
)


def _t(key: str, lang: Lang, **params: object) -> str:
    return text(f"voting_ui_{key}", lang, **params)


def _lang(store: Store, lang: Lang | None) -> Lang:
    return lang or store.workshop().lang


def _error(label: w.HTML, exc: SeparError, lang: Lang) -> None:
    label.value = f'<span style="color:#c0392b">{html.escape(exc.message(lang))}</span>'


CHOSEN = "✓ "


def _highlight(change: dict[str, Any]) -> None:
    """A chosen option stands out on a phone (ipywidgets' pressed grey barely does) and
    shows a check mark, so colour is not the only sign (screen readers get aria-pressed
    from the pages' script, ``separ_aria.js``)."""
    toggle = change["owner"]
    toggle.button_style = "info" if toggle.value else ""
    label = toggle.tooltip or toggle.description.removeprefix(CHOSEN)
    toggle.description = f"{CHOSEN}{label}" if toggle.value else label


class BallotView(w.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """One participant's ballot for one poll, phone-first."""

    def __init__(self, store: Store, actor: Actor, poll_id: str, lang: Lang | None = None):
        self.store, self.actor, self.poll_id = store, actor, poll_id
        self.lang = _lang(store, lang)
        self.header = w.HTML()
        self.instruction = w.HTML()
        self.controls = w.VBox()
        self.submit = w.Button(
            description=_t("submit", self.lang),
            button_style="primary",
            layout=big(),
            style={"font_size": "18px"},
        )
        self.submit.on_click(self._on_submit)
        self.message = w.HTML()
        self.ranking: list[str] = []
        self.dot_counts: dict[str, int] = {}
        self.inputs: dict[tuple[str, str | None], Any] = {}
        self._built_for: str | None = None
        super().__init__(
            [self.header, self.instruction, self.controls, self.submit, self.message],
            layout=w.Layout(max_width="520px", width="100%"),
        )
        self.refresh()

    # -- building ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the poll: its state decides what the page shows and enables."""
        with self.store.reading() as tx:
            self.poll = tx.get(polls.Poll, self.poll_id)
            self.options = tx.find(polls.PollOption, order_by="position", poll_id=self.poll_id)
            self.criteria = tx.find(polls.PollCriterion, order_by="position", poll_id=self.poll_id)
        poll, lang = self.poll, self.lang
        question = f"<div>{html.escape(poll.question)}</div>" if poll.question else ""
        secret = (
            f"<p class='separ-secret'><b>🔒 {_t('secret', lang)}</b></p>" if poll.anonymous else ""
        )
        self.header.value = f"<h3>{html.escape(poll.title)}</h3>{secret}{question}"
        is_open = poll.status == polls.PollStatus.open
        self.submit.disabled = not is_open
        if poll.status != polls.PollStatus.open:
            self.instruction.value = f"<b>{_t(poll.status.value, lang)}</b>"
            self.controls.children = ()
            self._built_for = None
            return
        self.instruction.value = f"<b>{html.escape(self._instruction())}</b>"
        if self._built_for != poll.id:
            self._build(polls.my_ballot(self.store, self.actor, poll.id))
            self._built_for = poll.id

    def _instruction(self) -> str:
        poll, lang = self.poll, self.lang
        method = poll.method.value
        if method == "dots":
            cap = _t("cap", lang, n=poll.cap) if poll.cap else ""
            return _t("dots", lang, n=poll.dots, cap=cap)
        if method in tally.RANKED:
            return _t("ranked", lang)
        return _t(method, lang, low=poll.score_min, high=poll.score_max)

    def _build(self, mine: dict[tuple[str, str | None], float]) -> None:
        method = self.poll.method.value
        rows: list[w.Widget] = []
        self.inputs = {}
        if method == "dots":
            self.dot_counts = {o.id: int(mine.get((o.id, None), 0)) for o in self.options}
            self.left = w.HTML()
            for option in self.options:
                rows.append(self._dot_row(option))
            rows.append(self.left)
            self._show_dots()
        elif method == "approval":
            for option in self.options:
                toggle = w.ToggleButton(
                    description=option.label,
                    layout=big(),
                    value=bool(mine.get((option.id, None))),
                    tooltip=option.label,
                )
                toggle.observe(_highlight, "value")
                _highlight({"owner": toggle})
                self.inputs[(option.id, None)] = toggle
                rows.append(toggle)
        elif method in tally.RANKED:
            self.ranking = [o for o, _ in sorted(mine, key=lambda k: mine[k])]
            self.rank_buttons = {}
            for option in self.options:
                button = choice("", big(), tooltip=option.label)
                button.on_click(lambda _b, oid=option.id: self._tap(oid))
                self.rank_buttons[option.id] = button
                rows.append(button)
            reset = w.Button(description=_t("reset", self.lang), layout=big(), icon="undo")
            reset.on_click(lambda _b: self._reset())
            rows.append(reset)
            self._show_ranking()
        else:  # score, importance, criteria
            low, high = (
                (1, 4) if method == "importance" else (self.poll.score_min, self.poll.score_max)
            )
            if method == "importance":
                choices = [(tally.IMPORTANCE_LEVELS[v][self.lang], v) for v in range(4, 0, -1)]
            else:
                choices = [(str(v), v) for v in range(low, high + 1)]
            crits: list[polls.PollCriterion | None] = (
                list(self.criteria) if method == "criteria" else [None]
            )
            for option in self.options:
                rows.append(w.HTML(f"<b>{html.escape(option.label)}</b>"))
                for crit in crits:
                    key = (option.id, crit.id if crit else None)
                    value = mine.get(key)
                    # "중상" needs more than 52 px at 19 px type: 64 px keeps four on a 360 px line
                    width = "64px" if method == "importance" else "52px"
                    # named for screen readers by the option (and criterion) it rates;
                    # the page shows the name above the buttons already
                    named = option.label if crit is None else f"{option.label} · {crit.name}"
                    pick = w.ToggleButtons(
                        options=choices,
                        value=int(value) if value is not None else None,
                        description=named,
                        style={"button_width": width},
                        _dom_classes=(HIDDEN_LABEL,),
                    )
                    pick.layout.min_height = "48px"
                    self.inputs[key] = pick
                    if crit is not None:
                        rows.append(w.HTML(html.escape(crit.name)))
                    rows.append(pick)
        self.controls.children = tuple(rows)
        self.submit.description = _t("resubmit" if mine else "submit", self.lang)

    def _dot_row(self, option: polls.PollOption) -> w.Widget:
        """The option's name, then − count +. The name takes the whole line when the line
        is too narrow for it and the buttons (text at 200 %), rather than one letter a
        line; the buttons' tooltips say which option they change (what a screen reader
        reads after "−")."""
        less, more = (_t(key, self.lang, option=option.label) for key in ("dot_less", "dot_more"))
        minus = w.Button(description="−", layout=small(), style={"font_size": "20px"}, tooltip=less)
        plus = w.Button(description="+", layout=small(), style={"font_size": "20px"}, tooltip=more)
        count = w.HTML(layout=w.Layout(width="40px"))
        minus.on_click(lambda _b: self._add_dot(option.id, -1))
        plus.on_click(lambda _b: self._add_dot(option.id, 1))
        self.inputs[(option.id, None)] = count
        name = w.HTML(html.escape(option.label), layout=w.Layout(flex="1 1 7em"))
        buttons = w.HBox([minus, count, plus], layout=w.Layout(align_items="center"))
        return w.HBox([name, buttons], layout=w.Layout(align_items="center", flex_flow="row wrap"))

    # -- interaction (local state only; nothing is trusted until the domain checks it) ---
    def _add_dot(self, option_id: str, step: int) -> None:
        if step > 0 and sum(self.dot_counts.values()) >= self.poll.dots:
            self.left.value = (
                f"{_t('left', self.lang, n=0)} · <b>{_t('no_dots_left', self.lang)}</b>"
            )
            return  # never "−1 left": the count stops at the poll's dots
        self.dot_counts[option_id] = max(0, self.dot_counts.get(option_id, 0) + step)
        self._show_dots()

    def _show_dots(self) -> None:
        for (option_id, _), label in self.inputs.items():
            label.value = f"<b style='font-size:20px'>{self.dot_counts.get(option_id, 0)}</b>"
        left = self.poll.dots - sum(self.dot_counts.values())
        self.left.value = _t("left", self.lang, n=left)

    def _tap(self, option_id: str) -> None:
        if option_id in self.ranking:
            self.ranking.remove(option_id)
        else:
            self.ranking.append(option_id)
        self._show_ranking()

    def _reset(self) -> None:
        self.ranking = []
        self._show_ranking()

    def _show_ranking(self) -> None:
        for option in self.options:
            button = self.rank_buttons[option.id]
            if option.id in self.ranking:
                place = self.ranking.index(option.id) + 1
                button.description = f"{place}. {option.label}"
                show_chosen(button, True)
            else:
                button.description = option.label
                show_chosen(button, False)

    def marks(self) -> list[tally.Mark]:
        """What the page would send: read from the widgets as they are now."""
        method = self.poll.method.value
        if method == "dots":
            return [tally.Mark(o, n) for o, n in self.dot_counts.items() if n]
        if method == "approval":
            return [tally.Mark(o, 1) for (o, _), t in self.inputs.items() if t.value]
        if method in tally.RANKED:
            return [tally.Mark(o, i + 1) for i, o in enumerate(self.ranking)]
        return [tally.Mark(o, pick.value, c) for (o, c), pick in self.inputs.items()]

    def _on_submit(self, _button: object = None) -> None:
        try:
            receipt = polls.submit_ballot(self.store, self.actor, self.poll_id, self.marks())
        except SeparError as exc:
            _error(self.message, exc, self.lang)
            self.refresh()
            return
        key = "replaced" if receipt.replaced else "done"
        link = "<a href='/verify' target='_blank'>/verify</a>"
        verify = (
            f"<br><small>{_t('verify', self.lang, url=link)}</small>" if self.poll.anonymous else ""
        )
        code = f"<b style='white-space:nowrap'>{html.escape(receipt.ballot_id)}</b>"
        self.message.value = (
            f'<span role="status" style="color:#1e6b30;font-size:18px">'
            f"{_t(key, self.lang, code=code)}</span>{verify}"
        )
        self.submit.description = _t("resubmit", self.lang)


class PollControl(w.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """The facilitator's panel: create from pasted lines (or create and start at once),
    open/close/reveal with a confirmation when revealing mid-vote, put it live, paper
    ballots. The ballot count follows the store while phones vote."""

    def __init__(self, store: Store, actor: Actor, lang: Lang | None = None):
        self.store, self.actor = store, actor
        self.lang = lang = _lang(store, lang)
        self.title = w.Text(description=_t("title", lang), layout=w.Layout(width="32em"))
        self.question = w.Text(description=_t("question", lang), layout=w.Layout(width="32em"))
        self.method = w.Dropdown(
            description=_t("method", lang),
            options=[(polls.PollMethod(m).label(lang), m) for m in tally.METHODS],
        )
        self.options_box = w.Textarea(
            placeholder=_t("options", lang), layout=w.Layout(width="32em", height="110px")
        )
        self.criteria_box = w.Textarea(
            placeholder=_t("criteria_box", lang), layout=w.Layout(width="32em", height="70px")
        )
        self.dots = w.BoundedIntText(
            3,
            min=1,
            max=100,
            description=_t("dots_n", lang),
            style={"description_width": "initial"},
        )
        self.cap = w.BoundedIntText(
            0, min=0, max=100, description=_t("cap_n", lang), style={"description_width": "initial"}
        )
        self.anonymous = w.Checkbox(False, description=_t("anonymous", lang))
        self.create = w.Button(description=_t("create", lang), layout=w.Layout(min_height="40px"))
        self.create_open = w.Button(
            description=_t("create_open", lang),
            button_style="primary",
            icon="play",
            layout=w.Layout(min_height="40px", width="auto"),
        )
        self.create.on_click(lambda _b: self._on_create(start=False))
        self.create_open.on_click(lambda _b: self._on_create(start=True))
        self.method.observe(lambda _c: self._method_fields(), "value")
        self.poll = w.Dropdown(description=_t("poll", lang), layout=w.Layout(width="32em"))
        self.poll.observe(lambda _c: self._show_state(), "value")
        self.state = w.HTML()
        self.steps = {}
        for step in ("open", "close", "reveal"):
            button = w.Button(description=_t(step, lang), layout=w.Layout(min_height="40px"))
            button.on_click(lambda _b, s=step: self._on_step(s))
            self.steps[step] = button
        self.warning = w.HTML()
        self.reveal_anyway = w.Button(description=_t("reveal_anyway", lang), button_style="danger")
        self.cancel = w.Button(description=_t("cancel", lang))
        self.reveal_anyway.on_click(lambda _b: self._reveal(confirm=True))
        self.cancel.on_click(lambda _b: self._confirming(False))
        self.confirm = w.VBox([self.warning, w.HBox([self.reveal_anyway, self.cancel])])
        self.live = LiveButton(store, actor, "voting", lambda: self.poll.value, lang)
        self.paper = w.Textarea(
            placeholder=_t("paper", lang), layout=w.Layout(width="32em", height="90px")
        )
        self.voters = w.BoundedIntText(
            1,
            min=1,
            max=10000,
            description=_t("voters", lang),
            style={"description_width": "initial"},
        )
        self.enter = w.Button(description=_t("enter", lang))
        self.enter.on_click(self._on_paper)
        self.message = w.HTML()
        make = w.VBox(
            [
                self.title,
                self.question,
                self.method,
                self.options_box,
                self.criteria_box,
                w.HBox([self.dots, self.cap]),
                self.anonymous,
                w.HBox([self.create_open, self.create]),
            ]
        )
        run = w.VBox(
            [self.poll, self.state, w.HBox(list(self.steps.values())), self.confirm, self.live]
        )
        paper = w.VBox([self.paper, self.voters, self.enter])
        self.parts = w.Accordion(
            children=[make, run, paper],
            titles=[_t("section_make", lang), _t("section_run", lang), _t("section_paper", lang)],
        )
        self.parts.selected_index = 1
        super().__init__([self.parts, self.message])
        self._confirming(False)
        self._method_fields()
        self.refresh()
        if not self.poll.options:
            self.parts.selected_index = 0

    def _method_fields(self) -> None:
        """Only the settings the chosen method uses: fewer boxes, fewer mistakes."""
        method = self.method.value
        self.criteria_box.layout.display = None if method == "criteria" else "none"
        self.dots.layout.display = self.cap.layout.display = None if method == "dots" else "none"

    def _confirming(self, show: bool) -> None:
        self.warning.value = status_html(_t("confirm_reveal", self.lang), ok=False) if show else ""
        self.confirm.layout.display = None if show else "none"

    def refresh(self) -> None:
        current = self.poll.value
        found = self.store.list(polls.Poll)
        counts: dict[str, int] = {}
        for ballot in self.store.list(polls.PollBallot):
            counts[ballot.poll_id] = counts.get(ballot.poll_id, 0) + ballot.voters
        self.poll.options = [
            (
                _t(
                    "poll_label",
                    self.lang,
                    title=p.title,
                    status=p.status.label(self.lang),
                    n=counts.get(p.id, 0),
                ),
                p.id,
            )
            for p in found
        ]
        ids = [p.id for p in found]
        self.poll.value = current if current in ids else (ids[-1] if ids else None)
        self._show_state()

    def _show_state(self) -> None:
        if self.poll.value is None:
            self.state.value = ""
            return
        poll = self.store.get(polls.Poll, self.poll.value)
        n = sum(b.voters for b in self.store.list(polls.PollBallot, poll_id=poll.id))
        said = _t("state", self.lang, status=poll.status.label(self.lang), n=n)
        if poll.results_revealed:
            said += f" · {_t('revealed', self.lang)}"
        self.state.value = f"<p style='font-size:1.1em'>{html.escape(said)}</p>"
        self.steps["open"].disabled = poll.status != polls.PollStatus.draft
        self.steps["close"].disabled = poll.status != polls.PollStatus.open
        self.steps["reveal"].disabled = (
            poll.status == polls.PollStatus.draft or poll.results_revealed
        )

    def _criteria(self) -> dict[str, float]:
        out: dict[str, float] = {}
        if self.method.value != "criteria":
            return out
        for line in polls.parse_lines(self.criteria_box.value):
            name, _, weight = line.partition("=")
            try:
                out[name.strip()] = float(weight) if weight.strip() else 1.0
            except ValueError:
                raise SeparError("bad_weights", value=line) from None
        return out

    def _on_create(self, _b: object = None, *, start: bool = False) -> None:
        try:
            poll = polls.create_poll(
                self.store,
                self.actor,
                self.title.value,
                self.method.value,
                options=self.options_box.value,
                criteria=self._criteria(),
                question=self.question.value or None,
                dots=self.dots.value,
                cap=self.cap.value or None,
                anonymous=bool(self.anonymous.value),
            )
        except SeparError as exc:
            show_error(self.message, exc, self.lang)
            return
        self.refresh()
        self.poll.value = poll.id
        show_status(self.message, _t("created", self.lang, title=poll.title), ok=True)
        if start:
            try:
                polls.open_poll(self.store, self.actor, poll.id)
            except SeparError as exc:
                show_error(self.message, exc, self.lang)
                return
            self.refresh()
            if self.live.go():
                show_status(self.message, _t("opened_live", self.lang, title=poll.title), ok=True)
            else:
                self.message.value = self.live.status.value
        self.parts.selected_index = 1

    def _on_step(self, step: str) -> None:
        if step == "reveal":
            self._reveal(confirm=False)
            return
        action = {"open": polls.open_poll, "close": polls.close_poll}[step]
        try:
            action(self.store, self.actor, str(self.poll.value))
        except SeparError as exc:
            show_error(self.message, exc, self.lang)
            return
        show_status(
            self.message, _t("opened" if step == "open" else "closed_done", self.lang), ok=True
        )
        self._confirming(False)
        self.refresh()

    def _reveal(self, *, confirm: bool) -> None:
        """Reveal a closed poll at once; an open one only after the explicit second click."""
        try:
            polls.reveal_results(self.store, self.actor, str(self.poll.value), confirm=confirm)
        except SeparError as exc:
            if exc.key == "poll_reveal_open":
                self._confirming(True)
                self.message.value = ""
                return
            self._confirming(False)
            show_error(self.message, exc, self.lang)
            return
        self._confirming(False)
        show_status(self.message, _t("revealed", self.lang), ok=True)
        self.refresh()

    def _on_paper(self, _b: object = None) -> None:
        try:
            ballots = polls.parse_paper(self.store, str(self.poll.value), self.paper.value)
            done = polls.enter_paper_ballots(
                self.store, self.actor, str(self.poll.value), ballots, voters=self.voters.value
            )
        except SeparError as exc:
            show_error(self.message, exc, self.lang)
            return
        self.paper.value = ""
        show_status(self.message, _t("entered", self.lang, n=len(done)), ok=True)
        self.refresh()


class ResultsView(w.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """The projector: ranking table, chart, turnout, other readings; hidden until revealed.

    ``preview`` lets a facilitator look before revealing (on their own screen only).
    """

    def __init__(
        self,
        store: Store,
        actor: Actor,
        poll_id: str,
        lang: Lang | None = None,
        preview: bool = False,
    ):
        self.store, self.actor, self.poll_id = store, actor, poll_id
        self.lang = _lang(store, lang)
        self.preview = preview and actor.facilitator
        self.table = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.notes = w.HTML()
        super().__init__([self.table, self.chart, self.notes])
        self.refresh()

    def refresh(self) -> None:
        poll = self.store.get(polls.Poll, self.poll_id)
        if not (poll.results_revealed or self.preview):
            self.table.value = f"<h3>{html.escape(poll.title)}</h3><p>{_t('hidden', self.lang)}</p>"
            self.chart.value = b""
            self.chart.layout.display = "none"
            self.notes.value = ""
            return
        try:
            res = polls.results(self.store, self.actor, self.poll_id)
        except SeparError as exc:
            _error(self.notes, exc, self.lang)
            return
        self.table.value = results_html(res, self.lang)
        if polls.no_ballots(res):
            self.chart.value = b""
            self.chart.layout.display = "none"
            self.notes.value = ""
            return
        from separ.figures.voting import score_bars

        self.chart.value = figure_png(score_bars(res, self.lang), 90)
        self.chart.layout.display = None
        self.notes.value = ""


def results_html(res: polls.PollResults, lang: Lang) -> str:
    """The ranking table with turnout, other methods' ranks, ★ moved and ⚑ contested;
    "아직 투표가 없습니다" while there is nothing to rank (not every option tied at 0)."""
    from separ.figures.voting import turnout_text
    from separ.ui.base import cell_text

    if polls.no_ballots(res):
        return (
            f"<h3>{html.escape(res.poll.title)}</h3>"
            f"<p style='font-size:1.2em'>{html.escape(_t('no_ballots', lang))}</p>"
        )

    frame = polls.ranking_frame(res, lang)
    spread = {s.option: s for s in res.spreads}
    heads = "".join(
        f"<th>{html.escape(str(c))}</th>"
        for c in frame.columns
        if c not in (polls.COLUMNS["moved"][lang], polls.COLUMNS["contested"][lang])
    )
    rows = []
    for place, (_, row) in zip(res.result.ranking, frame.iterrows(), strict=True):
        marks = ("★" if place.option in res.moved else "") + (
            "⚑" if place.option in spread and spread[place.option].contested else ""
        )
        cells = []
        for column, value in row.items():
            if column in (polls.COLUMNS["moved"][lang], polls.COLUMNS["contested"][lang]):
                continue
            shown = html.escape(cell_text(value, lang))
            if column == polls.COLUMNS["option"][lang] and marks:
                shown += f" <b>{marks}</b>"
            cells.append(f"<td>{shown}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    notes = []
    if res.moved:
        notes.append(_t("moved_note", lang))
    if any(s.contested for s in res.spreads):
        notes.append(_t("contested_note", lang))
    for i, rnd in enumerate(res.result.rounds, start=1):
        if rnd.tie:
            names = ", ".join(res.label(o) for o in rnd.eliminated)
            notes.append(_t("tied_round", lang, n=i, names=names))
    if res.result.winner is None and res.result.ranking:
        notes.insert(0, _t("no_winner", lang))
    method = polls.view_name(res.rules.method, lang)
    return (
        f"<h3>{html.escape(res.poll.title)}</h3>"
        f"<p>{html.escape(method)} · {html.escape(turnout_text(res, lang))}</p>"
        f"<table style='font-size:20px;word-break:keep-all'><tr>{heads}</tr>"
        f"{''.join(rows)}</table>" + "".join(f"<p>{html.escape(n)}</p>" for n in notes)
    )


class PollResultsPanel(w.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """The facilitator's results screen: pick a poll, see its table and every chart
    (previewed before revealing; the projector's :class:`ResultsView` waits for reveal).
    Redrawn only when the chosen poll's ballots or state moved (charts are costly)."""

    def __init__(self, store: Store, actor: Actor, lang: Lang | None = None):
        self.store, self.actor = store, actor
        self.lang = _lang(store, lang)
        self.poll = w.Dropdown(description=_t("poll", self.lang), layout=w.Layout(width="32em"))
        self.poll.observe(lambda _c: self._show(), "value")
        self.live = LiveButton(store, actor, "voting", lambda: self.poll.value, self.lang)
        self.body = w.VBox()
        self.drawn: object = None
        super().__init__([w.HBox([self.poll, self.live]), self.body])
        self.refresh()

    def refresh(self) -> None:
        found = self.store.list(polls.Poll)
        current = self.poll.value
        options = [(p.title, p.id) for p in found]
        if options != list(self.poll.options):
            self.poll.options = options
        ids = [p.id for p in found]
        self.poll.value = current if current in ids else (ids[-1] if ids else None)
        self._show()

    def _show(self) -> None:
        if self.poll.value is None:
            self.drawn = None
            self.body.children = (w.HTML(_t("none", self.lang)),)
            return
        state = _poll_state(self.store, self.poll.value)
        if (self.poll.value, state) == self.drawn:
            return
        self.drawn = (self.poll.value, state)
        from separ.figures.voting import result_figures

        view = ResultsView(self.store, self.actor, self.poll.value, self.lang, preview=True)
        charts = []
        try:
            res = polls.results(self.store, self.actor, self.poll.value)
        except SeparError as exc:
            self.body.children = (view, w.HTML(status_html(exc.message(self.lang), ok=False)))
            return
        if not polls.no_ballots(res):
            for fig in list(result_figures(res, self.lang).values())[1:]:
                charts.append(
                    w.Image(
                        value=figure_png(fig, 90), format="png", layout=w.Layout(max_width="100%")
                    )
                )
        self.body.children = (view, *charts)


class VoteCarryPanel(w.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """A poll's top places into the roadmap in one step: pick the poll, how many places
    (ties come along), tasks or strategies; the preview shows what would be made."""

    def __init__(self, store: Store, actor: Actor, lang: Lang | None = None):
        self.store, self.actor = store, actor
        self.lang = lang = _lang(store, lang)
        self.poll = w.Dropdown(description=_t("poll", lang), layout=w.Layout(width="32em"))
        self.top = w.BoundedIntText(
            3, min=1, max=50, description=_t("top", lang), style={"description_width": "initial"}
        )
        self.into = w.ToggleButtons(
            options=[
                (_t("into_tasks", lang), "tasks"),
                (_t("into_strategies", lang), "strategies"),
            ],
            description=_t("into", lang),
        )
        self.strategy = w.Dropdown(description=_t("strategy", lang), layout=w.Layout(width="32em"))
        self.preview = w.HTML()
        self.go = w.Button(
            description=_t("carry_go", lang),
            button_style="primary",
            icon="arrow-right",
            layout=w.Layout(min_height="40px", width="auto"),
        )
        self.message = w.HTML()
        for control in (self.poll, self.top, self.into, self.strategy):
            control.observe(lambda _c: self._preview(), "value")
        self.go.on_click(lambda _b: self._carry())
        super().__init__(
            [
                self.poll,
                w.HBox([self.top, self.into]),
                self.strategy,
                self.preview,
                self.go,
                self.message,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        from separ import roadmap

        keep_poll, keep_strategy = self.poll.value, self.strategy.value
        found = [p for p in self.store.list(polls.Poll) if p.status != polls.PollStatus.draft]
        self.poll.options = [(p.title, p.id) for p in found]
        ids = [p.id for p in found]
        self.poll.value = keep_poll if keep_poll in ids else (ids[-1] if ids else None)
        strategies = self.store.list(roadmap.Strategy, order_by="order")
        self.strategy.options = [(f"{s.code}. {s.title}", s.id) for s in strategies]
        sids = [s.id for s in strategies]
        self.strategy.value = (
            keep_strategy if keep_strategy in sids else (sids[0] if sids else None)
        )
        self._preview()

    def _preview(self) -> None:
        from separ import carry

        self.strategy.layout.display = None if self.into.value == "tasks" else "none"
        if self.poll.value is None:
            self.preview.value = status_html(_t("none", self.lang), ok=True)
            self.go.disabled = True
            return
        try:
            items = carry.votes_preview(
                self.store, self.poll.value, int(self.top.value), self.into.value, self.lang
            )
        except SeparError as exc:
            self.preview.value = status_html(exc.message(self.lang), ok=False)
            self.go.disabled = True
            return
        self.go.disabled = not any(not i.already for i in items)
        self.preview.value = rows_html(
            [
                _t("col_place", self.lang),
                _t("col_item", self.lang),
                _t("col_why", self.lang),
                _t("col_new", self.lang),
            ],
            [(i.rank, i.label, i.detail, not i.already) for i in items],
            self.lang,
            caption=_t("preview_head", self.lang),
        )

    def _carry(self) -> None:
        from separ import carry

        try:
            made = carry.votes_to_roadmap(
                self.store,
                self.actor,
                str(self.poll.value),
                int(self.top.value),
                into=self.into.value,
                strategy_id=self.strategy.value,
                lang=self.lang,
            )
        except SeparError as exc:
            show_error(self.message, exc, self.lang)
            return
        show_status(self.message, _t("carried", self.lang, n=len(made)), ok=True)
        self._preview()


def voting_page(store: Store, actor: Actor, lang: Lang | None = None) -> w.Widget:
    """Workbook 03 as an app: create and run polls, results, paper ballots, carry forward.
    Every panel follows the store, so ballot counts move while phones vote."""
    lang = _lang(store, lang)
    if not actor.facilitator:
        return w.HTML(status_html(SeparError("facilitator_only").message(lang), ok=False))
    control = follow(store, PollControl(store, actor, lang))
    page = sections(
        [
            (_t("section_run", lang), control),
            (
                _t("section_results", lang),
                lambda: follow(store, PollResultsPanel(store, actor, lang)),
            ),
            (_t("section_carry", lang), lambda: follow(store, VoteCarryPanel(store, actor, lang))),
        ]
    )
    return page


# -- the live room: a phone's ballot and the projector, for the poll the facilitator put live --

PROJECTOR_ACTOR = Actor(participant_id=None, display_name="projector")
"""The projector shows what the room may see: results only once revealed (a facilitator
Actor would preview them)."""


def _poll_state(store: Store, poll_id: str) -> tuple[str, bool, int]:
    """Status, revealed and ballot count, read once per sweep of the live poller for all
    pages: 300 phones then cost one read per change, not 300."""

    def read() -> tuple[str, bool, int]:
        with store.reading() as tx:
            poll = tx.get(polls.Poll, poll_id)
            n = len(tx.find(polls.PollBallot, poll_id=poll_id))
        return poll.status.value, poll.results_revealed, n

    state: tuple[str, bool, int] = shared(f"poll:{poll_id}", read)
    return state


def ranking_html(res: polls.PollResults, lang: Lang) -> str:
    """The revealed ranking as plain HTML (no pandas, no figure: it goes to every phone)."""
    rows = "".join(
        f"<li><b>{_t('place', lang, rank=place.rank)}</b> {html.escape(res.label(place.option))}"
        f" <span style='color:#555'>({tally.number(place.score)})</span></li>"
        for place in res.result.ranking
    )
    return (
        f"<h3>{_t('results', lang)} · {_t('ballots', lang, n=res.voted)}</h3>"
        f"<ol style='list-style:none;padding-left:0;font-size:20px;line-height:1.6'>"
        f"{rows}</ol>"
    )


class LiveBallot(w.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """A phone's page while a poll is live: the ballot, then the ranking once revealed.

    It re-reads the poll only when its status, reveal or ballot count moved, so other
    people's ballots cost each phone one shared read, not three queries.
    """

    def __init__(self, store: Store, actor: Actor, poll_id: str) -> None:
        self.store, self.actor, self.poll_id = store, actor, poll_id
        self.ballot = BallotView(store, actor, poll_id)
        self.results = w.HTML()
        self.seen: tuple[str, bool] | None = None
        super().__init__([self.ballot, self.results], layout=w.Layout(width="100%"))
        self.refresh()

    def refresh(self) -> None:
        status, revealed, _n = _poll_state(self.store, self.poll_id)
        if (status, revealed) == self.seen:
            return
        if self.seen is not None:
            self.ballot.refresh()
        self.seen = (status, revealed)
        # a closed poll takes no ballot: no button that looks like it would
        self.ballot.submit.layout.display = None if status == "open" else "none"
        if not revealed:
            self.results.value = ""
            return
        res = shared(
            f"poll-results:{self.poll_id}",
            lambda: polls.results(self.store, PROJECTOR_ACTOR, self.poll_id),
        )
        self.results.value = ranking_html(res, self.ballot.lang)


def participant_view(store: Store, actor: Actor, target_id: str) -> w.Widget:
    """What a phone shows while the facilitator has put the poll ``target_id`` live."""
    return LiveBallot(store, actor, target_id)


def projector_view(store: Store, target_id: str) -> w.Widget:
    """The room's screen for the live poll: the question, options and turnout; the ranking
    once revealed (sized for the back row)."""
    from separ.ui.projector import poll_view

    return poll_view(store, target_id)
