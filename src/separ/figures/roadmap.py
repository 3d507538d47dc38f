"""Tables (DataFrames) and figures of the roadmap, as the report and the projector show them.

Every figure has a DataFrame twin with the same content, so a researcher can check a
figure against numbers and a report can print either. Figures are matplotlib ``Figure``
objects built without pyplot (see :mod:`separ.figures.style`); Korean text is wrapped to the
width of its box, and box heights follow the wrapped text, so nothing is cut off.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle

from separ.figures.style import PALETTE, figure
from separ.i18n import Lang
from separ.roadmap import (
    NO_YEAR,
    PER_YEAR,
    FundingSide,
    Granularity,
    Plan,
    RollupBy,
    Task,
    budget_rollup,
    coarsen,
    period_columns,
    period_label,
)

if TYPE_CHECKING:
    import pandas as pd

_T: dict[str, dict[Lang, str]] = {
    "vision": {"ko": "비전", "en": "Vision"},
    "strategy": {"ko": "전략", "en": "Strategy"},
    "goal": {"ko": "핵심목표", "en": "Core goal"},
    "task": {"ko": "과제", "en": "Task"},
    "code": {"ko": "번호", "en": "No."},
    "activity": {"ko": "세부활동", "en": "Activity"},
    "start": {"ko": "시작", "en": "start"},
    "end": {"ko": "종료", "en": "end"},
    "estimated": {"ko": "추정", "en": "estimated"},
    "milestone": {"ko": "주요 시점", "en": "milestone"},
    "committee": {"ko": "분과", "en": "Sub-committee"},
    "kind": {"ko": "종류", "en": "Kind"},
    "leader": {"ko": "분과장", "en": "Leader"},
    "members": {"ko": "위원", "en": "Members"},
    "tasks": {"ko": "담당 과제", "en": "Tasks"},
    "importance": {"ko": "중요 정도", "en": "Importance"},
    "lead": {"ko": "주관", "en": "Lead"},
    "total": {"ko": "합계", "en": "total"},
    "from_text": {"ko": "계획 본문에 근거", "en": "placed from the plan text"},
    "est_long": {"ko": "추정 위치 (일정 미정)", "en": "estimated place (no dates set)"},
    "horizon": {"ko": "계획 기간 밖", "en": "outside the plan years"},
    "gantt": {"ko": "추진 일정", "en": "Schedule"},
    "diagram": {"ko": "전략체계도", "en": "Strategy system"},
    "roles": {"ko": "주체별 역할분담", "en": "Role division"},
    "committees": {"ko": "분과별 사업", "en": "Sub-committees and their tasks"},
    "budget": {"ko": "필요 예산", "en": "Budget"},
    "won": {"ko": "원", "en": "KRW"},
    "per_year": {"ko": "매년", "en": "per year"},
    "no_year": {"ko": "연도 미정", "en": "year not given"},
    "none": {"ko": "(없음)", "en": "(none)"},
}


def _t(key: str, lang: Lang) -> str:
    return _T[key][lang]


def task_name(plan: Plan, task: Task, scheme: str | None = None) -> str:
    """'1-1 사회적경제지원센터 운영', with the number of ``scheme`` if asked."""
    group = f"〈{task.group}〉 " if task.group else ""
    return f"{group}{plan.label(task, scheme)} {task.title}"


# --------------------------------------------------------------------------- frames


def tree_frame(plan: Plan, lang: Lang = "ko", scheme: str | None = None) -> pd.DataFrame:
    """One row per task: strategy, goal, group, number (in ``scheme``), title, importance."""
    import pandas as pd

    goal_title = {g.id: g.title for g in plan.goals}
    rows = []
    for task in plan.tasks:
        strategy = plan.strategy_of(task)
        rows.append(
            {
                _t("strategy", lang): f"{strategy.code}. {strategy.title}",
                _t("goal", lang): goal_title.get(task.goal_id or "", ""),
                _t("code", lang): plan.label(task, scheme),
                _t("task", lang): task.title,
                "group": task.group or "",
                _t("importance", lang): task.importance.label(lang) if task.importance else "",
                _t("lead", lang): task.lead or ", ".join(c.name for c in plan.committees_of(task)),
                "id": task.id,
            }
        )
    return pd.DataFrame(rows).set_index("id")


def labels_frame(plan: Plan) -> pd.DataFrame:
    """Task ids × numbering schemes: how each document numbers each task."""
    import pandas as pd

    rows = {t.id: {"code": t.code, "title": t.title} for t in plan.tasks}
    for label in plan.labels:
        rows[label.task_id][label.scheme] = label.label
    return pd.DataFrame.from_dict(rows, orient="index")


def schedule_frame(
    plan: Plan, granularity: Granularity = "month", lang: Lang = "ko"
) -> pd.DataFrame:
    """One row per activity with its span shown at ``granularity`` (coarser widens it)."""
    import pandas as pd

    rows = []
    for task in plan.tasks:
        for act in plan.activities_of(task):
            span = act.months()
            first, last = coarsen(*span, granularity) if span else (-1, -1)
            rows.append(
                {
                    _t("task", lang): task.code,
                    _t("activity", lang): act.title,
                    _t("start", lang): period_label(first, granularity, lang) if span else "",
                    _t("end", lang): period_label(last, granularity, lang) if span else "",
                    _t("milestone", lang): act.milestone,
                    _t("estimated", lang): act.estimated,
                    "id": act.id,
                }
            )
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def roles_frame(plan: Plan) -> pd.DataFrame:
    """Tasks × actors, each cell the actor's role (items joined by line breaks)."""
    import pandas as pd

    actors = list(dict.fromkeys(r.actor for r in plan.roles))
    rows = []
    for task in plan.tasks:
        cells = {r.actor: "\n".join(r.items) for r in plan.roles if r.task_id == task.id}
        if cells:
            rows.append(
                {
                    "strategy": plan.strategy_of(task).title,
                    "task": task_name(plan, task),
                    **{a: cells.get(a, "") for a in actors},
                }
            )
    return pd.DataFrame(rows, columns=["strategy", "task", *actors])


def committees_frame(plan: Plan, lang: Lang = "ko") -> pd.DataFrame:
    """One row per sub-committee: kind, leader, members, assigned tasks."""
    import pandas as pd

    rows = []
    for committee in plan.committees:
        members = plan.members_of(committee)
        leaders = [
            plan.member_name(m) + (f"({m.role})" if m.role and m.role != "분과장" else "")
            for m in members
            if m.leader
        ]
        others = [
            plan.member_name(m) + (f"({m.role})" if m.role and m.role != "위원" else "")
            for m in members
            if not m.leader
        ]
        rows.append(
            {
                _t("committee", lang): committee.name,
                _t("kind", lang): committee.kind.label(lang),
                _t("leader", lang): ", ".join(leaders),
                _t("members", lang): ", ".join(others),
                _t("tasks", lang): ", ".join(
                    task_name(plan, t) for t in plan.tasks_of_committee(committee)
                ),
            }
        )
    return pd.DataFrame(rows)


def budget_frame(plan: Plan, lang: Lang = "ko") -> pd.DataFrame:
    """Every budget line with its task, strategy and side label."""
    import pandas as pd

    task_of = {t.id: t for t in plan.tasks}
    rows = []
    for line in plan.budget:
        task = task_of[line.task_id]
        rows.append(
            {
                "strategy": plan.strategy_of(task).code,
                "task": task.code,
                "item": line.item,
                "detail": line.detail or "",
                "side": line.side.label(lang),
                "amount": line.amount,
                "year": line.year,
                "per_year": line.per_year,
            }
        )
    return pd.DataFrame(rows)


def rollup_frame(plan: Plan, by: RollupBy, lang: Lang = "ko") -> pd.DataFrame:
    """A roll-up with readable keys (strategy titles, side labels, year names)."""
    import pandas as pd

    sums = budget_rollup(plan, by)
    names: dict[str, str] = {}
    if by == "strategy":
        names = {s.id: f"{s.code}. {s.title}" for s in plan.strategies}
    elif by == "task":
        names = {t.id: f"{t.code} {t.title}" for t in plan.tasks}
    elif by == "side":
        names = {code: FundingSide(code).label(lang) for code in sums}
    else:
        names = {PER_YEAR: _t("per_year", lang), NO_YEAR: _t("no_year", lang)}
    rows = [{by: names.get(k, k), "amount": v} for k, v in sums.items()]
    return pd.DataFrame(rows, columns=[by, "amount"])


# --------------------------------------------------------------------------- figures

_SPACING = 1.25
"""Line spacing of multi-line labels (matplotlib's ``linespacing``)."""


def _line(size: float) -> float:
    """Height in inches of one line of ``size``-pt text."""
    return size * _SPACING * 1.1 / 72


@lru_cache(maxsize=4096)
def _width(text: str, size: float) -> float:
    """Rendered width of ``text`` in inches (measured with the figure's own font)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="sans-serif", size=size)
    width, _, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return float(width) / 72


def fit(text: str, width_in: float, size: float) -> str:
    """Break ``text`` into lines no wider than ``width_in`` at ``size`` pt.

    Measured rather than counted: Hangul, Latin and punctuation differ in width, and a
    character count either wastes half a box or runs over its edge.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if _width(candidate, size) <= width_in:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            for char in word:  # a word longer than the box: break inside it
                if current and _width(current + char, size) > width_in:
                    lines.append(current)
                    current = ""
                current += char
        lines.append(current)
    return "\n".join(lines)


def _box(
    ax: object,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    color: str,
    size: float,
    weight: str = "normal",
    face: str = "white",
) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.06",
            linewidth=1.2,
            edgecolor=color,
            facecolor=face,
        )
    )
    ax.text(
        x + w / 2,
        y + h / 2,
        text,
        ha="center",
        va="center",
        fontsize=size,
        fontweight=weight,
        linespacing=1.25,
    )


def strategy_diagram(
    plan: Plan, lang: Lang = "ko", scheme: str | None = None, width: float = 16.0
) -> Figure:
    """전략체계도: the vision over one column per strategy, its goals and tasks below."""
    ncols = max(1, len(plan.strategies))
    gap, margin = 0.15, 0.2
    col_w = (width - 2 * margin - gap * (ncols - 1)) / ncols
    size = 9.0 if ncols <= 4 else 8.0
    inner = col_w - 0.3

    def height(text: str, text_size: float = size) -> float:
        return (text.count("\n") + 1) * _line(text_size) + 0.22

    columns = []
    for strategy in plan.strategies:
        blocks: list[tuple[str, str, str]] = [
            ("strategy", fit(f"{strategy.code}. {strategy.title}", inner * 0.92, size), "bold")
        ]
        for goal in plan.goals_of(strategy):
            blocks.append(("goal", fit(goal.title, inner, size), "normal"))
        for task in plan.tasks_of(strategy):
            blocks.append(("task", fit(task_name(plan, task, scheme), inner, size), "normal"))
        columns.append(blocks)
    vision = plan.vision.text if plan.vision and plan.vision.text else _t("none", lang)
    keywords = " · ".join(plan.vision.keywords) if plan.vision and plan.vision.keywords else ""
    vtext = fit(f"{_t('vision', lang)}: {vision}", (width - 2 * margin - 0.4) * 0.92, size + 2)
    if keywords:
        vtext += "\n" + keywords
    vh = height(vtext, size + 2)
    col_heights = [sum(height(t) + 0.12 for _, t, _ in blocks) for blocks in columns] or [0]
    total = margin + vh + 0.35 + max(col_heights) + margin
    fig = figure(width, total)
    fig.set_layout_engine(None)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(total, 0)
    ax.axis("off")
    _box(ax, margin, margin, width - 2 * margin, vh, vtext, "#333333", size + 2, "bold", "#f2f2f2")
    faces = {"strategy": None, "goal": "#fff7e6", "task": "white"}
    for i, blocks in enumerate(columns):
        color = PALETTE[i % len(PALETTE)]
        x = margin + i * (col_w + gap)
        y = margin + vh + 0.35
        for kind, text, weight in blocks:
            h = height(text)
            face = faces[kind] or color + "33"
            _box(ax, x, y, col_w, h, text, color, size, weight, face)
            y += h + 0.12
    return fig


def gantt(
    plan: Plan,
    granularity: Granularity = "month",
    lang: Lang = "ko",
    scheme: str | None = None,
    tasks: list[Task] | None = None,
    width: float | None = None,
) -> Figure:
    """The schedule at ``granularity``; estimated placements are hatched and labelled so.

    ``tasks`` draws only those rows (a report prints one strategy per page) on the whole
    plan's time axis and colours, so the parts line up and read as one chart. ``width``
    (inches) fits the chart to a page instead of the projector: the type keeps its size,
    the period columns get narrower and their headings break onto two lines.
    """
    spans = [a.months() for a in plan.activities]
    known = [s for s in spans if s]
    start, end = plan.workshop.plan_start, plan.workshop.plan_end
    first = min([s[0] for s in known] + ([start * 12] if start else []), default=0)
    last = max([s[1] for s in known] + ([end * 12 + 11] if end else []), default=11)
    cols = period_columns(first, last, granularity)
    rows: list[tuple[str, object]] = []
    for task in plan.tasks if tasks is None else tasks:
        rows.append(("task", task))
        rows.extend(("act", act) for act in plan.activities_of(task))
    label_in = 3.4
    col_in = {"month": 0.32, "quarter": 0.62, "half": 0.95}[granularity]
    if width is not None:
        label_in = min(label_in, 0.4 * width)
        col_in = (width - label_in - 0.6) / len(cols)
    width = label_in + col_in * len(cols) + 0.6
    row_h = 0.26
    fig = figure(width, 1.6 + row_h * len(rows))
    ax = fig.add_subplot()
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), -0.5)
    ticks = [period_label(c, granularity, lang) for c in cols]
    if col_in < 0.6 and granularity != "month":
        ticks = [t.replace(" ", "\n", 1) for t in ticks]
    ax.set_xticks(
        [i + 0.5 for i in range(len(cols))],
        ticks,
        rotation=90 if granularity == "month" else 0,
        fontsize=8,
    )
    ax.xaxis.tick_top()
    names = []
    color_of = {s.id: PALETTE[i % len(PALETTE)] for i, s in enumerate(plan.strategies)}
    span = 12 // {"month": 12, "quarter": 4, "half": 2}[granularity]
    for r, (kind, item) in enumerate(rows):
        if kind == "task":
            assert isinstance(item, Task)
            names.append(_one_line(task_name(plan, item, scheme), label_in, 8))
            ax.axhspan(r - 0.5, r + 0.5, color="#eeeeee", zorder=0)
            continue
        act = item
        from separ.roadmap import SubActivity

        assert isinstance(act, SubActivity)
        names.append("   " + _one_line(act.title, label_in - 0.2, 8))
        months = act.months()
        if months is None:
            continue
        a, b = coarsen(*months, granularity)
        x0 = (a - cols[0]) / span
        x1 = (b + 1 - cols[0]) / span
        task = plan.task(act.task_id)
        color = color_of.get(task.strategy_id, PALETTE[0])
        if act.milestone:
            ax.plot(
                [(x0 + x1) / 2],
                [r],
                marker="D",
                markersize=8,
                color=color,
                markerfacecolor="white" if act.estimated else color,
                zorder=3,
            )
        else:
            ax.add_patch(
                Rectangle(
                    (x0, r - 0.32),
                    x1 - x0,
                    0.64,
                    facecolor=color + ("55" if act.estimated else ""),
                    edgecolor=color,
                    linewidth=1,
                    linestyle="--" if act.estimated else "-",
                    hatch="///" if act.estimated else None,
                    zorder=2,
                    gid=act.id,
                )
            )
    ax.set_yticks(range(len(rows)), names, fontsize=8)
    for r, (kind, _) in enumerate(rows):
        if kind == "task":
            ax.get_yticklabels()[r].set_fontweight("bold")
    for i in range(len(cols) + 1):
        ax.axvline(i, color="#dddddd", linewidth=0.5, zorder=1)
    if start and end:
        lo = (start * 12 - cols[0]) / span
        hi = ((end + 1) * 12 - cols[0]) / span
        if lo > 0:
            ax.axvspan(0, lo, color="#c0392b", alpha=0.08, zorder=0)
        if hi < len(cols):
            ax.axvspan(hi, len(cols), color="#c0392b", alpha=0.08, zorder=0)
    ax.tick_params(length=0)
    for side in ("right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    handles = [
        Patch(facecolor=PALETTE[0], edgecolor=PALETTE[0], label=_t("from_text", lang)),
        Patch(
            facecolor=PALETTE[0] + "55",
            edgecolor=PALETTE[0],
            hatch="///",
            linestyle="--",
            label=_t("est_long", lang),
        ),
        Patch(facecolor="#c0392b", alpha=0.15, label=_t("horizon", lang)),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    return fig


def table_figure(
    df: pd.DataFrame, widths: list[float], title: str = "", size: float = 9.0
) -> Figure:
    """A DataFrame drawn as a ruled table; ``widths`` in inches per column, text wrapped."""
    header = [fit(str(c), w - 0.16, size * 1.05) for c, w in zip(df.columns, widths, strict=True)]
    body = [
        [fit(str(v), w - 0.16, size) if str(v) else "" for v, w in zip(row, widths, strict=True)]
        for row in df.itertuples(False)
    ]

    def row_height(cells: list[str]) -> float:
        return max(c.count("\n") + 1 for c in cells) * _line(size) + 0.12

    heights = [row_height(header)] + [row_height(r) for r in body]
    width = sum(widths) + 0.4
    top = 0.5 if title else 0.2
    fig = figure(width, sum(heights) + top + 0.2)
    fig.set_layout_engine(None)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    total = sum(heights) + top + 0.2
    ax.set_ylim(total, 0)
    ax.axis("off")
    if title:
        ax.text(0.2, 0.3, title, fontsize=size + 3, fontweight="bold", va="center")
    y = top
    for r, (cells, h) in enumerate(zip([header, *body], heights, strict=True)):
        x = 0.2
        for cell, w in zip(cells, widths, strict=True):
            ax.add_patch(
                Rectangle(
                    (x, y),
                    w,
                    h,
                    facecolor="#e8eef5" if r == 0 else "white",
                    edgecolor="#888888",
                    linewidth=0.6,
                )
            )
            ax.text(
                x + 0.07,
                y + 0.06,
                cell,
                fontsize=size,
                va="top",
                ha="left",
                fontweight="bold" if r == 0 else "normal",
                linespacing=1.25,
            )
            x += w
        y += h
    return fig


def _one_line(text: str, width_in: float, size: float) -> str:
    """The first line of ``text`` fitted to ``width_in``, with an ellipsis if cut."""
    lines = fit(text, width_in - 0.15, size).split("\n")
    return lines[0] + ("…" if len(lines) > 1 else "")


def roles_figure(plan: Plan, lang: Lang = "ko") -> Figure:
    df = roles_frame(plan)
    df.columns = [_t("strategy", lang), _t("task", lang), *df.columns[2:]]
    widths = [1.6, 2.6] + [4.2] * (len(df.columns) - 2)
    return table_figure(df, widths, _t("roles", lang))


def committees_figure(plan: Plan, lang: Lang = "ko") -> Figure:
    df = committees_frame(plan, lang)
    return table_figure(df, [1.8, 0.9, 1.6, 3.2, 4.6], _t("committees", lang))


def budget_figure(plan: Plan, lang: Lang = "ko", width: float = 11.0) -> Figure:
    """Budget per task, stacked by funding side, with per-strategy totals in the title.

    ``width`` in inches: a report on A4 asks for a narrower chart so its 8-pt labels print
    near that size."""
    sides = [s for s in FundingSide if any(b.side == s for b in plan.budget)]
    tasks = [t for t in plan.tasks if any(b.task_id == t.id for b in plan.budget)]
    fig = figure(width, 1.6 + 0.36 * max(1, len(tasks)))
    ax = fig.add_subplot()
    left = [0.0] * len(tasks)
    for i, side in enumerate(sides):
        values = [
            sum(b.amount for b in plan.budget if b.task_id == t.id and b.side == side) / 1_000_000
            for t in tasks
        ]
        name = side.label(lang)
        if side == FundingSide.unspecified:
            name = "재원 미정" if lang == "ko" else "funding side not given"
        ax.barh(range(len(tasks)), values, left=left, color=PALETTE[i % len(PALETTE)], label=name)
        left = [a + b for a, b in zip(left, values, strict=True)]
    yearly = {b.task_id for b in plan.budget if b.per_year}
    for r, (task, value) in enumerate(zip(tasks, left, strict=True)):
        note = f" ({_t('per_year', lang)})" if task.id in yearly else ""
        ax.text(value, r, f" {value:,.1f}{note}", va="center", fontsize=8)
    ax.set_yticks(
        range(len(tasks)), [_one_line(task_name(plan, t), 3.2, 8) for t in tasks], fontsize=8
    )
    ax.invert_yaxis()
    ax.set_xlabel("백만원" if lang == "ko" else "million KRW")
    per_strategy = budget_rollup(plan, "strategy")
    summary = " / ".join(
        f"{s.code}: {per_strategy.get(s.id, 0) / 1e6:,.1f}" for s in plan.strategies
    )
    total = sum(b.amount for b in plan.budget) / 1e6
    ax.set_title(
        f"{_t('budget', lang)} ({_t('total', lang)} {total:,.1f} — {summary})", fontsize=10
    )
    ax.legend(fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return fig
