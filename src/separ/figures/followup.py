"""Figures of the follow-up: progress, plan vs reality, indicators, Delphi rounds, LQ.

Matplotlib ``Figure`` builders (no pyplot) in separ's style, for the projector, the
workbook and the report. Each takes the domain objects of :mod:`separ.progress`,
:mod:`separ.indicators`, :mod:`separ.delphi` or :mod:`separ.compare`; the same numbers
are available as DataFrames from those modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from separ.compare import CLUSTER, Quotient
from separ.delphi import Panel, convergence
from separ.figures.style import PALETTE, figure, wrap
from separ.i18n import Lang
from separ.indicators import Framework
from separ.progress import STATUS_COLOURS, Progress, Review, Status, task_state
from separ.roadmap import period_columns, period_label

_T: dict[str, dict[Lang, str]] = {
    "progress": {"ko": "과제별 추진 현황", "en": "Progress by task"},
    "percent": {"ko": "진척률(%)", "en": "percent done"},
    "quick": {"ko": "★ 작은 성공(퀵윈)", "en": "★ quick win"},
    "plan": {"ko": "계획 대비 실적", "en": "Plan vs reality"},
    "planned": {"ko": "계획 기간", "en": "planned"},
    "slipped": {"ko": "지연", "en": "slipped"},
    "review": {"ko": "점검일", "en": "review"},
    "indicators": {"ko": "지표 추이", "en": "Indicators over time"},
    "target": {"ko": "목표", "en": "target"},
    "baseline": {"ko": "기준", "en": "baseline"},
    "importance": {"ko": "중요도", "en": "importance"},
    "round": {"ko": "{n}차", "en": "round {n}"},
    "share": {"ko": "적합 {v:.0%}", "en": "suitable {v:.0%}"},
    "new": {"ko": "신규", "en": "new"},
    "delphi": {"ko": "델파이 응답 분포", "en": "Delphi answers per round"},
    "convergence": {"ko": "라운드 간 수렴 (사분위범위)", "en": "Convergence between rounds (IQR)"},
    "iqr": {"ko": "사분위범위(IQR)", "en": "interquartile range"},
    "lq": {"ko": "입지계수 (≥1.25 집적)", "en": "Location quotients (≥ 1.25 cluster)"},
    "none": {"ko": "표시할 자료가 없습니다", "en": "nothing to show yet"},
}


def _t(key: str, lang: Lang, **params: object) -> str:
    return _T[key][lang].format(**params)


def _empty(title: str, lang: Lang) -> Figure:
    fig = figure(8, 2.5)
    ax = fig.add_subplot()
    ax.axis("off")
    ax.set_title(title, fontsize=14)
    ax.text(0.5, 0.5, _t("none", lang), ha="center", va="center", fontsize=12)
    return fig


def _legend(lang: Lang) -> list[Patch]:
    return [Patch(color=STATUS_COLOURS[s], label=s.label(lang)) for s in Status]


def progress_by_task(progress: Progress, on: dt.date | None = None, lang: Lang = "ko") -> Figure:
    """One bar per task: length = percent done, colour = status; ★ marks quick wins."""
    plan = progress.plan
    if not plan.tasks:
        return _empty(_t("progress", lang), lang)
    fig = figure(10, 1.2 + 0.42 * len(plan.tasks))
    ax = fig.add_subplot()
    labels, values, colours = [], [], []
    for task in plan.tasks:
        state = task_state(progress, task, on)
        follow = progress.followups.get(task.id)
        star = "★ " if follow and follow.quick_win else ""
        labels.append(wrap(f"{star}{task.code} {task.title}", 24))
        values.append(state.percent)
        colours.append(STATUS_COLOURS[state.status])
    ys = range(len(labels))
    ax.barh(list(ys), values, color=colours, height=0.65)
    for y, value, task in zip(ys, values, plan.tasks, strict=True):
        state = task_state(progress, task, on)
        ax.text(
            min(value, 100) + 1,
            y,
            f"{value:.0f}% · {state.status.label(lang)}",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(list(ys), labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 118)
    ax.set_xlabel(_t("percent", lang))
    when = f" ({on.isoformat()})" if on else ""
    ax.set_title(_t("progress", lang) + when, fontsize=14)
    handles = _legend(lang)
    if any(f.quick_win for f in progress.followups.values()):
        handles.append(Patch(color="white", label=_t("quick", lang)))
    ax.legend(handles=handles, loc="lower right", fontsize=9, ncol=2)
    ax.grid(axis="x", alpha=0.3)
    return fig


def plan_vs_reality(progress: Progress, rev: Review, lang: Lang = "ko") -> Figure:
    """Gantt of every scheduled activity: the planned span coloured by its status at the
    review date, slipped ones outlined in red, a line at the review date."""
    plan = progress.plan
    rows = [(task, act) for task in plan.tasks for act in plan.activities_of(task) if act.months()]
    if not rows:
        return _empty(_t("plan", lang), lang)
    slipped = {s.activity_id for s in rev.slipped if s.activity_id}
    fig = figure(12, 1.6 + 0.27 * len(rows))
    ax = fig.add_subplot()
    first = min(a.months()[0] for _, a in rows)  # type: ignore[index]
    last = max(a.months()[1] for _, a in rows)  # type: ignore[index]
    labels = []
    for y, (task, act) in enumerate(rows):
        start, end = act.months()  # type: ignore[misc]
        state = rev.activities[act.id]
        late = act.id in slipped
        ax.barh(
            y,
            end - start + 1,
            left=start,
            height=0.7,
            color=STATUS_COLOURS[state.status],
            alpha=0.9 if state.status != Status.not_started else 0.6,
            edgecolor="#b00020" if late else "none",
            linewidth=2.2 if late else 0,
        )
        if state.status == Status.in_progress:
            ax.barh(
                y,
                (end - start + 1) * state.percent / 100,
                left=start,
                height=0.25,
                color="white",
                alpha=0.8,
            )
        mark = f" ⚠{_t('slipped', lang)}" if late else ""
        labels.append(wrap(f"{task.code} {act.title}{mark}", 30))
    ax.set_yticks(range(len(rows)), labels, fontsize=7.5)
    ax.invert_yaxis()
    ticks = period_columns(first, last, "half")
    ax.set_xticks(ticks, [period_label(t, "half", lang) for t in ticks], fontsize=9)
    ax.set_xlim(first, last + 1)
    review_x = rev.date.year * 12 + rev.date.month - 1 + rev.date.day / 31
    ax.axvline(review_x, color="#b00020", linestyle="--", linewidth=1.5)
    ax.text(
        review_x,
        -1,
        f"{_t('review', lang)} {rev.date.isoformat()}",
        color="#b00020",
        ha="center",
        fontsize=9,
    )
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(_t("plan", lang), fontsize=14, pad=18)
    handles = [
        *_legend(lang),
        Patch(facecolor="white", edgecolor="#b00020", linewidth=2, label=_t("slipped", lang)),
    ]
    ax.legend(handles=handles, loc="upper right", fontsize=8, ncol=5)
    return fig


def indicator_series(
    framework: Framework, lang: Lang = "ko", codes: Sequence[str] | None = None
) -> Figure:
    """Small multiples: each indicator's values over time, its baseline and target."""
    series = [
        s for s in framework.series() if s.points and (codes is None or s.indicator.code in codes)
    ]
    if not series:
        return _empty(_t("indicators", lang), lang)
    cols = min(3, len(series))
    rows = (len(series) + cols - 1) // cols
    fig = figure(4.2 * cols, 3.2 * rows)
    for n, s in enumerate(series):
        ax = fig.add_subplot(rows, cols, n + 1)
        from matplotlib.dates import date2num

        xs = [float(date2num(d)) for d, _ in s.points]  # type: ignore[no-untyped-call]
        ys = [v for _, v in s.points]
        ax.plot(xs, ys, marker="o", color=PALETTE[0])
        if s.indicator.target is not None:
            ax.axhline(
                s.indicator.target,
                color=PALETTE[2],
                linestyle="--",
                label=f"{_t('target', lang)} {s.indicator.target:g}",
            )
        if s.indicator.baseline is not None:
            ax.axhline(
                s.indicator.baseline,
                color="#888888",
                linestyle=":",
                label=f"{_t('baseline', lang)} {s.indicator.baseline:g}",
            )
        unit = f" ({s.indicator.unit})" if s.indicator.unit else ""
        ax.set_title(wrap(f"{s.indicator.code} {s.indicator.name}{unit}", 22), fontsize=10)
        ax.xaxis_date()
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        if s.progress is not None:
            ax.text(
                0.02,
                0.95,
                f"{s.progress:.0f}%",
                transform=ax.transAxes,
                va="top",
                fontsize=10,
                color=PALETTE[1],
            )
        ax.legend(fontsize=8, loc="lower right")
        ax.grid(alpha=0.3)
    fig.suptitle(_t("indicators", lang), fontsize=14)
    return fig


def delphi_distributions(panel: Panel, lang: Lang = "ko") -> Figure:
    """Per item, the importance answers of each round as a box with the points, the share
    judged suitable above it; items added later are marked new."""
    items = panel.items
    rounds = sorted({r.round for r in panel.responses})
    if not items or not rounds:
        return _empty(_t("delphi", lang), lang)
    fig = figure(max(8, 1.3 * len(items) * len(rounds) ** 0.5 + 2), 5.5)
    ax = fig.add_subplot()
    width = 0.8 / len(rounds)
    for k, round_ in enumerate(rounds):
        data, positions = [], []
        for i, item in enumerate(items):
            scores = [
                r.importance
                for r in panel.responses
                if r.item_id == item.id and r.round == round_ and r.importance is not None
            ]
            if not scores:
                continue
            x = i + (k - (len(rounds) - 1) / 2) * width
            data.append(scores)
            positions.append(x)
            stats = panel.stats(item.id, round_)
            jitter = [x + ((j % 5) - 2) * width * 0.08 for j in range(len(scores))]
            ax.scatter(jitter, scores, s=10, color=PALETTE[k % len(PALETTE)], alpha=0.6, zorder=3)
            if stats.suitable_share is not None:
                ax.text(
                    x,
                    panel.study.scale + 0.35,
                    _t("share", lang, v=stats.suitable_share),
                    ha="center",
                    fontsize=7.5,
                    rotation=90,
                )
        if data:
            box = ax.boxplot(
                data, positions=positions, widths=width * 0.8, patch_artist=True, showfliers=False
            )
            for patch in box["boxes"]:
                patch.set_facecolor(PALETTE[k % len(PALETTE)])
                patch.set_alpha(0.35)
    labels = []
    for item in items:
        new = f" ({_t('new', lang)})" if item.added_round > 1 else ""
        labels.append(wrap(f"{item.code} {item.text}{new}", 12))
    ax.set_xticks(range(len(items)), labels, fontsize=8)
    ax.set_ylim(0.5, panel.study.scale + 1.6)
    ax.set_yticks(range(1, panel.study.scale + 1))
    ax.set_ylabel(_t("importance", lang))
    ax.axhline(panel.study.min_median, color="#b00020", linestyle=":", linewidth=1)
    ax.legend(
        handles=[
            Patch(color=PALETTE[k % len(PALETTE)], alpha=0.5, label=_t("round", lang, n=r))
            for k, r in enumerate(rounds)
        ],
        loc="lower right",
        fontsize=9,
    )
    ax.set_title(f"{panel.study.title}: {_t('delphi', lang)}", fontsize=13)
    ax.grid(axis="y", alpha=0.3)
    return fig


def delphi_convergence(panel: Panel, before: int = 1, after: int = 2, lang: Lang = "ko") -> Figure:
    """IQR of each item in two rounds joined by a line: shorter to the left = converged."""
    rows = convergence(panel, before, after)
    if not rows:
        return _empty(_t("convergence", lang), lang)
    code = {i.id: i for i in panel.items}
    fig = figure(8, 1.4 + 0.45 * len(rows))
    ax = fig.add_subplot()
    for y, c in enumerate(rows):
        colour = PALETTE[2] if c.converged else PALETTE[3]
        start, end = c.iqr_before or 0.0, c.iqr_after or 0.0
        ax.plot([start, end], [y, y], color=colour, linewidth=2)
        ax.scatter(
            [start],
            [y],
            color="#888888",
            zorder=3,
            label=_t("round", lang, n=before) if y == 0 else None,
        )
        ax.scatter(
            [end],
            [y],
            color=colour,
            zorder=3,
            marker="D",
            label=_t("round", lang, n=after) if y == 0 else None,
        )
    ax.set_yticks(
        range(len(rows)),
        [wrap(f"{code[c.item_id].code} {code[c.item_id].text}", 22) for c in rows],
        fontsize=8,
    )
    ax.invert_yaxis()
    ax.set_xlabel(_t("iqr", lang))
    ax.set_title(_t("convergence", lang), fontsize=13)
    ax.legend(fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    return fig


def lq_heatmap(quotients: Sequence[Quotient], lang: Lang = "ko") -> Figure:
    """Areas × industries coloured by LQ (centred on 1), values printed, clusters bold."""
    if not quotients:
        return _empty(_t("lq", lang), lang)
    areas = list(dict.fromkeys(q.area for q in quotients))
    industries = list(dict.fromkeys(q.industry for q in quotients))
    grid = [[float("nan")] * len(industries) for _ in areas]
    cell = {(q.area, q.industry): q for q in quotients}
    for i, a in enumerate(areas):
        for j, ind in enumerate(industries):
            lq = cell[(a, ind)].lq
            if lq is not None:
                grid[i][j] = lq
    fig = figure(1.6 + 1.0 * len(industries), 1.4 + 0.5 * len(areas))
    ax = fig.add_subplot()
    from matplotlib.colors import TwoSlopeNorm

    top = max([v for row in grid for v in row if v == v] + [2.0])
    image = ax.imshow(
        grid, cmap="RdBu_r", norm=TwoSlopeNorm(vcenter=1.0, vmin=0, vmax=top), aspect="auto"
    )
    for i, a in enumerate(areas):
        for j, ind in enumerate(industries):
            q = cell[(a, ind)]
            if q.lq is not None:
                ax.text(
                    j,
                    i,
                    f"{q.lq:.2f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    fontweight="bold" if q.lq >= CLUSTER else "normal",
                )
    ax.set_xticks(range(len(industries)), [wrap(i, 6) for i in industries], fontsize=8)
    ax.set_yticks(range(len(areas)), areas, fontsize=8)
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title(_t("lq", lang), fontsize=13)
    return fig
