"""The stages' report sections: PEST … budget, built from each stage's own frames and figures.

Each builder is ``(store, lang) -> Section | None`` and returns None when its stage has no
data, so a workshop that skipped a stage gets no empty chapter. The builders only choose,
order and caption what the stages already compute (``context_figures``, ``assets``,
``network``, ``surveys``, ``polls``, ``roadmap_figures``): the numbers a report prints
are the numbers the workbook showed in the room.

Figures are asked for at A4 sizes where a stage offers them (the context boards'
``PDF_WIDTH``); the Gantt chart is printed one strategy per figure so each fits a page.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from separ.actors import Actor
from separ.assets import active_assets, assets_frame, category_frame
from separ.budget import budget_spread, plan_years
from separ.context import BoardKind, board_notes, boards, strategies
from separ.figures import assets as asset_figures
from separ.figures import context as context_figures
from separ.figures import roadmap as roadmap_figures
from separ.figures.voting import result_figures, turnout_text
from separ.i18n import Lang, add_messages, text
from separ.network import (
    OrgCount,
    check_counts,
    coverage,
    coverage_frame,
    metrics,
    metrics_frame,
    outreach,
    store_graph,
)
from separ.polls import Poll, PollBallot, ranking_frame, results, view_name
from separ.report.blocks import Block, Figure, Heading, Paragraph, Section, Table
from separ.report.numbers import fixed, half_up
from separ.roadmap import (
    GRANULARITIES,
    Granularity,
    Period,
    Plan,
    Task,
    load_plan,
    period_label,
)
from separ.store import Store
from separ.surveys import SurveyTable, check, rows_of, summary

_WORDS: dict[str, dict[Lang, str]] = {
    "environment": {"ko": "환경분석 (PEST)", "en": "Environment analysis (PEST)"},
    "pest_figure": {"ko": "{board}", "en": "{board}"},
    "pest_table": {"ko": "{board}: 분야별 의견", "en": "{board}: notes by category"},
    "swot": {"ko": "SWOT 분석과 TOWS 전략", "en": "SWOT analysis and TOWS strategies"},
    "swot_figure": {"ko": "{board} SWOT 매트릭스", "en": "{board}: SWOT matrix"},
    "tows_figure": {"ko": "{board} TOWS 매트릭스", "en": "{board}: TOWS matrix"},
    "tows_table": {"ko": "{board} TOWS 전략", "en": "{board}: TOWS strategies"},
    "notes_count": {"ko": "의견 {n}개", "en": "{n} notes"},
    "assets": {"ko": "지역 자산", "en": "Local assets"},
    "assets_intro": {
        "ko": "워크숍에서 확인한 지역 자산 {n}개 (자산 기반 지역개발).",
        "en": "{n} local assets named in the workshop (asset-based community development, ABCD).",
    },
    "assets_by_category": {"ko": "분류별 지역 자산", "en": "Local assets by category"},
    "assets_list": {"ko": "지역 자산 목록", "en": "Local assets"},
    "network": {"ko": "조직 간 관계망", "en": "Network of organisations"},
    "network_intro": {
        "ko": "조직 {nodes}곳, 관계 {edges}개 (밀도 {density}), 연결된 묶음 {groups}개, "
        "관계가 없는 조직 {isolates}곳.",
        "en": "{nodes} organisations, {edges} ties (density {density}), {groups} connected "
        "groups, {isolates} organisations with no ties.",
    },
    "network_no_ties": {
        "ko": "조직 {nodes}곳이 기록되었으나 조직 사이의 관계는 아직 기록되지 않음.",
        "en": "{nodes} organisations are recorded, but no ties between them yet.",
    },
    "network_map": {
        "ko": "조직 간 관계망 (색: 조직 유형, 크기: 연결 수)",
        "en": "Network map (colour: type, size: degree)",
    },
    "network_top": {
        "ko": "연결이 많은 조직 (연결 수·매개 중심성)",
        "en": "Most connected organisations (degree, betweenness)",
    },
    "network_top_note": {
        "ko": "관계가 있는 조직만 실음. 관계가 없는 조직: {names}",
        "en": "Organisations with ties only. No ties: {names}",
    },
    "coverage": {"ko": "유형별 네트워크 참여율", "en": "Network coverage by type"},
    "coverage_note": {
        "ko": "※ 회원 수가 지역 전체보다 많은 유형은 두 수의 기준일이나 집계 기준이 다름.",
        "en": "※ A type with more members than organisations: the two counts "
        "come from different dates or rules.",
    },
    "type_area": {"ko": "유형별·지역별 사회적경제조직 수", "en": "Organisations by type and area"},
    "outreach": {
        "ko": "네트워크에 참여하지 않은 사회적경제조직 (참여 권유 대상)",
        "en": "Social-economy organisations outside the network (to invite)",
    },
    "surveys": {"ko": "실태조사 요약", "en": "Survey summaries"},
    "surveys_intro": {
        "ko": "기존 실태조사 표를 다시 정리하고, 인쇄된 비율과 합계를 사례수로 다시 계산해 "
        "맞지 않는 곳을 표 아래에 적음.",
        "en": "Published survey tables, summarised; printed percentages and totals were "
        "recomputed from the counts and every mismatch is noted under its table.",
    },
    "respondents": {"ko": "응답자 {n}명 ({kind})", "en": "{n} respondents ({kind})"},
    "kind_only": {"ko": "{kind}", "en": "{kind}"},
    "survey_ok": {"ko": "재계산 결과 불일치 없음.", "en": "Recomputed: no mismatch."},
    "voting": {"ko": "투표·우선순위 결과", "en": "Voting and priorities"},
    "poll_intro": {
        "ko": "방식: {method}. {turnout} (온라인 {online}, 종이 {paper}).",
        "en": "Method: {method}. {turnout} ({online} online, {paper} on paper).",
    },
    "poll_table": {"ko": "{poll}: 결과", "en": "{poll}: results"},
    "poll_note": {
        "ko": "다른 집계 방식의 순위를 함께 실음(결과의 견고성).",
        "en": "Ranks by the other counting methods are shown beside (robustness).",
    },
    "poll_moved": {
        "ko": "※ 집계 방식에 따라 순위가 바뀌는 선택지: {names}",
        "en": "※ Options whose place depends on the method: {names}",
    },
    "poll_scores": {"ko": "{poll}: 선택지별 점수", "en": "{poll}: scores"},
    "poll_distribution": {"ko": "{poll}: 응답 분포", "en": "{poll}: how the votes spread"},
    "poll_criteria": {"ko": "{poll}: 기준별 점수", "en": "{poll}: scores by criterion"},
    "vision": {"ko": "비전과 전략체계도", "en": "Vision and strategy system"},
    "vision_line": {"ko": "비전: {text}", "en": "Vision: {text}"},
    "plan_strategies": {"ko": "{n}대 전략", "en": "{n} strategies"},
    "plan_goals": {"ko": "핵심목표 {n}개", "en": "{n} core goals"},
    "plan_tasks": {"ko": "과제 {n}개", "en": "{n} tasks"},
    "diagram": {"ko": "전략체계도", "en": "Strategy system diagram"},
    "tree": {"ko": "전략·목표·과제", "en": "Strategies, goals and tasks"},
    "tasks": {"ko": "과제별 실행계획", "en": "Execution plan of each task"},
    "task_table": {"ko": "{task} 실행계획", "en": "Execution plan: {task}"},
    "row_strategy": {"ko": "전략", "en": "Strategy"},
    "row_importance": {"ko": "중요 정도", "en": "Importance"},
    "row_vote": {"ko": "선정 근거", "en": "Chosen by"},
    "row_purpose": {"ko": "목적", "en": "Purpose"},
    "row_background": {"ko": "추진배경", "en": "Background"},
    "row_current": {"ko": "현재 현황", "en": "Current state"},
    "row_targets": {"ko": "목표", "en": "Targets"},
    "row_steps": {"ko": "진행 과정", "en": "Process"},
    "row_lead": {"ko": "주관", "en": "Lead"},
    "row_partners": {"ko": "협력", "en": "Partners"},
    "row_committee": {"ko": "담당 분과", "en": "Sub-committee"},
    "row_staff": {"ko": "필요 인력", "en": "Staff"},
    "row_cases": {"ko": "참고 사례", "en": "Cases"},
    "row_budget": {"ko": "필요 예산", "en": "Budget"},
    "budget_line": {"ko": "• {item}: {amount}원{extra}", "en": "• {item}: {amount} KRW{extra}"},
    "budget_sum": {"ko": "합계 {amount}원", "en": "total {amount} KRW"},
    "per_year": {"ko": "매년", "en": "every year"},
    "roles": {"ko": "주체별 역할분담", "en": "Role division"},
    "roles_table": {"ko": "과제별 주체의 역할", "en": "Roles of each actor by task"},
    "committees": {"ko": "분과 구성", "en": "Sub-committees"},
    "committees_table": {"ko": "분과별 사업과 구성", "en": "Sub-committees, members and tasks"},
    "schedule": {"ko": "추진 일정", "en": "Schedule"},
    "schedule_intro": {
        "ko": "{first}부터 {last}까지 {unit} 단위 일정.",
        "en": "The schedule from {first} to {last} by {unit}.",
    },
    "schedule_figure": {"ko": "추진 일정: {strategy}", "en": "Schedule: {strategy}"},
    "estimated_count": {
        "ko": "세부활동 {n}개 중 {e}개(빗금 친 막대)는 일정이 정해지지 않아 "
        "계획 본문에서 추정한 위치임.",
        "en": "{e} of {n} activities (hatched bars) have no set dates; their "
        "place is estimated from the plan text.",
    },
    "unit_month": {"ko": "월", "en": "month"},
    "unit_quarter": {"ko": "분기", "en": "quarter"},
    "unit_half": {"ko": "반기", "en": "half-year"},
    "budget": {"ko": "예산 요약", "en": "Budget summary"},
    "budget_intro": {
        "ko": "과제별 실행계획에 적힌 예산 {n}건, 합계 {total}원.",
        "en": "{n} budget lines of the task plans, {total} KRW in total.",
    },
    "budget_only_year": {"ko": "모든 예산의 연도: {name}.", "en": "Every line's year: {name}."},
    "budget_only_side": {
        "ko": "모든 예산의 재원: {name}.",
        "en": "Every line's funding side: {name}.",
    },
    "budget_only_strategy": {
        "ko": "모든 예산이 한 전략에 속함: {name}.",
        "en": "Every line belongs to one strategy: {name}.",
    },
    "budget_year": {"ko": "연도별 예산", "en": "Budget by year"},
    "budget_side": {"ko": "재원별 예산", "en": "Budget by funding side"},
    "budget_strategy": {"ko": "전략별 예산", "en": "Budget by strategy"},
    "budget_figure": {
        "ko": "과제별 예산 (재원별, 백만원)",
        "en": "Budget by task and funding side (million KRW)",
    },
    "budget_per_year_note": {
        "ko": "※ '매년' 예산은 계획 기간({start}~{end}년)의 해마다 더함.",
        "en": "※ Lines paid every year are counted once for each plan year ({start}–{end}).",
    },
    "every_year": {"ko": "매년", "en": "every year"},
    "no_year": {"ko": "연도 미정", "en": "year not set"},
    "col_year": {"ko": "연도", "en": "Year"},
    "col_side": {"ko": "재원", "en": "Funding side"},
    "col_strategy": {"ko": "전략", "en": "Strategy"},
    "col_amount": {"ko": "금액(원)", "en": "Amount (KRW)"},
    "col_share": {"ko": "비율(%)", "en": "Share (%)"},
    "col_task": {"ko": "과제", "en": "Task"},
    "col_alias": {"ko": "다른 표기", "en": "Other marks"},
    "col_item": {"ko": "구분", "en": "Item"},
    "col_content": {"ko": "내용", "en": "Details"},
    "col_org": {"ko": "조직", "en": "Organisation"},
    "col_type": {"ko": "유형", "en": "Type"},
    "col_area": {"ko": "지역", "en": "Area"},
    "total": {"ko": "합계", "en": "Total"},
    "yes": {"ko": "○", "en": "yes"},
}
add_messages({f"report_st_{k}": v for k, v in _WORDS.items()})


def _t(key: str, lang: Lang, **params: object) -> str:
    return text(f"report_st_{key}", lang, **params)


def _marks(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """True/False columns as ○ and blank, as the seed's tables mark them."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = [_t("yes", lang) if v else "" for v in out[column]]
    return out


def _filled(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the columns that are blank in every row (nothing to read there)."""

    def blank(value: object) -> bool:
        return value is None or value == "" or (isinstance(value, float) and math.isnan(value))

    return frame.loc[:, [c for c in frame.columns if not all(map(blank, frame[c]))]]


def _fit(frame: pd.DataFrame, widths: tuple[float, ...]) -> tuple[pd.DataFrame, tuple[float, ...]]:
    """:func:`_filled`, keeping each kept column's relative width."""
    wide = dict(zip(frame.columns, widths, strict=True))
    kept = _filled(frame)
    return kept, tuple(wide[c] for c in kept.columns)


def _won(amount: float) -> str:
    return f"{amount:,.0f}"


# --------------------------------------------------------------------------- context


def _board_blocks(store: Store, kind: BoardKind) -> list[Any]:
    return [b for b in boards(store, kind) if board_notes(store, b.id)]


def environment(store: Store, lang: Lang) -> Section | None:
    """Each PEST board as the wall looked (figure) and as a list of notes with sources."""
    found = _board_blocks(store, BoardKind.pest)
    if not found:
        return None
    blocks: list[Block] = []
    for board in found:
        if len(found) > 1:
            blocks.append(Heading(board.title))
        blocks.append(
            Figure(
                context_figures.pest_figure(store, board.id, lang, width=context_figures.PDF_WIDTH),
                _t("pest_figure", lang, board=board.title),
                f"pest.{board.id}",
            )
        )
        notes = context_figures.notes_frame(store, board.id, lang)
        table, widths = _fit(notes.iloc[:, [0, 2, 3]], (1, 4, 3))
        blocks.append(
            Table(
                table,
                _t("pest_table", lang, board=board.title),
                f"pest_notes.{board.id}",
                widths=widths,
                note=_t("notes_count", lang, n=len(notes)),
            )
        )
    return Section(_t("environment", lang), blocks)


def _caption(key: str, word: str, board: str, lang: Lang) -> str:
    """A board's caption without saying ``word`` twice ("서산시 SWOT" → "서산시 SWOT 매트릭스")."""
    caption = _t(key, lang, board=board)
    if word in board:
        caption = caption.replace(f" {word} ", " ", 1).replace(f": {word} ", ": ", 1)
    return caption


def swot(store: Store, lang: Lang) -> Section | None:
    """Each SWOT board as its 2×2 matrix, then its TOWS strategies (matrix and table)."""
    found = _board_blocks(store, BoardKind.swot)
    if not found:
        return None
    blocks: list[Block] = []
    for board in found:
        if len(found) > 1:
            blocks.append(Heading(board.title))
        width = context_figures.PDF_WIDTH
        blocks.append(
            Figure(
                context_figures.swot_figure(store, board.id, lang, width=width),
                _caption("swot_figure", "SWOT", board.title, lang),
                f"swot.{board.id}",
            )
        )
        if not strategies(store, board.id):
            continue  # no TOWS strategies yet: nothing to print, not an empty heading
        blocks.append(
            Figure(
                context_figures.tows_figure(store, board.id, lang, width=width),
                _caption("tows_figure", "TOWS", board.title, lang),
                f"tows.{board.id}",
            )
        )
        table = context_figures.tows_frame(store, board.id, lang).iloc[:, 1:]
        blocks.append(
            Table(
                table,
                _caption("tows_table", "TOWS", board.title, lang),
                f"tows_strategies.{board.id}",
                widths=(1, 4, 4),
            )
        )
    return Section(_t("swot", lang), blocks)


# --------------------------------------------------------------------------- assets


def assets(store: Store, lang: Lang) -> Section | None:
    """The ABCD assets: counts per category (table and bars), then the list."""
    found = active_assets(store)
    if not found:
        return None
    listing = _marks(assets_frame(store, lang), lang).reset_index(drop=True)
    # name, category, holder, location, shareable
    listing, widths = _fit(listing.iloc[:, [0, 1, 2, 3, 4]], (3, 1.6, 2.4, 1.4, 1))
    return Section(
        _t("assets", lang),
        [
            Paragraph(_t("assets_intro", lang, n=len(found))),
            Table(
                category_frame(found, lang), _t("assets_by_category", lang), "assets_by_category"
            ),
            Figure(
                asset_figures.assets_by_category(found, lang),
                _t("assets_by_category", lang),
                "assets_by_category_figure",
                width=0.75,
            ),
            Table(listing, _t("assets_list", lang), "assets", widths=widths),
        ],
    )


# --------------------------------------------------------------------------- network


TOP = 10
"""How many of the most connected organisations the report lists."""


def network(store: Store, lang: Lang) -> Section | None:
    """The map, its structure in numbers, coverage by type, counts by area, who to invite."""
    g = store_graph(store)
    counts = store.list(OrgCount)
    if g.number_of_edges() == 0 and not counts:
        return None
    m = metrics(g)
    blocks: list[Block] = [
        Paragraph(
            _t("network_no_ties", lang, nodes=g.number_of_nodes())
            if not g.number_of_edges()
            else _t(
                "network_intro",
                lang,
                nodes=g.number_of_nodes(),
                edges=g.number_of_edges(),
                density=fixed(m.density, 2),
                groups=sum(1 for c in m.components if len(c) > 1),
                isolates=len(m.isolates),
            )
        )
    ]
    if g.number_of_edges():  # with no ties a map is a page of loose dots: the sentence says it
        blocks.append(
            Figure(asset_figures.network_map(g, lang), _t("network_map", lang), "network_map")
        )
        top = metrics_frame(g, lang)
        top = top[top.iloc[:, 3] > 0].head(TOP).iloc[:, :6]
        isolated = ", ".join(sorted(g.nodes[n]["name"] for n in m.isolates)) or "—"
        top, widths = _fit(_marks(top, lang), (3, 2, 1, 1, 1.2, 1))
        blocks.append(
            Table(
                top,
                _t("network_top", lang),
                "network_metrics",
                note=_t("network_top_note", lang, names=isolated),
                widths=widths,
            )
        )
    rows = coverage(store)
    if any(r.area_total for r in rows):
        frame = coverage_frame(rows, lang)
        flagged = bool(frame.iloc[:, 4].any())
        notes = [*check_counts(store, lang), *([_t("coverage_note", lang)] if flagged else [])]
        blocks.append(
            Table(
                _filled(_marks(frame, lang)),
                _t("coverage", lang),
                "network_coverage",
                note="\n".join(notes) or None,
            )
        )
    by_area = asset_figures.type_area_frame(counts, lang)
    if not by_area.empty:
        blocks.append(
            Table(
                by_area.rename_axis(_t("col_area", lang)).reset_index(),
                _t("type_area", lang),
                "orgs_by_type_area",
            )
        )
        blocks.append(
            Figure(
                asset_figures.orgs_by_type_area(counts, lang),
                _t("type_area", lang),
                "orgs_by_type_area_figure",
                width=0.9,
            )
        )
    invite = outreach(store)
    if invite:
        frame = pd.DataFrame(
            [(o.name, o.type.label(lang)) for o in invite],
            columns=[_t("col_org", lang), _t("col_type", lang)],
        )
        blocks.append(Table(frame, _t("outreach", lang), "network_outreach", widths=(3, 2)))
    return Section(_t("network", lang), blocks)


# --------------------------------------------------------------------------- surveys


def surveys(store: Store, lang: Lang) -> Section | None:
    """Every survey table's summary, with the consistency check's findings as its note."""
    found = store.list(SurveyTable)
    if not found:
        return None
    blocks: list[Block] = [Paragraph(_t("surveys_intro", lang))]
    for table in found:
        rows = rows_of(store, table.id)
        frame = summary(table, rows, lang)
        if frame.index.name is not None:
            frame = frame.reset_index()
        kind = table.kind.label(lang)
        head = (
            _t("respondents", lang, n=table.respondents, kind=kind)
            if table.respondents
            else _t("kind_only", lang, kind=kind)
        )
        # the table's own code would read as a second caption number: the note is under it
        findings = [
            f"※ {f.message(lang).removeprefix(f'{table.code}: ')}" for f in check(table, rows)
        ]
        lines = [head, *(findings or [_t("survey_ok", lang)])]
        # the caption is the table's own title: its code is the numbering of the survey it
        # was copied from, and a second number beside the report's own reads as a misprint
        blocks.append(
            Table(
                _marks(frame, lang),
                table.title,
                f"survey.{table.code}",
                note="\n".join(lines),
                source=table.source or None,
            )
        )
    return Section(_t("surveys", lang), blocks)


# --------------------------------------------------------------------------- voting


def voting(store: Store, lang: Lang) -> Section | None:
    """Each poll with ballots: turnout, the ranking with its other readings, its charts."""
    polls = [p for p in store.list(Poll) if store.list(PollBallot, poll_id=p.id)]
    if not polls:
        return None
    facilitator = Actor.facilitator_actor()
    blocks: list[Block] = []
    for poll in polls:
        res = results(store, facilitator, poll.id)
        blocks.append(Heading(poll.title))
        intro = _t(
            "poll_intro",
            lang,
            method=view_name(res.rules.method, lang),
            turnout=turnout_text(res, lang),
            online=res.online,
            paper=res.paper,
        )
        blocks.append(Paragraph(f"{poll.question}\n\n{intro}" if poll.question else intro))
        notes = [_t("poll_note", lang)] if len(res.views) > 1 else []
        if res.moved:
            names = ", ".join(
                res.label(p.option) for p in res.result.ranking if p.option in res.moved
            )
            notes.append(_t("poll_moved", lang, names=names))
        frame = _marks(ranking_frame(res, lang), lang)
        widths = (0.7, 5.0, *([1.0] * (frame.shape[1] - 2)))
        blocks.append(
            Table(
                frame,
                _t("poll_table", lang, poll=poll.title),
                f"poll.{poll.id}",
                note="\n".join(notes) or None,
                widths=widths,
            )
        )
        for name, fig in result_figures(res, lang).items():
            if name == "distribution" and res.voted < 2:
                continue  # one ballot (a group's agreed grade) has no spread to show
            blocks.append(
                Figure(
                    fig,
                    _t(f"poll_{name}", lang, poll=poll.title),
                    f"poll_{name}.{poll.id}",
                    width=0.9,
                )
            )
    return Section(_t("voting", lang), blocks)


# --------------------------------------------------------------------------- roadmap


def _plan(store: Store) -> Plan | None:
    plan = load_plan(store)
    return plan if plan.tasks else None


DIAGRAM_WIDTH = 8.0
"""Inches: the diagram's 9-pt boxes print near 7 pt across the A4 text width."""
FIGURE_WIDTH = 7.6
"""Inches for charts drawn at their type size: across A4 they print at about 0.8×."""


def _aliases(plan: Plan, task: Task) -> str:
    """The other marks documents gave the task (①, ⑥-1, ㉠), one alias column for all."""
    marks = [
        label.label
        for label in plan.labels
        if label.task_id == task.id and label.label != task.code
    ]
    return " · ".join(dict.fromkeys(marks))


def vision(store: Store, lang: Lang) -> Section | None:
    """The vision sentence, the strategy system diagram and its table."""
    plan = _plan(store)
    if plan is None:
        return None
    sentence = plan.vision.text if plan.vision and plan.vision.text else None
    blocks: list[Block] = [Paragraph(_t("vision_line", lang, text=sentence))] if sentence else []
    sizes = [
        _t(key, lang, n=n)
        for key, n in (
            ("plan_strategies", len(plan.strategies)),
            ("plan_goals", len(plan.goals)),
            ("plan_tasks", len(plan.tasks)),
        )
        if n
    ]
    blocks.append(Paragraph(", ".join(sizes) + "."))
    # one numbering everywhere: the task's own code (1-1) in the diagram, the tables, the
    # plans and the Gantt chart; marks other documents used stay in the alias column
    blocks.append(
        Figure(
            roadmap_figures.strategy_diagram(plan, lang, None, width=DIAGRAM_WIDTH),
            _t("diagram", lang),
            "strategy_diagram",
        )
    )
    tree = roadmap_figures.tree_frame(plan, lang, None).reset_index(drop=True)
    tree.insert(3, _t("col_alias", lang), [_aliases(plan, t) for t in plan.tasks])
    # strategy, goal, number, other marks, task, group, importance, lead
    tree, widths = _fit(tree, (2.4, 2.4, 0.7, 1.0, 3.2, 1.0, 1.0, 1.6))
    tree = tree.rename(columns={"group": _t("col_item", lang)})
    blocks.append(Table(tree, _t("tree", lang), "strategy_tree", widths=widths, merge=2))
    return Section(_t("vision", lang), blocks)


def _lines(items: list[str], bullet: str = "• ") -> str:
    return "\n".join(f"{bullet}{item}" for item in items)


def _task_rows(
    plan: Plan,
    task: Task,
    lang: Lang,
    totals: dict[str, int],
    origins: dict[str, str] | None = None,
) -> list[list[str]]:
    """구분 | 내용 rows of one task's execution plan, leaving out what the plan does not say."""
    strategy = plan.strategy_of(task)
    targets = [t.text for t in plan.targets if t.task_id == task.id]
    steps = []
    for step in (s for s in plan.steps if s.task_id == task.id):
        head = f"{step.alternative}: {step.text}" if step.alternative else step.text
        steps.append(f"• {head}")
        steps.extend(f"- {d}" for d in step.details)
    cases = [
        f"{c.title}" + (f" ({c.region})" if c.region else "")
        for c in plan.cases
        if c.task_id == task.id
    ]
    budget = []
    for line in (b for b in plan.budget if b.task_id == task.id):
        item = f"{line.item} ({line.detail})" if line.detail else line.item
        extra = [line.side.label(lang)] if line.side.value != "unspecified" else []
        if line.year:
            extra.append(str(line.year))
        if line.per_year:
            extra.append(_t("per_year", lang))
        budget.append(
            _t(
                "budget_line",
                lang,
                item=item,
                amount=_won(line.amount),
                extra=f" ({', '.join(extra)})" if extra else "",
            )
        )
    if budget:
        budget.append(_t("budget_sum", lang, amount=_won(totals.get(task.id, 0))))
    rows = [
        ("strategy", f"{strategy.code}. {strategy.title}"),
        ("importance", task.importance.label(lang) if task.importance else ""),
        ("vote", (origins or {}).get(task.id, "")),
        ("purpose", _lines(task.purpose) if len(task.purpose) > 1 else "".join(task.purpose)),
        ("background", task.background or ""),
        ("current", task.current_state or ""),
        ("targets", _lines(targets)),
        ("steps", "\n".join(steps)),
        ("lead", task.lead or ""),
        ("partners", ", ".join(task.partners)),
        ("committee", ", ".join(c.name for c in plan.committees_of(task))),
        ("staff", task.staff or ""),
        ("cases", _lines(cases)),
        ("budget", "\n".join(budget)),
    ]
    out = [[_t(f"row_{key}", lang), value] for key, value in rows if value]
    out.extend([i.kind, _lines(i.items)] for i in plan.issues if i.task_id == task.id)
    return out


def tasks(store: Store, lang: Lang) -> Section | None:
    """One compact 구분 | 내용 table per task, under a sub-heading with its number and title."""
    plan = _plan(store)
    if plan is None:
        return None
    totals = budget_spread(plan, "task")
    from separ.carry import vote_origins

    origins = vote_origins(store, plan.tasks, lang)  # which vote chose each task
    blocks: list[Block] = []
    for task in plan.tasks:
        name = roadmap_figures.task_name(plan, task)
        blocks.append(Heading(name))
        frame = pd.DataFrame(
            _task_rows(plan, task, lang, totals, origins),
            columns=[_t("col_item", lang), _t("col_content", lang)],
        )
        blocks.append(
            Table(frame, _t("task_table", lang, task=name), f"task.{task.code}", widths=(1, 5))
        )
    return Section(_t("tasks", lang), blocks)


def roles(store: Store, lang: Lang) -> Section | None:
    plan = _plan(store)
    if plan is None or not plan.roles:
        return None
    frame = roadmap_figures.roles_frame(plan)
    frame = frame.rename(
        columns={"strategy": _t("col_strategy", lang), "task": _t("col_task", lang)}
    )
    for actor in frame.columns[2:]:  # several roles in one cell: one bullet each
        frame[actor] = [_lines(v.split("\n")) if "\n" in v else v for v in frame[actor]]
    widths = (1.4, 2.0, *([3.0] * (frame.shape[1] - 2)))
    return Section(
        _t("roles", lang), [Table(frame, _t("roles_table", lang), "roles", widths=widths, merge=1)]
    )


def committees(store: Store, lang: Lang) -> Section | None:
    plan = _plan(store)
    if plan is None or not plan.committees:
        return None
    frame = roadmap_figures.committees_frame(plan, lang)
    frame, widths = _fit(frame, (1.6, 0.8, 1.8, 1.8, 3.6))
    return Section(
        _t("committees", lang),
        [Table(frame, _t("committees_table", lang), "committees", widths=widths)],
    )


MONTHS_IN_PRINT = 18
"""A monthly plan longer than this prints by quarter: 0.3-inch month columns of a
three-year plan would shrink below legible type on A4."""


def print_granularity(plan: Plan) -> Granularity:
    """The plan's own (finest) granularity, coarsened to quarters for a long monthly plan."""
    periods = [Period.parse(v) for a in plan.activities for v in (a.start, a.end) if v]
    if not periods:
        return "month"
    finest = min((p.granularity for p in periods), key=GRANULARITIES.index)
    span = max(p.last for p in periods) - min(p.first for p in periods) + 1
    if finest == "month" and span > MONTHS_IN_PRINT:
        return "quarter"
    return finest


def schedule(store: Store, lang: Lang) -> Section | None:
    """The Gantt chart, one strategy per figure on one time axis; estimates hatched."""
    plan = _plan(store)
    if plan is None or not any(a.start for a in plan.activities):
        return None
    unit = print_granularity(plan)
    periods = [Period.parse(v) for a in plan.activities for v in (a.start, a.end) if v]
    first = period_label(min(p.first for p in periods), unit, lang)
    last = period_label(max(p.last for p in periods), unit, lang)
    estimated = sum(1 for a in plan.activities if a.estimated)
    blocks: list[Block] = [
        Paragraph(
            _t("schedule_intro", lang, first=first, last=last, unit=_t(f"unit_{unit}", lang))
            + "\n\n"
            + _t("estimated_count", lang, n=len(plan.activities), e=estimated)
        )
    ]
    for strategy in plan.strategies:
        rows = plan.tasks_of(strategy)
        if not rows:
            continue
        fig = roadmap_figures.gantt(plan, unit, lang, None, tasks=rows, width=FIGURE_WIDTH)
        blocks.append(
            Figure(
                fig,
                _t("schedule_figure", lang, strategy=f"{strategy.code}. {strategy.title}"),
                f"gantt.{strategy.code}",
            )
        )
    return Section(_t("schedule", lang), blocks)


def _rollup(plan: Plan, by: str, column: str, lang: Lang) -> pd.DataFrame:
    """A budget roll-up with a share column (one decimal, half up) and the total row."""
    sums = budget_spread(plan, by)
    if by == "year":
        names = {k: _t(k, lang) for k in ("every_year", "no_year")}
    elif by == "side":
        names = {
            code: next(s for s in type(plan.budget[0].side) if s.value == code).label(lang)
            for code in sums
        }
    else:
        names = {s.id: f"{s.code}. {s.title}" for s in plan.strategies}
    total = sum(sums.values())
    rows: list[list[Any]] = [
        [names.get(k, k), v, float(half_up(100 * v / total, 1)) if total else 0.0]
        for k, v in sums.items()
    ]
    rows.append([_t("total", lang), total, 100.0 if total else 0.0])
    return pd.DataFrame(rows, columns=[column, _t("col_amount", lang), _t("col_share", lang)])


def budget(store: Store, lang: Lang) -> Section | None:
    """Budget per year, funding side and strategy, with totals, and per task by side."""
    plan = _plan(store)
    if plan is None or not plan.budget:
        return None
    total = sum(budget_spread(plan, "task").values())
    per_year = any(line.per_year for line in plan.budget) and bool(plan_years(plan))
    blocks: list[Block] = [
        Paragraph(_t("budget_intro", lang, n=len(plan.budget), total=_won(total)))
    ]
    for by, key, widths in (
        ("year", "budget_per_year_note", (2, 2, 1)),
        ("side", "", (2, 2, 1)),
        ("strategy", "", (4, 2, 1)),
    ):
        frame = _rollup(plan, by, _t(f"col_{by}", lang), lang)
        if len(frame) < 3:  # one key and the total: said by the paragraph above
            blocks.append(Paragraph(_t(f"budget_only_{by}", lang, name=frame.iloc[0, 0])))
            continue
        years = plan_years(plan)
        note = _t(key, lang, start=years[0], end=years[-1]) if key and per_year else None
        blocks.append(
            Table(frame, _t(f"budget_{by}", lang), f"budget_by_{by}", widths=widths, note=note)
        )
    blocks.append(
        Figure(
            roadmap_figures.budget_figure(plan, lang, width=FIGURE_WIDTH),
            _t("budget_figure", lang),
            "budget_figure",
        )
    )
    return Section(_t("budget", lang), blocks)


__all__ = [
    "assets",
    "budget",
    "committees",
    "environment",
    "network",
    "print_granularity",
    "roles",
    "schedule",
    "surveys",
    "swot",
    "tasks",
    "vision",
    "voting",
]
