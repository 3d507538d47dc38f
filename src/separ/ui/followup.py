"""Facilitator widgets of the follow-up: progress log, review, indicators, Delphi control.

Thin views over :mod:`separ.progress`, :mod:`separ.indicators` and :mod:`separ.delphi`:
each button calls one domain function with the notebook's :class:`~separ.actors.Actor`
(which re-checks rights and values) and shows a :class:`~separ.errors.SeparError` as one
line. ``refresh()`` re-reads the store.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from separ import delphi as dp
from separ import indicators as ind
from separ import progress as pg
from separ.actors import Actor
from separ.i18n import LANGS, Lang, add_messages, text
from separ.roadmap import FundingSide
from separ.store import Store
from separ.ui.base import ActionView

add_messages(
    {
        "followup_ui_line_item": {"ko": "{item} {amount}원", "en": "{item} {amount} KRW"},
        "followup_ui_review_slipped": {"ko": "지연된 일", "en": "Slipped"},
        "followup_ui_review_dropped": {"ko": "중단된 일과 사유", "en": "Dropped, with reasons"},
        "followup_ui_review_spending": {"ko": "예산 대비 집행", "en": "Spending against budget"},
        "followup_ui_taking": {"ko": "응답 받는 중", "en": "taking answers"},
        "followup_ui_closed_state": {"ko": "마감", "en": "closed"},
        "followup_ui_summary": {
            "ko": "{round}라운드 · {state} · 패널 {people}명 · 문항 {items}개 · 응답 {answers}건",
            "en": "Round {round} · {state} · {people} panellists · {items} items · {answers} answers",
        },
        "followup_ui_rule": {
            "ko": "채택 기준(적합 ≥ {share}, 중앙값 ≥ {median}) 통과: {kept}",
            "en": "Kept (suitable ≥ {share}, median ≥ {median}): {kept}",
        },
        "followup_ui_no_answers": {
            "ko": "아직 응답이 있는 델파이 조사가 없습니다.",
            "en": "No Delphi study has answers yet.",
        },
        "followup_ui_task": {"ko": "과제", "en": "Task"},
        "followup_ui_activity": {"ko": "세부활동", "en": "Activity"},
        "followup_ui_date": {"ko": "날짜", "en": "Date"},
        "followup_ui_state": {"ko": "상태", "en": "Status"},
        "followup_ui_percent": {"ko": "진척률(%)", "en": "Progress (%)"},
        "followup_ui_note": {"ko": "내용", "en": "Note"},
        "followup_ui_reason": {"ko": "중단 사유", "en": "Why dropped"},
        "followup_ui_save": {"ko": "현황 기록", "en": "Record status"},
        "followup_ui_quick": {"ko": "작은 성공(퀵윈) 과제", "en": "Quick win"},
        "followup_ui_url": {"ko": "근거 링크", "en": "Evidence link"},
        "followup_ui_url_title": {"ko": "링크 제목", "en": "Link title"},
        "followup_ui_add_url": {"ko": "근거 추가", "en": "Add evidence"},
        "followup_ui_line": {"ko": "예산 항목", "en": "Budget line"},
        "followup_ui_amount": {"ko": "집행액(원)", "en": "Spent (KRW)"},
        "followup_ui_add_spend": {"ko": "집행 기록", "en": "Record spending"},
        "followup_ui_whole_task": {"ko": "(과제 전체)", "en": "(whole task)"},
        "followup_ui_no_line": {"ko": "(항목 없음)", "en": "(no line)"},
        "followup_ui_recorded": {"ko": "기록했습니다", "en": "Recorded"},
        "followup_ui_saved": {"ko": "저장했습니다", "en": "Saved"},
        "followup_ui_evidence_added": {"ko": "근거를 추가했습니다", "en": "Evidence added"},
        "followup_ui_spent": {"ko": "집행을 기록했습니다", "en": "Spending recorded"},
        "followup_ui_template": {"ko": "지표 틀", "en": "Template"},
        "followup_ui_load": {"ko": "틀 불러오기", "en": "Load template"},
        "followup_ui_indicator": {"ko": "지표", "en": "Indicator"},
        "followup_ui_measured_on": {"ko": "측정일", "en": "Measured on"},
        "followup_ui_value": {"ko": "값", "en": "Value"},
        "followup_ui_record_value": {"ko": "측정값 기록", "en": "Record value"},
        "followup_ui_loaded": {"ko": "불러왔습니다", "en": "Loaded"},
        "followup_ui_study": {"ko": "델파이", "en": "Delphi"},
        "followup_ui_new_study": {"ko": "새 조사", "en": "New study"},
        "followup_ui_create": {"ko": "조사 만들기", "en": "Create study"},
        "followup_ui_min_share": {"ko": "적합 비율", "en": "Min. suitable"},
        "followup_ui_min_median": {"ko": "중앙값", "en": "Min. median"},
        "followup_ui_thresholds": {"ko": "기준 저장", "en": "Save thresholds"},
        "followup_ui_round": {"ko": "라운드", "en": "Round"},
        "followup_ui_open_round": {"ko": "응답 받기 시작", "en": "Start answers"},
        "followup_ui_close_round": {"ko": "응답 마감", "en": "Close answers"},
        "followup_ui_item_code": {"ko": "문항 번호", "en": "Item code"},
        "followup_ui_item_text": {"ko": "문항", "en": "Item"},
        "followup_ui_add_item": {"ko": "문항 추가", "en": "Add item"},
        "followup_ui_person": {"ko": "명단에서", "en": "From roster"},
        "followup_ui_name_hint": {"ko": "명단에 없으면 이름", "en": "name if not on the roster"},
        "followup_ui_name": {"ko": "패널 이름", "en": "Panellist"},
        "followup_ui_group": {"ko": "그룹", "en": "Group"},
        "followup_ui_group_hint": {"ko": "예: 자치구 / 서울시", "en": "e.g. district / city"},
        "followup_ui_add_person": {"ko": "패널 추가", "en": "Add panellist"},
        "followup_ui_created": {"ko": "만들었습니다", "en": "Created"},
        "followup_ui_opened": {"ko": "응답을 받습니다", "en": "Taking answers"},
        "followup_ui_closed": {"ko": "마감했습니다", "en": "Closed"},
        "followup_ui_item_added": {"ko": "문항을 추가했습니다", "en": "Item added"},
        "followup_ui_person_added": {"ko": "패널을 추가했습니다", "en": "Panellist added"},
        "followup_ui_h_progress": {"ko": "추진 현황 기록", "en": "Record progress"},
        "followup_ui_h_evidence": {"ko": "근거 자료", "en": "Evidence"},
        "followup_ui_h_spending": {"ko": "예산 집행", "en": "Spending"},
        "followup_ui_h_delphi": {"ko": "델파이 조사", "en": "Delphi study"},
        "followup_ui_sv_003": {
            "ko": "사회적가치 4대분류·10소분류 (003)",
            "en": "social value, 4 areas and 10 fields (003)",
        },
        "followup_ui_from_roadmap": {
            "ko": "로드맵에서 (004 구조)",
            "en": "from the roadmap (004 layout)",
        },
    }
)


def _f(lang: Lang, key: str, **params: object) -> str:
    return text(f"followup_ui_{key}", lang, **params)


def _heading(lang: Lang, tag: str, key: str) -> widgets.HTML:
    return widgets.HTML(f"<{tag}>{html.escape(_f(lang, key))}</{tag}>")


def _wide() -> widgets.Layout:
    return widgets.Layout(width="460px")


add_messages(
    {
        "followup_ui_head_task": {"ko": "과제", "en": "task"},
        "followup_ui_head_title": {"ko": "제목", "en": "title"},
        "followup_ui_head_status": {"ko": "상태", "en": "status"},
        "followup_ui_head_percent": {"ko": "진척률(%)", "en": "progress (%)"},
        "followup_ui_head_date": {"ko": "기록일", "en": "recorded"},
        "followup_ui_head_reason": {"ko": "사유", "en": "reason"},
        "followup_ui_head_quick_win": {"ko": "작은 성공", "en": "quick win"},
        "followup_ui_head_label": {"ko": "구분", "en": "group"},
        "followup_ui_head_tasks": {"ko": "과제 수", "en": "tasks"},
        "followup_ui_head_budget": {"ko": "예산(원)", "en": "budget (KRW)"},
        "followup_ui_head_spent": {"ko": "집행(원)", "en": "spent (KRW)"},
        "followup_ui_head_rate": {"ko": "집행률", "en": "rate"},
        "followup_ui_head_side": {"ko": "재원", "en": "funding"},
        "followup_ui_head_year": {"ko": "연도", "en": "year"},
        "followup_ui_head_last_update": {"ko": "마지막 기록", "en": "last update"},
        "followup_ui_head_planned_end": {"ko": "계획 종료", "en": "planned end"},
        "followup_ui_head_workshop": {"ko": "워크숍", "en": "workshop"},
        "followup_ui_head_region": {"ko": "지역", "en": "region"},
        "followup_ui_head_strategies": {"ko": "전략 수", "en": "strategies"},
        "followup_ui_head_indicators": {"ko": "지표 수", "en": "indicators"},
        "followup_ui_head_measured": {"ko": "측정한 지표", "en": "measured"},
        "followup_ui_head_indicator_progress": {
            "ko": "지표 달성도(%)",
            "en": "indicator progress (%)",
        },
        # the Delphi results frame (delphi.results_frame)
        "followup_ui_head_code": {"ko": "번호", "en": "no."},
        "followup_ui_head_item": {"ko": "문항", "en": "item"},
        "followup_ui_head_section": {"ko": "영역", "en": "section"},
        "followup_ui_head_new": {"ko": "새 문항", "en": "new item"},
        "followup_ui_head_round": {"ko": "라운드", "en": "round"},
        "followup_ui_head_group": {"ko": "그룹", "en": "group"},
        "followup_ui_head_n": {"ko": "응답 수", "en": "answers"},
        "followup_ui_head_share": {"ko": "적합 비율", "en": "suitable"},
        "followup_ui_head_median": {"ko": "중앙값", "en": "median"},
        "followup_ui_head_q1": {"ko": "1사분위", "en": "Q1"},
        "followup_ui_head_q3": {"ko": "3사분위", "en": "Q3"},
        "followup_ui_head_iqr": {"ko": "사분위 범위", "en": "IQR"},
        "followup_ui_head_mean": {"ko": "평균", "en": "mean"},
        "followup_ui_head_sd": {"ko": "표준편차", "en": "SD"},
        "followup_ui_head_cv": {"ko": "변이계수", "en": "CV"},
    }
)

HEADS: dict[str, dict[str, str]] = {
    column: {lang: _f(lang, f"head_{column}") for lang in LANGS}
    for column in (
        "task",
        "title",
        "status",
        "percent",
        "date",
        "reason",
        "quick_win",
        "label",
        "tasks",
        "budget",
        "spent",
        "rate",
        "side",
        "year",
        "last_update",
        "planned_end",
        "workshop",
        "region",
        "strategies",
        "indicators",
        "measured",
        "indicator_progress",
        "code",
        "item",
        "section",
        "new",
        "round",
        "group",
        "n",
        "share",
        "median",
        "q1",
        "q3",
        "iqr",
        "mean",
        "sd",
        "cv",
    )
}
"""Column heads of the progress and Delphi frames, whose columns are codes."""


def _frame_html(df: Any, lang: Lang = "ko") -> widgets.HTML:
    """A DataFrame as the kit's table for people (no index, 예/아니요, separators)."""
    from separ.ui.base import table

    return table(df, lang, hide=("key",), heads=HEADS)


class ProgressPanel(ActionView):
    """Log a dated status per task or activity, mark quick wins, add evidence and spending."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        def f(key: str) -> str:
            return _f(lang, key)

        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        if self._refuse():
            return
        self.task = widgets.Dropdown(description=f("task"), layout=_wide())
        self.activity = widgets.Dropdown(description=f("activity"), layout=_wide())
        self.date = widgets.DatePicker(description=f("date"), value=dt.date.today())
        self.state = widgets.Dropdown(
            description=f("state"),
            options=[(s.label(lang), s.value) for s in pg.Status],
            value=pg.Status.in_progress.value,
        )
        self.percent = widgets.IntSlider(description=f("percent"), min=0, max=100, step=5)
        self.note = widgets.Text(description=f("note"), layout=_wide())
        self.reason = widgets.Text(description=f("reason"), layout=_wide())
        self.save = widgets.Button(description=f("save"), button_style="primary")
        self.quick = widgets.Checkbox(description=f("quick"))
        self.url = widgets.Text(description=f("url"), placeholder="https://", layout=_wide())
        self.url_title = widgets.Text(description=f("url_title"), layout=_wide())
        self.add_url = widgets.Button(description=f("add_url"))
        self.line = widgets.Dropdown(description=f("line"), layout=_wide())
        self.amount = widgets.IntText(description=f("amount"))
        self.add_spend = widgets.Button(description=f("add_spend"))
        self.table = widgets.HTML()
        self.task.observe(lambda _: self._show_task(), names="value")
        self.save.on_click(lambda _: self._save())
        self.quick.observe(lambda change: self._quick(change["new"]), names="value")
        self.add_url.on_click(lambda _: self._evidence())
        self.add_spend.on_click(lambda _: self._spend())
        self.progress: pg.Progress | None = None
        self._painting = False
        super().__init__(
            [
                _heading(self.lang, "h3", "h_progress"),
                self.task,
                self.activity,
                self.date,
                self.state,
                self.percent,
                self.note,
                self.reason,
                self.save,
                self.quick,
                _heading(self.lang, "h4", "h_evidence"),
                self.url,
                self.url_title,
                self.add_url,
                _heading(self.lang, "h4", "h_spending"),
                self.line,
                self.amount,
                self.add_spend,
                self.status,
                self.table,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        if not self.actor.facilitator:
            return
        self.progress = pg.load_progress(self.store)
        keep = self.task.value
        tasks = self.progress.plan.tasks
        self.task.options = [(f"{t.code} {t.title}", t.id) for t in tasks]
        if keep in {t.id for t in tasks}:
            self.task.value = keep
        elif tasks:
            self.task.value = tasks[0].id
        self._show_task()
        frame = pg.status_frame(self.progress, lang=self.lang)
        self.table.value = _frame_html(
            frame[frame["activity"] == ""].drop(columns=["activity", "start", "end"]), self.lang
        ).value

    def _show_task(self) -> None:
        if self.progress is None or self.task.value is None:
            return
        plan = self.progress.plan
        task = plan.task(self.task.value)
        self.activity.options = [(_f(self.lang, "whole_task"), "")] + [
            (f"{a.title} ({a.start or ''}~{a.end or a.start or ''})", a.id)
            for a in plan.activities_of(task)
        ]
        self.line.options = [(_f(self.lang, "no_line"), "")] + [
            (_f(self.lang, "line_item", item=b.item, amount=f"{b.amount:,}"), b.id)
            for b in plan.budget
            if b.task_id == task.id
        ]
        self.activity.value = ""
        self.line.value = ""
        follow = self.progress.followups.get(task.id)
        self._painting = True
        self.quick.value = bool(follow and follow.quick_win)
        self._painting = False

    def _save(self) -> None:
        task_id = self.task.value
        if not task_id:
            return
        state = self.state.value
        percent = None if state in ("done", "not_started", "dropped") else self.percent.value
        if self._run(
            lambda: pg.record_update(
                self.store,
                self.actor,
                task_id,
                self.date.value or dt.date.today(),
                state,
                activity_id=self.activity.value or None,
                percent=percent,
                note=self.note.value,
                reason=self.reason.value,
            ),
            _f(self.lang, "recorded"),
        ):
            self.note.value = self.reason.value = ""

    def _quick(self, value: bool) -> None:
        task_id = self.task.value
        if task_id and not self._painting:
            self._run(
                lambda: pg.set_quick_win(self.store, self.actor, task_id, value),
                _f(self.lang, "saved"),
            )

    def _evidence(self) -> None:
        task_id = self.task.value
        if task_id and self._run(
            lambda: pg.add_evidence(
                self.store,
                self.actor,
                task_id,
                self.url.value,
                self.url_title.value,
                activity_id=self.activity.value or None,
                date=self.date.value,
            ),
            _f(self.lang, "evidence_added"),
        ):
            self.url.value = self.url_title.value = ""

    def _spend(self) -> None:
        task_id = self.task.value
        if task_id and self._run(
            lambda: pg.record_spending(
                self.store,
                self.actor,
                task_id,
                self.date.value or dt.date.today(),
                self.amount.value,
                budget_line_id=self.line.value or None,
                side=FundingSide.unspecified.value,
            ),
            _f(self.lang, "spent"),
        ):
            self.amount.value = 0


def review_view(store: Store, on: dt.date, lang: Lang = "ko") -> widgets.VBox:
    """The review tables at ``on``: slipped, dropped with reasons, spending vs budget."""
    progress = pg.load_progress(store)
    frames = pg.review_frames(pg.review(progress, on), progress, lang)
    parts: list[widgets.Widget] = []
    for key, df in frames.items():
        head = f"{_f(lang, f'review_{key}')} ({len(df):,})"
        parts.append(widgets.HTML(f"<h4>{html.escape(head)}</h4>"))
        parts.append(_frame_html(df, lang))
    return widgets.VBox(parts)


class IndicatorPanel(ActionView):
    """Load an indicator frame and enter measured values."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        def f(key: str) -> str:
            return _f(lang, key)

        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        if self._refuse():
            return
        self.template = widgets.Dropdown(
            description=f("template"),
            options=[(f("sv_003"), "sv_003"), (f("from_roadmap"), "roadmap")],
        )
        self.load = widgets.Button(description=f("load"))
        self.indicator = widgets.Dropdown(description=f("indicator"), layout=_wide())
        self.date = widgets.DatePicker(description=f("measured_on"), value=dt.date.today())
        self.value = widgets.FloatText(description=f("value"))
        self.save = widgets.Button(description=f("record_value"), button_style="primary")
        self.table = widgets.HTML()
        self.load.on_click(
            lambda _: self._run(
                lambda: ind.load_template(self.store, self.actor, self.template.value), f("loaded")
            )
        )
        self.save.on_click(lambda _: self._save())
        super().__init__(
            [
                _heading(self.lang, "h3", "indicator"),
                widgets.HBox([self.template, self.load]),
                self.indicator,
                self.date,
                self.value,
                self.save,
                self.status,
                self.table,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        if not self.actor.facilitator:
            return
        framework = ind.load_framework(self.store)
        keep = self.indicator.value
        self.indicator.options = [(f"{i.code} {i.name}", i.id) for i in framework.indicators]
        if keep in {i.id for i in framework.indicators}:
            self.indicator.value = keep
        elif framework.indicators:
            self.indicator.value = framework.indicators[0].id
        self.table.value = _frame_html(ind.series_frame(framework, self.lang), self.lang).value

    def _save(self) -> None:
        indicator_id = self.indicator.value
        if indicator_id:
            self._run(
                lambda: ind.record_value(
                    self.store, self.actor, indicator_id, self.date.value, self.value.value
                ),
                _f(self.lang, "recorded"),
            )


class DelphiControl(ActionView):
    """Create a study, add panellists and items, open and close rounds, see results."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        def f(key: str) -> str:
            return _f(lang, key)

        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        if self._refuse():
            return
        self.study = widgets.Dropdown(description=f("study"), layout=_wide())
        self.new_title = widgets.Text(description=f("new_study"), layout=_wide())
        self.create = widgets.Button(description=f("create"))
        self.min_share = widgets.FloatSlider(description=f("min_share"), min=0, max=1, step=0.05)
        self.min_median = widgets.FloatSlider(description=f("min_median"), min=1, max=7, step=0.5)
        self.thresholds = widgets.Button(description=f("thresholds"))
        self.round = widgets.BoundedIntText(description=f("round"), min=1, max=20)
        self.open_round = widgets.Button(description=f("open_round"), button_style="success")
        self.close_round = widgets.Button(description=f("close_round"), button_style="warning")
        self.item_code = widgets.Text(description=f("item_code"))
        self.item_text = widgets.Text(description=f("item_text"), layout=_wide())
        self.add_item = widgets.Button(description=f("add_item"))
        self.person = widgets.Dropdown(
            description=f("person"), options=[("—", None)], layout=_wide()
        )
        self.name = widgets.Text(description=f("name"), placeholder=f("name_hint"))
        self.group = widgets.Text(description=f("group"), placeholder=f("group_hint"))
        self.add_person = widgets.Button(description=f("add_person"))
        self.table = widgets.HTML()
        self._wanted: str | None = None
        self.study.observe(lambda _: self._show(), names="value")
        self.create.on_click(lambda _: self._create())
        self.thresholds.on_click(
            lambda _: self._with_study(
                lambda s: dp.set_thresholds(
                    self.store, self.actor, s, self.min_share.value, self.min_median.value
                ),
                f("saved"),
            )
        )
        self.open_round.on_click(
            lambda _: self._with_study(
                lambda s: dp.set_round(self.store, self.actor, s, self.round.value, True),
                f("opened"),
            )
        )
        self.close_round.on_click(
            lambda _: self._with_study(
                lambda s: dp.set_round(self.store, self.actor, s, self.round.value, False),
                f("closed"),
            )
        )
        self.add_item.on_click(
            lambda _: self._with_study(
                lambda s: dp.add_item(
                    self.store, self.actor, s, self.item_code.value, self.item_text.value
                ),
                f("item_added"),
            )
        )
        self.add_person.on_click(
            lambda _: self._with_study(
                lambda s: dp.add_panellist(
                    self.store,
                    self.actor,
                    s,
                    self.name.value or None,
                    self.group.value or None,
                    participant_id=self.person.value,
                ),
                f("person_added"),
            )
        )
        super().__init__(
            [
                _heading(self.lang, "h3", "h_delphi"),
                self.study,
                widgets.HBox([self.new_title, self.create]),
                widgets.HBox([self.min_share, self.min_median, self.thresholds]),
                widgets.HBox([self.round, self.open_round, self.close_round]),
                widgets.HBox([self.item_code, self.item_text, self.add_item]),
                widgets.HBox([self.person, self.name, self.group, self.add_person]),
                self.status,
                self.table,
            ]
        )
        self.refresh()

    def _create(self) -> None:
        def make() -> None:
            self._wanted = dp.create_study(self.store, self.actor, self.new_title.value).id

        self._run(make, _f(self.lang, "created"))

    def _with_study(self, action: Callable[[str], object], done: str) -> None:
        study_id = self.study.value
        if study_id:
            self._run(lambda: action(study_id), done)

    def refresh(self) -> None:
        if not self.actor.facilitator:
            return
        from separ.model import Participant

        self.person.options = [("—", None)] + [
            (p.name, p.id) for p in self.store.list(Participant, order_by="name")
        ]
        keep = self._wanted or self.study.value
        self._wanted = None
        found = dp.studies(self.store)
        self.study.options = [(s.title, s.id) for s in found]
        if keep in {s.id for s in found}:
            self.study.value = keep
        elif found:
            self.study.value = found[0].id
        self._show()

    def _show(self) -> None:
        if not self.study.value:
            self.table.value = ""
            return
        panel = dp.load_panel(self.store, self.study.value)
        self.min_share.value = panel.study.min_share
        self.min_median.max = panel.study.scale
        self.min_median.value = panel.study.min_median
        self.round.value = panel.study.current_round
        lang = self.lang
        state = _f(lang, "taking" if panel.study.open else "closed_state")
        decisions = dp.decide(panel)
        code = {i.id: i.code for i in panel.items}
        kept = ", ".join(code[d.item_id] for d in decisions if d.keep) or "-"
        df = dp.results_frame(panel, groups=False)
        summary = _f(
            lang,
            "summary",
            round=panel.study.current_round,
            state=state,
            people=len(panel.panellists),
            items=len(panel.items),
            answers=len(panel.responses),
        )
        rule = _f(
            lang,
            "rule",
            share=f"{panel.study.min_share:g}",
            median=f"{panel.study.min_median:g}",
            kept=kept,
        )
        self.table.value = (
            f"<p>{html.escape(summary)}</p><p>{html.escape(rule)}</p>"
            + _frame_html(df.round(2), lang).value
        )


def delphi_figures(store: Store, lang: Lang = "ko") -> widgets.VBox:
    """Each study's answer distributions and, from round 2 on, its convergence."""
    from separ.figures import followup as ff
    from separ.ui.roadmap import figure_image

    parts: list[widgets.Widget] = []
    for study in dp.studies(store):
        panel = dp.load_panel(store, study.id)
        rounds = sorted({r.round for r in panel.responses})
        if not rounds:
            continue
        parts.append(figure_image(ff.delphi_distributions(panel, lang)))
        if len(rounds) >= 2:
            parts.append(figure_image(ff.delphi_convergence(panel, rounds[-2], rounds[-1], lang)))
    if not parts:
        parts.append(widgets.HTML(f"<p>{html.escape(_f(lang, 'no_answers'))}</p>"))
    return widgets.VBox(parts)


# -- the stage page ----------------------------------------------------------------------------

add_messages(
    {
        "followup_ui_page_progress": {"ko": "추진 현황", "en": "Progress"},
        "followup_ui_page_review": {"ko": "계획 대비 실적", "en": "Plan vs reality"},
        "followup_ui_page_record": {"ko": "현황 기록", "en": "Record progress"},
        "followup_ui_page_indicators": {"ko": "지표", "en": "Indicators"},
        "followup_ui_page_delphi": {"ko": "델파이", "en": "Delphi"},
        "followup_ui_page_compare": {"ko": "워크숍 비교", "en": "Across workshops"},
        "followup_ui_page_on": {"ko": "점검일", "en": "Review date"},
        "followup_ui_page_on_note": {
            "ko": "점검일은 마지막 기록이 있는 해의 12월 31일입니다. 다른 날을 고를 수 있습니다.",
            "en": "The review date is 31 December of the latest record's year; pick another.",
        },
        "followup_ui_page_by_strategy": {"ko": "전략별", "en": "By strategy"},
        "followup_ui_page_by_committee": {"ko": "분과별", "en": "By sub-committee"},
        "followup_ui_page_red": {
            "ko": "붉은 테두리: 점검일까지 끝냈어야 하지만 끝나지 않은 일",
            "en": "Red outlines: due by the review date, not done",
        },
        "followup_ui_carry_head": {
            "ko": "채택된 문항을 지표로",
            "en": "Kept items into indicators",
        },
        "followup_ui_carry_purpose": {"ko": "넣을 목적(대분류)", "en": "Under purpose"},
        "followup_ui_carry_go": {"ko": "지표로 옮기기", "en": "Carry into indicators"},
        "followup_ui_carry_done": {
            "ko": "지표 {n}개를 만들었습니다.",
            "en": "Made {n} indicators.",
        },
        "followup_ui_carry_none": {"ko": "채택된 문항이 없습니다.", "en": "No item was kept."},
        "followup_ui_col_item": {"ko": "문항", "en": "Item"},
        "followup_ui_col_why": {"ko": "근거", "en": "Why"},
        "followup_ui_col_new": {"ko": "새로 만듦", "en": "New"},
    }
)


class DelphiCarryPanel(widgets.VBox):  # type: ignore[misc]
    """The items a Delphi panel kept become indicators under a purpose, after a preview."""

    def __init__(
        self, store: Store, actor: Actor, study: Callable[[], str | None], lang: Lang = "ko"
    ) -> None:
        self.store, self.actor, self.study, self.lang = store, actor, study, lang
        self.purpose = widgets.Dropdown(
            description=_f(lang, "carry_purpose"),
            layout=_wide(),
            style={"description_width": "initial"},
        )
        self.preview = widgets.HTML()
        self.go = widgets.Button(
            description=_f(lang, "carry_go"), button_style="primary", icon="arrow-right"
        )
        self.status = widgets.HTML()
        self.go.on_click(lambda _b: self._carry())
        super().__init__(
            [_heading(lang, "h4", "carry_head"), self.purpose, self.preview, self.go, self.status]
        )
        self.refresh()

    def refresh(self) -> None:
        from separ import carry
        from separ.ui.base import rows_html

        keep = self.purpose.value
        purposes = self.store.list(ind.Purpose, order_by="order")
        self.purpose.options = [(f"{p.code} {p.title}", p.id) for p in purposes]
        ids = [p.id for p in purposes]
        self.purpose.value = keep if keep in ids else (ids[0] if ids else None)
        study_id = self.study()
        items = carry.delphi_preview(self.store, study_id, lang=self.lang) if study_id else []
        self.go.disabled = not any(not i.already for i in items)
        self.preview.value = rows_html(
            [_f(self.lang, k) for k in ("col_item", "col_why", "col_new")],
            [(i.label, i.detail, not i.already) for i in items],
            self.lang,
        )

    def _carry(self) -> None:
        from separ import carry
        from separ.errors import SeparError
        from separ.ui.base import show_error, show_status

        try:
            made = carry.delphi_to_indicators(
                self.store, self.actor, str(self.study()), self.purpose.value, lang=self.lang
            )
        except SeparError as exc:
            show_error(self.status, exc, self.lang)
            return
        show_status(self.status, _f(self.lang, "carry_done", n=len(made)), ok=True)
        self.refresh()


class FollowupPage(widgets.VBox):  # type: ignore[misc]
    """Workbook 06 as an app: progress and its review at a date the facilitator picks
    (no code to edit), recording, indicators, Delphi rounds with "put live" and the
    kept items carried into indicators, and this workshop's summary."""

    def __init__(self, store: Store, actor: Actor, lang: Lang) -> None:
        from separ.ui.base import LiveButton, sections
        from separ.ui.delphi_rounds import rounds_section

        self.store, self.actor, self.lang = store, actor, lang
        progress = pg.load_progress(store)
        self.on = widgets.DatePicker(
            description=_f(lang, "page_on"), value=pg.yearly_review_date(progress)
        )
        self.overview = widgets.VBox()
        self.review = widgets.VBox()
        self.on.observe(lambda _c: self._dated(), "value")
        self.record = ProgressPanel(store, actor, lang)
        self.indicators = IndicatorPanel(store, actor, lang)
        self.delphi = DelphiControl(store, actor, lang)
        self.live = LiveButton(store, actor, "delphi", lambda: self.delphi.study.value, lang)
        self.carry = DelphiCarryPanel(store, actor, lambda: self.delphi.study.value, lang)
        self.delphi.study.observe(lambda _c: self.carry.refresh(), "value")
        self.views: list[Any] = [self.record, self.indicators, self.delphi, self.carry]
        note = widgets.HTML(f"<small>{html.escape(_f(lang, 'page_on_note'))}</small>")
        super().__init__(
            [
                widgets.HBox([self.on, note]),
                sections(
                    [
                        (_f(lang, "page_progress"), self.overview),
                        (_f(lang, "page_review"), self.review),
                        (_f(lang, "page_record"), self.record),
                        (_f(lang, "page_indicators"), self._indicators),
                        (
                            _f(lang, "page_delphi"),
                            lambda: widgets.VBox(
                                [self.live, self.delphi, self.carry, delphi_figures(store, lang)]
                            ),
                        ),
                        rounds_section(store, actor, lang),
                        (_f(lang, "page_compare"), self._across),
                    ]
                ),
            ],
            layout=widgets.Layout(width="100%"),
        )
        self._dated()

    def refresh(self) -> None:
        for view in self.views:
            view.refresh()

    def _dated(self) -> None:
        """The overview and the review at the chosen date."""
        from separ.figures import followup as ff
        from separ.ui.base import heading
        from separ.ui.roadmap import figure_image

        on = self.on.value or dt.date.today()
        progress = pg.load_progress(self.store)
        lang = self.lang
        self.overview.children = (
            figure_image(ff.progress_by_task(progress, on, lang)),
            heading(_f(lang, "page_by_strategy")),
            _frame_html(pg.rollup_frame(pg.rollup(progress, "strategy", on), lang), lang),
            heading(_f(lang, "page_by_committee")),
            _frame_html(pg.rollup_frame(pg.rollup(progress, "committee", on), lang), lang),
        )
        review = pg.review(progress, on)
        self.review.children = (
            heading(_f(lang, "page_review"), _f(lang, "page_red")),
            figure_image(ff.plan_vs_reality(progress, review, lang)),
            review_view(self.store, on, lang),
        )

    def _indicators(self) -> widgets.Widget:
        from separ.figures import followup as ff
        from separ.ui.roadmap import figure_image

        framework = ind.load_framework(self.store)
        return widgets.VBox(
            [figure_image(ff.indicator_series(framework, self.lang)), self.indicators]
        )

    def _across(self) -> widgets.Widget:
        from separ import compare as cp
        from separ.figures import followup as ff
        from separ.ui.roadmap import figure_image

        summary = cp.summarise(self.store, self.store.workshop().title)
        parts: list[widgets.Widget] = [_frame_html(cp.plans_frame([summary], self.lang), self.lang)]
        industry = cp.counts_of(self.store)
        if industry:
            parts.append(figure_image(ff.lq_heatmap(cp.location_quotients(industry), self.lang)))
        return widgets.VBox(parts)


def followup_page(store: Store, actor: Actor, lang: Lang | None = None) -> widgets.Widget:
    """The stage page of workbook 06, following the store (Delphi answers arrive live)."""
    from separ.errors import SeparError
    from separ.ui.base import follow, status_html

    chosen: Lang = lang or store.workshop().lang
    if not actor.facilitator:
        return widgets.HTML(status_html(SeparError("facilitator_only").message(chosen), ok=False))
    return follow(store, FollowupPage(store, actor, chosen))
