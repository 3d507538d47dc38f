"""Report parts for the follow-up (progress, indicators, Delphi) and the yearly progress report.

The report pipeline (another stage) registers section functions ``(store, lang) ->
Section | None``. Its ``Section`` type is not visible from this branch, so each function
here returns a neutral :class:`Part` (title, paragraphs, tables, figures) and ``None``
when there is nothing to report; the lead wraps them in one line each (see
docs/followup.md). :func:`yearly_report_html` puts the three parts in one standalone
HTML page (figures embedded as PNG) that a browser prints to PDF.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure

from separ.figures import followup as ff
from separ.i18n import Lang
from separ.store import Store
from separ.writeup import EXAMPLE_MARK


@dataclass
class Part:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[str, Any]] = field(default_factory=list)
    figures: list[tuple[str, Figure]] = field(default_factory=list)


def _won(amount: int) -> str:
    return f"{amount:,}원"


HEADS: dict[str, tuple[str, str]] = {
    "label": ("구분", "Item"),
    "tasks": ("과제 수", "Tasks"),
    "percent": ("진척률(%)", "Done (%)"),
    "budget": ("예산(원)", "Budget (KRW)"),
    "spent": ("집행(원)", "Spent (KRW)"),
    "task": ("과제", "Task"),
    "title": ("내용", "Item"),
    "planned_end": ("계획 종료", "Planned end"),
    "status": ("상태", "Status"),
    "reason": ("사유", "Reason"),
    "last_update": ("최근 점검일", "Last update"),
    "year": ("연도", "Year"),
    "side": ("재원", "Funding side"),
    "rate": ("집행률(%)", "Spent (%)"),
    "code": ("번호", "No."),
    "purpose": ("목적", "Purpose"),
    "activity": ("활동", "Activity"),
    "sub_activity": ("세부활동", "Sub-activity"),
    "direction": ("방향", "Direction"),
    "indicator": ("지표", "Indicator"),
    "kind": ("유형", "Kind"),
    "unit": ("단위", "Unit"),
    "baseline": ("기준값", "Baseline"),
    "target": ("목표값", "Target"),
    "latest": ("최근값", "Latest"),
    "progress": ("달성률(%)", "Progress (%)"),
    "trend": ("추세", "Trend"),
    "n": ("측정 횟수", "Measurements"),
}
"""Column heads of the follow-up tables in the report's language (the domain frames name
their columns in code words)."""

VALUES: dict[str, tuple[str, str]] = {
    "per_year": ("매년", "every year"),
    "unspecified": ("연도 미정", "year not set"),
    "up": ("상승", "rising"),
    "down": ("하락", "falling"),
    "flat": ("변화 없음", "flat"),
    "none": ("", ""),
}
"""Code words the domain frames carry as values, as a reader reads them."""


def printable(frame: Any, lang: Lang) -> Any:
    """``frame`` with headers and code-word values in ``lang``; blanks instead of None/NaN."""
    ko = 0 if lang == "ko" else 1
    out = frame.rename(columns={c: HEADS[c][ko] for c in frame.columns if c in HEADS})
    out = out.astype(object).where(out.notna(), "")

    def word(value: Any) -> Any:
        if isinstance(value, bool):
            return ("예", "yes")[ko] if value else ""
        if isinstance(value, str) and value in VALUES:
            return VALUES[value][ko]
        return value

    return out.map(word)


def _real(notes: str | None) -> bool:
    return EXAMPLE_MARK not in (notes or "")


def progress_part(
    store: Store, lang: Lang = "ko", on: dt.date | None = None, examples: bool = True
) -> Part | None:
    """Where the plan stands at ``on`` (default: the yearly review date).

    ``examples=False`` leaves out records marked as illustrations (:data:`EXAMPLE_MARK`):
    a workshop report prints what happened, never a review invented to show the feature.
    """
    from separ import progress as pg
    from separ.progress import Status

    progress = pg.load_progress(store)
    if not examples:
        progress.updates[:] = [u for u in progress.updates if _real(u.note)]
        progress.spending[:] = [s for s in progress.spending if _real(s.notes)]
    if not progress.plan.tasks or not (progress.updates or progress.spending):
        return None
    on = on or pg.yearly_review_date(progress)
    rev = pg.review(progress, on)
    counts = {s: sum(1 for st in rev.tasks.values() if st.status == s) for s in Status}
    budget = sum(b.amount for b in progress.plan.budget)
    spent = sum(s.amount for s in progress.spending if s.date <= on)
    rate = f"{100 * spent / budget:.1f}%" if budget else "-"
    if lang == "ko":
        text = [
            f"{on.isoformat()} 기준 {len(progress.plan.tasks)}개 과제 중 "
            + ", ".join(f"{s.label('ko')} {counts[s]}" for s in Status)
            + ".",
            f"끝냈어야 하지만 끝나지 않은 일 {len(rev.slipped)}건, 중단된 일 {len(rev.dropped)}건.",
            f"계획 예산 {_won(budget)} 중 {_won(spent)} 집행({rate}).",
        ]
    else:
        text = [
            f"At {on.isoformat()}, of {len(progress.plan.tasks)} tasks: "
            + ", ".join(f"{counts[s]} {s.label('en')}" for s in Status)
            + ".",
            f"{len(rev.slipped)} items slipped, {len(rev.dropped)} were dropped.",
            f"{spent:,} KRW spent of a planned {budget:,} KRW ({rate}).",
        ]
    shown = sum(1 for u in progress.updates if EXAMPLE_MARK in (u.note or ""))
    if shown:
        text.append(
            f"주의: 추진 현황 {shown}건은 예시 자료입니다(보고서 원문에 없음)."
            if lang == "ko"
            else f"Note: {shown} progress records are examples, not from the report."
        )
    frames = pg.review_frames(rev, progress, lang)
    ko = lang == "ko"
    return Part(
        key="progress",
        title="추진 현황 점검" if ko else "Progress review",
        paragraphs=text,
        tables=[
            (caption, printable(frame, lang))
            for caption, frame in (
                (
                    "전략별 현황" if ko else "By strategy",
                    pg.rollup_frame(pg.rollup(progress, "strategy", on), lang).drop(
                        columns=["key"]
                    ),
                ),
                ("지연된 일" if ko else "Slipped", frames["slipped"]),
                ("중단된 일과 사유" if ko else "Dropped, with reasons", frames["dropped"]),
                ("예산 대비 집행" if ko else "Spending against budget", frames["spending"]),
            )
            if len(frame)
        ],
        figures=[
            (
                "과제별 추진 현황" if ko else "Progress by task",
                ff.progress_by_task(progress, on, lang),
            ),
            (
                "계획 대비 실적" if ko else "Plan vs reality",
                ff.plan_vs_reality(progress, rev, lang),
            ),
        ],
    )


def indicators_part(store: Store, lang: Lang = "ko", examples: bool = True) -> Part | None:
    """The indicator framework and, where measured, each indicator's series.

    ``examples=False`` leaves out measurements marked as illustrations (see
    :func:`progress_part`).
    """
    from separ import indicators as ind

    framework = ind.load_framework(store)
    if not examples:
        framework.values[:] = [v for v in framework.values if _real(v.notes)]
    if not framework.indicators and not framework.activities:
        return None
    ko = lang == "ko"
    measured = [s for s in framework.series() if s.points]
    text = [
        f"지표 {len(framework.indicators)}개 중 측정값이 있는 지표 {len(measured)}개."
        if ko
        else f"{len(measured)} of {len(framework.indicators)} indicators have measured values."
    ]
    tree = ind.tree_frame(framework)
    part = Part(
        key="indicators",
        title="성과지표" if ko else "Indicators",
        paragraphs=text,
        tables=[
            (
                "지표 체계 (지표가 있는 활동)" if ko else "Framework (with indicators)",
                printable(tree[tree["indicator"] != ""], lang),
            )
        ],
    )
    if measured:
        series = ind.series_frame(framework, lang)
        part.tables.append(("지표별 추이" if ko else "Indicator series", printable(series, lang)))
    if measured:
        part.figures.append(
            ("지표 추이" if ko else "Indicators over time", ff.indicator_series(framework, lang))
        )
    return part


def _one_round(panel: Any, round_: int) -> Any:
    """A study with one round so far, in the shape of a comparison (nothing before it)."""
    from separ import delphi as dp

    sets = (None, *panel.groups())
    rows = []
    for item in panel.items_in(round_):
        for group in sets:
            stats = panel.stats(item.id, round_, group)
            rows.append(
                dp.ItemChange(
                    item.id,
                    item.code,
                    item.text,
                    group,
                    stats,
                    stats,
                    None,
                    False,
                    None,
                    None,
                    False,
                )
            )
    return dp.RoundComparison(panel.study.id, round_, round_, sets, tuple(rows))


def _delphi_table(pairs: list[Any], before: int, after: int, lang: Lang) -> Any:
    """1차 | 2차 side by side per item: share judged suitable, median and mean of each round,
    the change of the mean (▼ where it fell) and whether the answers converged."""
    import pandas as pd

    from separ.report.numbers import fixed

    ko = lang == "ko"

    def num(value: float | None, decimals: int = 2) -> str:
        return "" if value is None else fixed(value, decimals)

    def share(value: float | None) -> str:
        return "" if value is None else fixed(100 * value, 1)

    rows = []
    for p in pairs:
        change = p.mean_change
        mark = "" if change is None else ("▼ " if change < 0 else "▲ " if change > 0 else "")
        rows.append(
            [
                p.code,
                p.text,
                share(p.before.suitable_share),
                num(p.before.median, 1),
                num(p.before.mean),
                share(p.after.suitable_share),
                num(p.after.median, 1),
                num(p.after.mean),
                "" if change is None else mark + fixed(abs(change), 2),
                "" if p.converged is None else ("○" if p.converged else ("×" if ko else "no")),
            ]
        )
    frame = pd.DataFrame(rows, columns=_delphi_heads(before, after, lang))
    if before == after:  # one round only: nothing to compare it with
        frame = frame.drop(columns=frame.columns[[2, 3, 4, 8, 9]])
    return frame


def _delphi_heads(before: int, after: int, lang: Lang) -> list[str]:
    ko = lang == "ko"

    def r(n: int) -> str:
        return f"{n}차" if ko else f"R{n}"

    return (
        (["번호", "문항"] if ko else ["No.", "Item"])
        + [
            f"{r(n)} {word}"
            for n in (before, after)
            for word in (
                ("적합(%)", "중앙값", "평균") if ko else ("suitable (%)", "median", "mean")
            )
        ]
        + (["평균 변화", "수렴"] if ko else ["Change of mean", "Converged"])
    )


def delphi_part(store: Store, lang: Lang = "ko") -> Part | None:
    """Per study: one side-by-side table per round pair and group (everyone first), then
    the spread of the answers and how it narrowed, each figure under its own caption."""
    from separ import delphi as dp

    panels = [dp.load_panel(store, s.id) for s in dp.studies(store)]
    panels = [p for p in panels if p.responses]
    if not panels:
        return None
    ko = lang == "ko"
    part = Part(key="delphi", title="델파이 조사 결과" if ko else "Delphi results")
    for panel in panels:
        decisions = dp.decide(panel)
        kept = sum(1 for d in decisions if d.keep)
        study = panel.study
        rounds = sorted({r.round for r in panel.responses})
        part.paragraphs.append(
            f"{study.title}: 패널 {len(panel.panellists)}명, 문항 {len(panel.items)}개, "
            f"{rounds[-1]}라운드. 기준(적합 비율 ≥ {study.min_share:g}, 중요도 중앙값 ≥ "
            f"{study.min_median:g})을 통과한 문항 {kept}개. ▼는 평균이 내려간 문항, "
            "수렴(○)은 사분위 범위가 넓어지지 않은 문항."
            if ko
            else f"{study.title}: {len(panel.panellists)} panellists, {len(panel.items)} items, "
            f"{rounds[-1]} rounds; {kept} items pass (suitable share ≥ {study.min_share:g}, "
            f"median importance ≥ {study.min_median:g}). ▼ marks a mean that fell; "
            "converged: the interquartile range did not widen."
        )
        pairs = list(itertools.pairwise(rounds)) or [(rounds[0], rounds[0])]
        for before, after in pairs:
            changes = (
                dp.compare_rounds(panel, before, after)
                if before < after
                else _one_round(panel, after)
            )
            for group in changes.groups:
                who = group or ("전체" if ko else "all panellists")
                rows = changes.of_group(group)
                caption = (
                    f"{study.title}: {before}차·{after}차 비교 ({who})"
                    if ko
                    else f"{study.title}: rounds {before} and {after} ({who})"
                )
                part.tables.append((caption, _delphi_table(rows, before, after, lang)))
        part.figures.append(
            (
                f"{study.title}: 라운드별 중요도 분포"
                if ko
                else f"{study.title}: importance by round",
                ff.delphi_distributions(panel, lang),
            )
        )
        if len(rounds) >= 2:
            part.figures.append(
                (
                    f"{study.title}: {rounds[-2]}차→{rounds[-1]}차 사분위 범위 변화"
                    if ko
                    else f"{study.title}: interquartile range, round {rounds[-2]} to {rounds[-1]}",
                    ff.delphi_convergence(panel, rounds[-2], rounds[-1], lang),
                )
            )
    return part


def table_html(df: Any) -> str:
    """A DataFrame as an HTML table for print: blanks for missing values, 1,000 separators
    for amounts (escaped by pandas)."""
    shown = df.astype(object).where(df.notna(), "")
    for column in df.columns:
        if str(df[column].dtype).startswith("int"):
            shown[column] = [f"{v:,}" for v in df[column]]
    return str(shown.to_html(index=False, escape=True))


def yearly_report_html(store: Store, lang: Lang = "ko", on: dt.date | None = None) -> str:
    """The yearly progress report: the three parts as one report, made like the workshop
    report (numbered, escaped, rendered by nbconvert with separ's template, printable)."""
    from separ.report.assembly import Cover, Report, number_sections
    from separ.report.exporter import ReportExporter
    from separ.report.followup import part_section
    from separ.report.notebook import to_notebook

    ws = store.workshop()
    parts = [
        p
        for p in (
            progress_part(store, lang, on),
            indicators_part(store, lang),
            delphi_part(store, lang),
        )
        if p is not None
    ]
    kind = "연간 추진 현황 보고" if lang == "ko" else "Yearly progress report"
    cover = Cover(
        title=ws.title,
        kind=kind,
        region=ws.region,
        network=ws.network,
        date=(on.isoformat() if on else None),
        organisers=list(ws.organisers),
        facilitators=list(ws.facilitators),
    )
    sections = [(p.key, part_section(p)) for p in parts]
    report = number_sections(Report(lang, cover), sections)
    return ReportExporter().html(to_notebook(report))
