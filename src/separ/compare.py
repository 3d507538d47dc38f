"""Across workshops: a support centre compares the cities or districts it works with.

Chungnam's centre runs one workshop per city (Nonsan, Seosan …), Seoul's ran 13
district projects (seed 004). This module opens several workshops (folders or JSON/XLSX
files) and lays them side by side: organisations by type and area, the plans (tasks,
budgets), progress and indicators. It also computes location quotients of industries by
area (004:L297-329): LQ_ij = (e_ij / e_j) / (E_i / E), where e_ij counts industry i in
area j, e_j all industries in area j, E_i industry i in all areas and E everything.
LQ > 1 means the industry is more present than on average (높게 분포); LQ ≥ 1.25 is read
as a cluster (집적). The counts are :class:`IndustryCount` rows, so they travel in a
workshop's JSON or Excel file like any other table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field

from separ.errors import SeparError
from separ.i18n import Lang, add_messages, add_nouns
from separ.records import Choice, Name, Record, Text
from separ.store import Store

SPECIALISED = 1.0
CLUSTER = 1.25


class CountMeasure(Choice):
    employment = "employment"
    establishments = "establishments"
    organisations = "organisations"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "employment": {"ko": "종사자수", "en": "employment"},
            "establishments": {"ko": "사업체수", "en": "establishments"},
            "organisations": {"ko": "조직수", "en": "organisations"},
        }


class IndustryCount(Record):
    """How many jobs (or establishments, organisations) one industry has in one area."""

    table: ClassVar[str] = "industry_counts"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "산업별 지역 통계", "en": "Industry counts"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "area": {"ko": "지역", "en": "area"},
        "industry": {"ko": "산업", "en": "industry"},
        "measure": {"ko": "기준", "en": "measure"},
        "year": {"ko": "연도", "en": "year"},
        "count": {"ko": "수", "en": "count"},
        "source": {"ko": "출처", "en": "source"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("area", "industry", "measure", "year"),)
    noun: ClassVar[str] = "industry_count"

    area: Name
    industry: Name
    measure: CountMeasure = CountMeasure.employment
    year: int | None = Field(default=None, ge=1900, le=2200)
    count: float = Field(ge=0)
    source: Name | None = None
    notes: Text | None = None


RECORDS: tuple[type[Record], ...] = (IndustryCount,)

add_nouns({"industry_count": {"ko": "산업별 지역 통계", "en": "industry count"}})
add_messages(
    {
        "compare_mixed_counts": {
            "ko": "입지계수는 한 기준·연도의 수로만 계산합니다: {value}",
            "en": "location quotients need counts of one measure and year: {value}",
        },
        "compare_no_counts": {
            "ko": "입지계수를 계산할 산업별 지역 통계가 없습니다",
            "en": "there are no industry counts to compute location quotients from",
        },
    }
)


# --------------------------------------------------------------------------- LQ


@dataclass(frozen=True)
class Quotient:
    area: str
    industry: str
    count: float
    lq: float | None
    """None when the area or the industry has no count at all (0/0)."""

    @property
    def specialised(self) -> bool:
        return self.lq is not None and self.lq > SPECIALISED

    @property
    def cluster(self) -> bool:
        return self.lq is not None and self.lq >= CLUSTER


def location_quotients(counts: Iterable[IndustryCount]) -> list[Quotient]:
    """LQ for every area × industry of one measure and year (a missing cell counts 0)."""
    rows = list(counts)
    if not rows:
        raise SeparError("compare_no_counts")
    kinds = {(r.measure.value, r.year) for r in rows}
    if len(kinds) > 1:
        shown = ", ".join(f"{m} {y or ''}".strip() for m, y in sorted(kinds, key=str))
        raise SeparError("compare_mixed_counts", value=shown)
    cell: dict[tuple[str, str], float] = defaultdict(float)
    for r in rows:
        cell[(r.area, r.industry)] += r.count
    areas = list(dict.fromkeys(r.area for r in rows))
    industries = list(dict.fromkeys(r.industry for r in rows))
    area_total = {a: sum(cell[(a, i)] for i in industries) for a in areas}
    industry_total = {i: sum(cell[(a, i)] for a in areas) for i in industries}
    total = sum(area_total.values())
    out = []
    for a in areas:
        for i in industries:
            e = cell[(a, i)]
            lq = None
            if area_total[a] and industry_total[i] and total:
                lq = (e / area_total[a]) / (industry_total[i] / total)
            out.append(Quotient(a, i, e, lq))
    return out


def lq_frame(quotients: Sequence[Quotient]) -> Any:
    """Areas as rows, industries as columns, LQ values (the shape of 004's table T4)."""
    import pandas as pd

    df = pd.DataFrame([{"area": q.area, "industry": q.industry, "lq": q.lq} for q in quotients])
    table = df.pivot(index="area", columns="industry", values="lq")
    areas = list(dict.fromkeys(q.area for q in quotients))
    industries = list(dict.fromkeys(q.industry for q in quotients))
    return table.loc[areas, industries]


def clusters(quotients: Sequence[Quotient]) -> dict[str, list[str]]:
    """{area: industries with LQ ≥ 1.25}, strongest first."""
    out: dict[str, list[Quotient]] = defaultdict(list)
    for q in quotients:
        if q.cluster:
            out[q.area].append(q)
    return {
        a: [q.industry for q in sorted(qs, key=lambda q: -(q.lq or 0))] for a, qs in out.items()
    }


def counts_of(store: Store) -> list[IndustryCount]:
    return store.list(IndustryCount)


# --------------------------------------------------------------------------- workshops


@dataclass
class Summary:
    """One workshop reduced to the numbers a support centre compares."""

    name: str
    region: str
    organisations: dict[str, dict[str, int]]
    """{district or '': {org type code: count}}."""
    tasks: int
    strategies: int
    budget: int
    status: dict[str, int]
    percent: float
    spent: int
    indicators: int
    indicators_measured: int
    mean_progress: float | None


def summarise(store: Store, name: str | None = None) -> Summary:
    from separ.indicators import load_framework
    from separ.model import Organisation
    from separ.progress import Status, load_progress, rollup

    ws = store.workshop()
    orgs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for org in store.list(Organisation):
        orgs[org.district or ""][org.type.value] += 1
    progress = load_progress(store)
    plan = progress.plan
    whole = rollup(progress, "strategy")
    status = {s.value: sum(r.counts[s] for r in whole) for s in Status}
    task_rows = rollup(progress, "task")
    live = [r.percent for r in task_rows if r.counts[Status.dropped] == 0]
    framework = load_framework(store)
    series = framework.series()
    progresses = [s.progress for s in series if s.progress is not None]
    return Summary(
        name=name or ws.title,
        region=ws.region,
        organisations={k: dict(v) for k, v in orgs.items()},
        tasks=len(plan.tasks),
        strategies=len(plan.strategies),
        budget=sum(b.amount for b in plan.budget),
        status=status,
        percent=sum(live) / len(live) if live else 0.0,
        spent=sum(s.amount for s in progress.spending),
        indicators=len(framework.indicators),
        indicators_measured=sum(1 for s in series if s.points),
        mean_progress=sum(progresses) / len(progresses) if progresses else None,
    )


def summarise_all(locations: Sequence[str | Path]) -> list[Summary]:
    """Open each workshop (folder or file), summarise it, close it."""
    from separ.workspace import open_workshop

    out = []
    for location in locations:
        with open_workshop(location) as store:
            out.append(summarise(store))
    return out


def organisations_frame(
    summaries: Sequence[Summary], lang: Lang = "ko", by_area: bool = False
) -> Any:
    """Organisations by type, one column per workshop (or per workshop × area)."""
    import pandas as pd

    from separ.model import OrgType

    columns: dict[str, dict[str, int]] = {}
    for s in summaries:
        if by_area:
            for area, types in s.organisations.items():
                columns[f"{s.region} {area}".strip()] = types
        else:
            total: dict[str, int] = defaultdict(int)
            for types in s.organisations.values():
                for code, n in types.items():
                    total[code] += n
            columns[s.region] = dict(total)
    index = [OrgType(code).label(lang) for code in OrgType.labels()]
    data = {
        col: [types.get(code, 0) for code in OrgType.labels()] for col, types in columns.items()
    }
    return pd.DataFrame(data, index=index)


def plans_frame(summaries: Sequence[Summary], lang: Lang = "ko") -> Any:
    """Plans, progress and indicators side by side: one row per workshop."""
    import pandas as pd

    from separ.progress import Status

    return pd.DataFrame(
        [
            {
                "workshop": s.name,
                "region": s.region,
                "strategies": s.strategies,
                "tasks": s.tasks,
                "budget": s.budget,
                "spent": s.spent,
                **{Status(code).label(lang): n for code, n in s.status.items()},
                "percent": round(s.percent, 1),
                "indicators": s.indicators,
                "measured": s.indicators_measured,
                "indicator_progress": None
                if s.mean_progress is None
                else round(s.mean_progress, 1),
            }
            for s in summaries
        ]
    )
