"""Indicators: purpose -> activity -> sub-activity -> indicator, with measured values over time.

The 2014 Seoul social-value study (seed 004, L1580-2045; digest section 2e) builds, per
district, purposes (목적), activities (활동), sub-activities (세부활동) and output or
outcome indicators (평가지표) chosen with a Delphi panel. Seed 003 (L4290-4365) proposes
a regional social-value model of 4 categories (대분류) and 10 sub-categories (소분류)
with a measuring direction each. Both are the same tree, so one set of tables holds them:
a :class:`Purpose` (a category, or a roadmap strategy), :class:`IndicatorActivity` rows
(an activity, or a sub-activity under it via ``parent_id``), :class:`Indicator` rows and
their dated :class:`Measurement` values.

Templates load either shape into a workshop; the facilitator then adds the indicators
the network agrees on (the 003 text names the model's 50 indicators but does not list
them, so the template brings the frame, not invented indicators).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import model_validator

from separ.actors import Actor, require_facilitator
from separ.errors import Invalid, SeparError
from separ.i18n import Lang, add_messages, add_nouns
from separ.records import Choice, Name, Record, RecordId, Text
from separ.roadmap import load_plan
from separ.store import Store
from separ.validation import build


class IndicatorKind(Choice):
    output = "output"
    outcome = "outcome"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "output": {"ko": "산출", "en": "output"},
            "outcome": {"ko": "성과", "en": "outcome"},
        }


class Direction(Choice):
    """Whether more is better (participants) or less is (vacant shops)."""

    increase = "increase"
    decrease = "decrease"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "increase": {"ko": "증가", "en": "increase"},
            "decrease": {"ko": "감소", "en": "decrease"},
        }


_ID: dict[Lang, str] = {"ko": "ID", "en": "id"}
_CODE: dict[Lang, str] = {"ko": "번호", "en": "code"}
_ORDER: dict[Lang, str] = {"ko": "순서", "en": "order"}
_NOTES: dict[Lang, str] = {"ko": "비고", "en": "notes"}


class Purpose(Record):
    """A purpose (목적), a category of a value model (대분류) or a roadmap strategy."""

    table: ClassVar[str] = "indicator_purposes"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "지표 목적", "en": "Indicator purposes"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "code": _CODE,
        "title": {"ko": "목적·대분류", "en": "purpose"},
        "strategy_id": {"ko": "전략 ID", "en": "strategy id"},
        "order": _ORDER,
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("code",),)
    references: ClassVar[dict[str, str]] = {"strategy_id": "roadmap_strategies"}
    noun: ClassVar[str] = "purpose"

    code: Name
    title: Name
    strategy_id: RecordId | None = None
    order: int = 0
    notes: Text | None = None


class IndicatorActivity(Record):
    """An activity (활동, 소분류) or, with ``parent_id``, a sub-activity (세부활동)."""

    table: ClassVar[str] = "indicator_activities"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "지표 활동", "en": "Indicator activities"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "purpose_id": {"ko": "목적 ID", "en": "purpose id"},
        "parent_id": {"ko": "상위 활동 ID", "en": "parent activity id"},
        "code": _CODE,
        "title": {"ko": "활동·소분류", "en": "activity"},
        "direction": {"ko": "측정 방향", "en": "what is measured"},
        "task_id": {"ko": "과제 ID", "en": "task id"},
        "roadmap_activity_id": {"ko": "세부활동 ID", "en": "roadmap activity id"},
        "order": _ORDER,
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("code",),)
    references: ClassVar[dict[str, str]] = {
        "purpose_id": "indicator_purposes",
        "parent_id": "indicator_activities",
        "task_id": "roadmap_tasks",
        "roadmap_activity_id": "roadmap_activities",
    }
    noun: ClassVar[str] = "indicator_activity"

    purpose_id: RecordId
    parent_id: RecordId | None = None
    code: Name
    title: Name
    direction: Text | None = None
    task_id: RecordId | None = None
    roadmap_activity_id: RecordId | None = None
    order: int = 0
    notes: Text | None = None


class Indicator(Record):
    """An output or outcome indicator with its unit, baseline and target."""

    table: ClassVar[str] = "indicator_defs"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "지표", "en": "Indicators"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "purpose_id": {"ko": "목적 ID", "en": "purpose id"},
        "activity_id": {"ko": "활동 ID", "en": "activity id"},
        "code": _CODE,
        "name": {"ko": "지표명", "en": "indicator"},
        "kind": {"ko": "구분", "en": "kind"},
        "unit": {"ko": "단위", "en": "unit"},
        "baseline": {"ko": "기준값", "en": "baseline"},
        "baseline_date": {"ko": "기준일", "en": "baseline date"},
        "target": {"ko": "목표값", "en": "target"},
        "target_date": {"ko": "목표일", "en": "target date"},
        "direction": {"ko": "방향", "en": "direction"},
        "roadmap_target_id": {"ko": "과제 목표 ID", "en": "roadmap target id"},
        "order": _ORDER,
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("code",),)
    references: ClassVar[dict[str, str]] = {
        "purpose_id": "indicator_purposes",
        "activity_id": "indicator_activities",
        "roadmap_target_id": "roadmap_targets",
    }
    noun: ClassVar[str] = "indicator"

    purpose_id: RecordId
    activity_id: RecordId | None = None
    code: Name
    name: Name
    kind: IndicatorKind = IndicatorKind.output
    unit: Name | None = None
    baseline: float | None = None
    baseline_date: dt.date | None = None
    target: float | None = None
    target_date: dt.date | None = None
    direction: Direction = Direction.increase
    roadmap_target_id: RecordId | None = None
    order: int = 0
    notes: Text | None = None


class Measurement(Record):
    """One measured value of an indicator on a date."""

    table: ClassVar[str] = "indicator_values"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "지표 측정값", "en": "Indicator values"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "indicator_id": {"ko": "지표 ID", "en": "indicator id"},
        "date": {"ko": "측정일", "en": "date"},
        "value": {"ko": "값", "en": "value"},
        "source": {"ko": "출처", "en": "source"},
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("indicator_id", "date"),)
    references: ClassVar[dict[str, str]] = {"indicator_id": "indicator_defs"}
    noun: ClassVar[str] = "measurement"

    indicator_id: RecordId
    date: dt.date
    value: float
    source: Name | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _finite(self) -> Measurement:
        if self.value != self.value or self.value in (float("inf"), float("-inf")):
            raise Invalid("not_a_number")
        return self


RECORDS: tuple[type[Record], ...] = (Purpose, IndicatorActivity, Indicator, Measurement)

add_nouns(
    {
        "purpose": {"ko": "목적", "en": "purpose"},
        "indicator_activity": {"ko": "지표 활동", "en": "indicator activity"},
        "indicator": {"ko": "지표", "en": "indicator"},
        "measurement": {"ko": "측정값", "en": "measurement"},
    }
)

add_messages(
    {
        "indicators_unknown_template": {
            "ko": "알 수 없는 지표 틀입니다: {value} (가능: {choices})",
            "en": "unknown indicator template: {value} (choose: {choices})",
        },
        "indicators_template_loaded": {
            "ko": "이미 불러온 틀입니다 (번호 {value}가 있습니다)",
            "en": "this template is already loaded (code {value} exists)",
        },
        "indicators_parent_elsewhere": {
            "ko": "상위 활동이 다른 목적에 속합니다: {value}",
            "en": "the parent activity belongs to another purpose: {value}",
        },
    }
)

# --------------------------------------------------------------------------- templates

SV_003: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "지역 사회문제 해결 성과",
        (
            (
                "지역문제 해결/ 의제발굴과 사업화",
                "조직의 활동 및 사업의 결과가 지역사회 문제를 해결하고 의제를 지속적으로 "
                "발굴하고 있는가",
            ),
            (
                "협동조합 설립목적의 달성",
                "협동조합 운영원칙(7대 원칙) 근거하여 협동조합 설립목적에 적합하게 운영하고 있는가",
            ),
            (
                "고용의 질과 복지",
                "취약계층 고용을 지속적으로 유지하고 근로복지 향상을 위해 노력하고 있는가",
            ),
            (
                "지역경제 활성화 및 사회 공헌",
                "지역사회 경제 순환과 활성화를 위해 구매와 할인, 프로그램 이용, 자원활동, "
                "지역주민 고용 등에 관심을 갖고 노력하고 있는가",
            ),
        ),
    ),
    (
        "사회적경제 네트워크 및 협력체계 참여",
        (
            (
                "이해관계자와 협치 구축",
                "지역사회 이해관계자가 사회적경제 조직 운영에 참여하고 협력구조를 갖추고 있는가",
            ),
            (
                "지역 네트워크 및 생태계구축",
                "사회적경제 생태계가 구축되는데 적극적으로 참여하고 협력하고 있는가",
            ),
        ),
    ),
    (
        "조직 운영, 관리 성과",
        (
            (
                "내부 운영의 체계적 관리",
                "조직이 지속가능하기 위해서 지속적으로 신규사업을 개발하고 있으며, 내·외부 자원의 "
                "확대와 사업의 투명성을 확보하기 위해 노력하고 있는가",
            ),
            (
                "민주적 의사결정 구조",
                "핵심 이해관계자들이 의사결정 구조에 적극적으로 참여하고 있으며 조직의 사업 결과가 "
                "외부로 공개되고 있는가",
            ),
        ),
    ),
    (
        "재무적성과",
        (
            ("사회적기업 재무성과", "재무적 지속가능성과 건전성 확인"),
            ("협동조합 재무성과", "재무적 지속가능성과 건전성 확인"),
        ),
    ),
)
"""Seed 003's proposed regional social-value model (L4290-4305, the Hwaseong table it
follows at L4355-4365). 소분류 5 reads "합치" at L4300 and "협치" at L4361: the latter is
the word meant. 소분류 10's direction is blank at L4305 and given at L4365."""

TEMPLATES = ("sv_003", "roadmap")
Template = Literal["sv_003", "roadmap"]


def load_template(store: Store, actor: Actor, template: str) -> int:
    """Load an indicator frame into the workshop; returns how many rows were added.

    ``sv_003``: the 4 categories and 10 sub-categories of seed 003 (codes SV1..SV4,
    SV1-1..SV4-10), without indicators. ``roadmap``: the 004 hierarchy from this
    workshop's own plan: each strategy a purpose (P<code>), each task an activity, each
    scheduled sub-activity a sub-activity, and each quantitative task target
    (metric and value) an output indicator whose target is the plan's number.
    """
    require_facilitator(actor)
    if template not in TEMPLATES:
        raise SeparError(
            "indicators_unknown_template", value=template, choices=", ".join(TEMPLATES)
        )
    base = len(store.list(Purpose))
    rows = _sv_rows(base) if template == "sv_003" else _roadmap_rows(store, base)
    with store.transaction() as tx:
        codes = {p.code for p in tx.find(Purpose)}
        for rec in rows:
            if isinstance(rec, Purpose) and rec.code in codes:
                raise SeparError("indicators_template_loaded", value=rec.code)
        tx.add_all(rows)
    return len(rows)


def _sv_rows(base: int) -> list[Record]:
    rows: list[Record] = []
    number = 0
    for i, (category, subs) in enumerate(SV_003, start=1):
        purpose = Purpose(
            code=f"SV{i}",
            title=category,
            order=base + i - 1,
            notes="003 제안 지표 대분류 (L4290-4305)",
        )
        rows.append(purpose)
        for j, (title, direction) in enumerate(subs):
            number += 1
            rows.append(
                IndicatorActivity(
                    purpose_id=purpose.id,
                    code=f"SV{i}-{number}",
                    title=title,
                    direction=direction,
                    order=j,
                    notes=f"003 소분류 {number}",
                )
            )
    return rows


def _roadmap_rows(store: Store, base: int) -> list[Record]:
    from separ.validation import build

    plan = load_plan(store)
    rows: list[Record] = []
    for strategy in plan.strategies:
        purpose = Purpose(
            code=f"P{strategy.code}",
            title=strategy.title,
            strategy_id=strategy.id,
            order=base + strategy.order,
        )
        rows.append(purpose)
        for t_order, task in enumerate(plan.tasks_of(strategy)):
            act = IndicatorActivity(
                purpose_id=purpose.id,
                code=f"A{task.code}",
                title=task.title,
                task_id=task.id,
                order=t_order,
            )
            rows.append(act)
            for a_order, sub in enumerate(plan.activities_of(task)):
                if sub.milestone:
                    continue
                rows.append(
                    IndicatorActivity(
                        purpose_id=purpose.id,
                        parent_id=act.id,
                        code=f"A{task.code}-{a_order + 1}",
                        title=sub.title,
                        task_id=task.id,
                        roadmap_activity_id=sub.id,
                        order=a_order,
                    )
                )
            targets = [g for g in plan.targets if g.task_id == task.id and g.value is not None]
            for g_order, target in enumerate(targets):
                rec = build(
                    Indicator,
                    {
                        "purpose_id": purpose.id,
                        "activity_id": act.id,
                        "code": f"I{task.code}-{g_order + 1}",
                        "name": target.metric or target.text,
                        "kind": "output",
                        "unit": target.unit,
                        "target": target.value,
                        "roadmap_target_id": target.id,
                        "order": g_order,
                        "notes": f"과제 목표: {target.text}"
                        + (f" ({target.period})" if target.period else ""),
                    },
                )
                rows.append(rec)
    return rows


# --------------------------------------------------------------------------- series

Trend = Literal["up", "down", "flat", "none"]


@dataclass(frozen=True)
class Series:
    """An indicator's measured values and what they say against its target."""

    indicator: Indicator
    points: list[tuple[dt.date, float]]
    latest: float | None
    progress: float | None
    """Percent of the way from baseline to target (can pass 100 or fall below 0)."""
    trend: Trend
    """Direction of the least-squares slope over all points (per year)."""
    slope: float | None
    toward_target: bool | None


FLAT = 1e-9


def series(indicator: Indicator, values: list[Measurement]) -> Series:
    """Latest value, progress toward target and trend of one indicator.

    Progress is (latest - baseline) / (target - baseline) x 100; without a baseline the
    first measured value is the baseline. The trend is the sign of the least-squares
    slope of value over time in years (two points: the line through them).
    """
    points = sorted(
        ((m.date, m.value) for m in values if m.indicator_id == indicator.id), key=lambda p: p[0]
    )
    latest = points[-1][1] if points else None
    base = (
        indicator.baseline if indicator.baseline is not None else (points[0][1] if points else None)
    )
    progress = None
    if (
        latest is not None
        and base is not None
        and indicator.target is not None
        and indicator.target != base
    ):
        progress = 100 * (latest - base) / (indicator.target - base)
    slope = _slope(points)
    if slope is None:
        trend: Trend = "none"
    elif abs(slope) <= FLAT:
        trend = "flat"
    else:
        trend = "up" if slope > 0 else "down"
    toward = None
    if slope is not None:
        wanted = 1 if indicator.direction == Direction.increase else -1
        toward = slope * wanted > FLAT
    return Series(indicator, points, latest, progress, trend, slope, toward)


def _slope(points: list[tuple[dt.date, float]]) -> float | None:
    if len(points) < 2:
        return None
    xs = [(d - points[0][0]).days / 365.25 for d, _ in points]
    ys = [v for _, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


@dataclass
class Framework:
    purposes: list[Purpose]
    activities: list[IndicatorActivity]
    indicators: list[Indicator]
    values: list[Measurement]

    def series(self) -> list[Series]:
        return [series(ind, self.values) for ind in self.indicators]


def load_framework(store: Store) -> Framework:
    with store.reading() as tx:
        purposes = sorted(tx.find(Purpose), key=lambda p: (p.order, p.code))
        rank = {p.id: i for i, p in enumerate(purposes)}
        acts = sorted(
            tx.find(IndicatorActivity), key=lambda a: (rank.get(a.purpose_id, 0), a.order, a.code)
        )
        inds = sorted(
            tx.find(Indicator), key=lambda i: (rank.get(i.purpose_id, 0), i.order, i.code)
        )
        return Framework(purposes, acts, inds, tx.find(Measurement, order_by="date"))


def series_frame(framework: Framework, lang: Lang = "ko") -> Any:
    """One row per indicator: purpose, activity, kind, unit, baseline, target, latest,
    progress (%), trend."""
    import pandas as pd

    purpose = {p.id: p for p in framework.purposes}
    act = {a.id: a for a in framework.activities}
    rows = []
    for s in framework.series():
        ind = s.indicator
        rows.append(
            {
                "code": ind.code,
                "purpose": purpose[ind.purpose_id].title,
                "activity": act[ind.activity_id].title if ind.activity_id else "",
                "indicator": ind.name,
                "kind": ind.kind.label(lang),
                "unit": ind.unit or "",
                "baseline": ind.baseline,
                "target": ind.target,
                "latest": s.latest,
                "progress": None if s.progress is None else round(s.progress, 1),
                "trend": s.trend,
                "n": len(s.points),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "code",
            "purpose",
            "activity",
            "indicator",
            "kind",
            "unit",
            "baseline",
            "target",
            "latest",
            "progress",
            "trend",
            "n",
        ],
    )


def tree_frame(framework: Framework) -> Any:
    """The hierarchy as rows purpose / activity / sub-activity / indicator (004's table)."""
    import pandas as pd

    rows = []

    def add(
        p: Purpose, a: IndicatorActivity, s: IndicatorActivity | None, indicator: Indicator | None
    ) -> None:
        rows.append(
            {
                "purpose": f"{p.code} {p.title}",
                "activity": f"{a.code} {a.title}",
                "sub_activity": f"{s.code} {s.title}" if s else "",
                "direction": (s or a).direction or "",
                "indicator": indicator.name if indicator else "",
            }
        )

    def of(node: IndicatorActivity) -> list[Indicator]:
        return [i for i in framework.indicators if i.activity_id == node.id]

    for p in framework.purposes:
        top = [a for a in framework.activities if a.purpose_id == p.id and a.parent_id is None]
        for a in top:
            subs = [s for s in framework.activities if s.parent_id == a.id]
            for indicator in of(a):
                add(p, a, None, indicator)
            if not subs and not of(a):
                add(p, a, None, None)
            for s in subs:
                found: list[Indicator | None] = [*of(s)] or [None]
                for indicator_or_none in found:
                    add(p, a, s, indicator_or_none)
        for indicator in framework.indicators:
            if indicator.purpose_id == p.id and indicator.activity_id is None:
                rows.append(
                    {
                        "purpose": f"{p.code} {p.title}",
                        "activity": "",
                        "sub_activity": "",
                        "direction": "",
                        "indicator": indicator.name,
                    }
                )
    return pd.DataFrame(
        rows, columns=["purpose", "activity", "sub_activity", "direction", "indicator"]
    )


# --------------------------------------------------------------------------- writes


def add_purpose(
    store: Store, actor: Actor, code: str, title: str, strategy_id: str | None = None
) -> Purpose:
    require_facilitator(actor)
    with store.transaction() as tx:
        rec = build(
            Purpose,
            {
                "code": code,
                "title": title,
                "strategy_id": strategy_id,
                "order": len(tx.find(Purpose)),
            },
        )
        return tx.add(rec)


def add_activity(
    store: Store,
    actor: Actor,
    purpose_id: str,
    code: str,
    title: str,
    *,
    parent_id: str | None = None,
    direction: str | None = None,
) -> IndicatorActivity:
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Purpose, purpose_id)
        if parent_id is not None and tx.get(IndicatorActivity, parent_id).purpose_id != purpose_id:
            raise SeparError("indicators_parent_elsewhere", value=parent_id)
        rec = build(
            IndicatorActivity,
            {
                "purpose_id": purpose_id,
                "parent_id": parent_id,
                "code": code,
                "title": title,
                "direction": direction,
                "order": len(tx.find(IndicatorActivity, purpose_id=purpose_id)),
            },
        )
        return tx.add(rec)


def add_indicator(
    store: Store,
    actor: Actor,
    purpose_id: str,
    code: str,
    name: str,
    *,
    activity_id: str | None = None,
    kind: str = "output",
    unit: str | None = None,
    baseline: float | None = None,
    target: float | None = None,
    target_date: dt.date | str | None = None,
    direction: str = "increase",
) -> Indicator:
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Purpose, purpose_id)
        if (
            activity_id is not None
            and tx.get(IndicatorActivity, activity_id).purpose_id != purpose_id
        ):
            raise SeparError("indicators_parent_elsewhere", value=activity_id)
        rec = build(
            Indicator,
            {
                "purpose_id": purpose_id,
                "activity_id": activity_id,
                "code": code,
                "name": name,
                "kind": kind,
                "unit": unit,
                "baseline": baseline,
                "target": target,
                "target_date": target_date,
                "direction": direction,
                "order": len(tx.find(Indicator, purpose_id=purpose_id)),
            },
        )
        return tx.add(rec)


def record_value(
    store: Store,
    actor: Actor,
    indicator_id: str,
    date: dt.date | str,
    value: float,
    source: str | None = None,
    notes: str | None = None,
) -> Measurement:
    """Record (or correct) the indicator's value on a date: one value per date."""
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Indicator, indicator_id)
        rec = build(
            Measurement,
            {
                "indicator_id": indicator_id,
                "date": date,
                "value": value,
                "source": source or None,
                "notes": notes or None,
            },
        )
        found = tx.find(Measurement, indicator_id=indicator_id, date=rec.date)
        if found:
            rec.id = found[0].id
            return tx.update(rec)
        return tx.add(rec)
