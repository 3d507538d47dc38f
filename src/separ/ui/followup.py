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
from separ.i18n import Lang
from separ.roadmap import FundingSide
from separ.store import Store
from separ.ui.base import ActionView


def _wide() -> widgets.Layout:
    return widgets.Layout(width="460px")


def _frame_html(df: Any) -> widgets.HTML:
    """A DataFrame as an HTML table (pandas escapes cell text; amounts get separators)."""
    from separ.report.followup_parts import table_html

    return widgets.HTML(table_html(df))


class ProgressPanel(ActionView):
    """Log a dated status per task or activity, mark quick wins, add evidence and spending."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        if self._refuse():
            return
        self.task = widgets.Dropdown(description="과제", layout=_wide())
        self.activity = widgets.Dropdown(description="세부활동", layout=_wide())
        self.date = widgets.DatePicker(description="날짜", value=dt.date.today())
        self.state = widgets.Dropdown(description="상태", options=[
            (s.label(lang), s.value) for s in pg.Status], value=pg.Status.in_progress.value)
        self.percent = widgets.IntSlider(description="진척률(%)", min=0, max=100, step=5)
        self.note = widgets.Text(description="내용", layout=_wide())
        self.reason = widgets.Text(description="중단 사유", layout=_wide())
        self.save = widgets.Button(description="현황 기록", button_style="primary")
        self.quick = widgets.Checkbox(description="작은 성공(퀵윈) 과제")
        self.url = widgets.Text(description="근거 링크", placeholder="https://", layout=_wide())
        self.url_title = widgets.Text(description="링크 제목", layout=_wide())
        self.add_url = widgets.Button(description="근거 추가")
        self.line = widgets.Dropdown(description="예산 항목", layout=_wide())
        self.amount = widgets.IntText(description="집행액(원)")
        self.add_spend = widgets.Button(description="집행 기록")
        self.table = widgets.HTML()
        self.task.observe(lambda _: self._show_task(), names="value")
        self.save.on_click(lambda _: self._save())
        self.quick.observe(lambda change: self._quick(change["new"]), names="value")
        self.add_url.on_click(lambda _: self._evidence())
        self.add_spend.on_click(lambda _: self._spend())
        self.progress: pg.Progress | None = None
        self._painting = False
        super().__init__([
            widgets.HTML("<h3>추진 현황 기록</h3>"), self.task, self.activity, self.date,
            self.state, self.percent, self.note, self.reason, self.save, self.quick,
            widgets.HTML("<h4>근거 자료</h4>"), self.url, self.url_title, self.add_url,
            widgets.HTML("<h4>예산 집행</h4>"), self.line, self.amount, self.add_spend,
            self.status, self.table])
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
        self.table.value = _frame_html(frame[frame["activity"] == ""].drop(
            columns=["activity", "start", "end"])).value

    def _show_task(self) -> None:
        if self.progress is None or self.task.value is None:
            return
        plan = self.progress.plan
        task = plan.task(self.task.value)
        self.activity.options = [("(과제 전체)", "")] + [
            (f"{a.title} ({a.start or ''}~{a.end or a.start or ''})", a.id)
            for a in plan.activities_of(task)]
        self.line.options = [("(항목 없음)", "")] + [
            (f"{b.item} {b.amount:,}원", b.id) for b in plan.budget if b.task_id == task.id]
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
        if self._run(lambda: pg.record_update(
                self.store, self.actor, task_id, self.date.value or dt.date.today(), state,
                activity_id=self.activity.value or None, percent=percent,
                note=self.note.value, reason=self.reason.value), "기록했습니다"):
            self.note.value = self.reason.value = ""

    def _quick(self, value: bool) -> None:
        task_id = self.task.value
        if task_id and not self._painting:
            self._run(lambda: pg.set_quick_win(self.store, self.actor, task_id, value),
                      "저장했습니다")

    def _evidence(self) -> None:
        task_id = self.task.value
        if task_id and self._run(lambda: pg.add_evidence(
                self.store, self.actor, task_id, self.url.value, self.url_title.value,
                activity_id=self.activity.value or None, date=self.date.value),
                "근거를 추가했습니다"):
            self.url.value = self.url_title.value = ""

    def _spend(self) -> None:
        task_id = self.task.value
        if task_id and self._run(lambda: pg.record_spending(
                self.store, self.actor, task_id, self.date.value or dt.date.today(),
                self.amount.value, budget_line_id=self.line.value or None,
                side=FundingSide.unspecified.value), "집행을 기록했습니다"):
            self.amount.value = 0


def review_view(store: Store, on: dt.date, lang: Lang = "ko") -> widgets.VBox:
    """The review tables at ``on``: slipped, dropped with reasons, spending vs budget."""
    progress = pg.load_progress(store)
    frames = pg.review_frames(pg.review(progress, on), progress, lang)
    titles = {"slipped": "지연된 일", "dropped": "중단된 일과 사유", "spending": "예산 대비 집행"}
    parts: list[widgets.Widget] = []
    for key, df in frames.items():
        parts.append(widgets.HTML(f"<h4>{titles[key]} ({len(df)})</h4>"))
        parts.append(_frame_html(df))
    return widgets.VBox(parts)


class IndicatorPanel(ActionView):
    """Load an indicator frame and enter measured values."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        if self._refuse():
            return
        self.template = widgets.Dropdown(description="지표 틀", options=[
            ("사회적가치 4대분류·10소분류 (003)", "sv_003"), ("로드맵에서 (004 구조)", "roadmap")])
        self.load = widgets.Button(description="틀 불러오기")
        self.indicator = widgets.Dropdown(description="지표", layout=_wide())
        self.date = widgets.DatePicker(description="측정일", value=dt.date.today())
        self.value = widgets.FloatText(description="값")
        self.save = widgets.Button(description="측정값 기록", button_style="primary")
        self.table = widgets.HTML()
        self.load.on_click(lambda _: self._run(
            lambda: ind.load_template(self.store, self.actor, self.template.value),
            "불러왔습니다"))
        self.save.on_click(lambda _: self._save())
        super().__init__([widgets.HTML("<h3>지표</h3>"), widgets.HBox([self.template, self.load]),
                          self.indicator, self.date, self.value, self.save, self.status,
                          self.table])
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
        self.table.value = _frame_html(ind.series_frame(framework, self.lang)).value

    def _save(self) -> None:
        indicator_id = self.indicator.value
        if indicator_id:
            self._run(lambda: ind.record_value(self.store, self.actor, indicator_id,
                                               self.date.value, self.value.value),
                      "기록했습니다")


class DelphiControl(ActionView):
    """Create a study, add panellists and items, open and close rounds, see results."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        if self._refuse():
            return
        self.study = widgets.Dropdown(description="델파이", layout=_wide())
        self.new_title = widgets.Text(description="새 조사", layout=_wide())
        self.create = widgets.Button(description="조사 만들기")
        self.min_share = widgets.FloatSlider(description="적합 비율", min=0, max=1, step=0.05)
        self.min_median = widgets.FloatSlider(description="중앙값", min=1, max=7, step=0.5)
        self.thresholds = widgets.Button(description="기준 저장")
        self.round = widgets.BoundedIntText(description="라운드", min=1, max=20)
        self.open_round = widgets.Button(description="응답 받기 시작", button_style="success")
        self.close_round = widgets.Button(description="응답 마감", button_style="warning")
        self.item_code = widgets.Text(description="문항 번호")
        self.item_text = widgets.Text(description="문항", layout=_wide())
        self.add_item = widgets.Button(description="문항 추가")
        self.person = widgets.Dropdown(description="명단에서", options=[("—", None)],
                                       layout=_wide())
        self.name = widgets.Text(description="패널 이름", placeholder="명단에 없으면 이름")
        self.group = widgets.Text(description="그룹", placeholder="예: 자치구 / 서울시")
        self.add_person = widgets.Button(description="패널 추가")
        self.table = widgets.HTML()
        self._wanted: str | None = None
        self.study.observe(lambda _: self._show(), names="value")
        self.create.on_click(lambda _: self._create())
        self.thresholds.on_click(lambda _: self._with_study(lambda s: dp.set_thresholds(
            self.store, self.actor, s, self.min_share.value, self.min_median.value),
            "저장했습니다"))
        self.open_round.on_click(lambda _: self._with_study(lambda s: dp.set_round(
            self.store, self.actor, s, self.round.value, True), "응답을 받습니다"))
        self.close_round.on_click(lambda _: self._with_study(lambda s: dp.set_round(
            self.store, self.actor, s, self.round.value, False), "마감했습니다"))
        self.add_item.on_click(lambda _: self._with_study(lambda s: dp.add_item(
            self.store, self.actor, s, self.item_code.value, self.item_text.value),
            "문항을 추가했습니다"))
        self.add_person.on_click(lambda _: self._with_study(lambda s: dp.add_panellist(
            self.store, self.actor, s, self.name.value or None, self.group.value or None,
            participant_id=self.person.value), "패널을 추가했습니다"))
        super().__init__([
            widgets.HTML("<h3>델파이 조사</h3>"), self.study,
            widgets.HBox([self.new_title, self.create]),
            widgets.HBox([self.min_share, self.min_median, self.thresholds]),
            widgets.HBox([self.round, self.open_round, self.close_round]),
            widgets.HBox([self.item_code, self.item_text, self.add_item]),
            widgets.HBox([self.person, self.name, self.group, self.add_person]),
            self.status, self.table])
        self.refresh()

    def _create(self) -> None:
        def make() -> None:
            self._wanted = dp.create_study(self.store, self.actor, self.new_title.value).id
        self._run(make, "만들었습니다")

    def _with_study(self, action: Callable[[str], object], done: str) -> None:
        study_id = self.study.value
        if study_id:
            self._run(lambda: action(study_id), done)

    def refresh(self) -> None:
        if not self.actor.facilitator:
            return
        from separ.model import Participant

        self.person.options = [("—", None)] + [(p.name, p.id) for p in
                                               self.store.list(Participant, order_by="name")]
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
        state = "응답 받는 중" if panel.study.open else "마감"
        decisions = dp.decide(panel)
        code = {i.id: i.code for i in panel.items}
        kept = ", ".join(code[d.item_id] for d in decisions if d.keep) or "-"
        df = dp.results_frame(panel, groups=False)
        self.table.value = (
            f"<p>{panel.study.current_round}라운드 · {state} · 패널 {len(panel.panellists)}명 · "
            f"문항 {len(panel.items)}개 · 응답 {len(panel.responses)}건</p>"
            f"<p>채택 기준(적합 ≥ {panel.study.min_share:g}, 중앙값 ≥ "
            f"{panel.study.min_median:g}) 통과: {html.escape(kept)}</p>"
            + _frame_html(df.round(2)).value)


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
        parts.append(widgets.HTML("<p>아직 응답이 있는 델파이 조사가 없습니다.</p>" if lang == "ko"
                                  else "<p>No Delphi study has answers yet.</p>"))
    return widgets.VBox(parts)
