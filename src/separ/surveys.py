"""Survey tables (실태조사) as records, their summaries, and a check of their printed numbers.

The seed's desk research quotes survey tables of four shapes: single-response
(percentages of one answer each, summing to 100 per row group), multi-response
(percent of respondents, summing to more than 100), ranked 1st/2nd/3rd choices, and
mean scores. One long format holds them all: a :class:`SurveyTable` and its
:class:`SurveyRow` cells (row group × option, with a count, a percent, a rank or a
mean), so they travel in JSON and Excel like every other table.

Published tables contain slips (〈표 3-17〉 prints 40.4 for 18 of 45 and 16.7 for 12 of
45): :func:`check` recomputes what can be recomputed and flags what does not match,
keeping the published numbers as they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from separ.i18n import Lang, add_messages, add_nouns
from separ.records import Choice, Name, Record, RecordId, Text
from separ.store import Store

if TYPE_CHECKING:
    import pandas as pd

add_messages(
    {
        "survey_percent_mismatch": {
            "ko": "{option}: {count}/{base} = {expected}% 인데 표에는 {printed}%",
            "en": "{option}: {count}/{base} = {expected}% but the table prints {printed}%",
        },
        "survey_total_mismatch": {
            "ko": "{column}: 항목 합계는 {summed}인데 표의 합계는 {printed}",
            "en": "{column}: the rows add up to {summed} but the table's total is {printed}",
        },
        "survey_sum_not_100": {
            "ko": "{group}: 비율 합계가 {summed}% 입니다 (단일응답은 100%)",
            "en": "{group}: percentages add up to {summed}% (single response: 100%)",
        },
    }
)
add_nouns(
    {
        "survey_table": {"ko": "조사표", "en": "survey table"},
        "survey_row": {"ko": "조사표 항목", "en": "survey row"},
    }
)


class SurveyKind(Choice):
    single = "single"
    multi = "multi"
    ranked = "ranked"
    mean = "mean"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "single": {"ko": "단일응답", "en": "single response"},
            "multi": {"ko": "중복응답", "en": "multiple response"},
            "ranked": {"ko": "순위응답", "en": "ranked choice"},
            "mean": {"ko": "평균점수", "en": "mean score"},
        }


class SurveyTable(Record):
    """One published survey table (e.g. 〈표 3-17〉)."""

    table: ClassVar[str] = "survey_tables"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "조사표", "en": "Survey tables"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "code": {"ko": "표 번호", "en": "table number"},
        "title": {"ko": "제목", "en": "title"},
        "kind": {"ko": "응답 형식", "en": "kind"},
        "respondents": {"ko": "응답자 수", "en": "respondents"},
        "scale_max": {"ko": "척도 최대값", "en": "scale maximum"},
        "source": {"ko": "출처", "en": "source"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("code",),)
    noun: ClassVar[str] = "survey_table"

    code: Name
    title: Name
    kind: SurveyKind
    respondents: int | None = Field(default=None, ge=1, le=10_000_000)
    scale_max: float | None = Field(default=None, gt=0)
    source: Text | None = None
    notes: Text | None = None


class SurveyRow(Record):
    """One cell of a survey table: an option (in a row group), with what the table prints."""

    table: ClassVar[str] = "survey_rows"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "조사표 항목", "en": "Survey rows"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "table_id": {"ko": "조사표 ID", "en": "table id"},
        "position": {"ko": "순서", "en": "position"},
        "group": {"ko": "집단", "en": "group"},
        "option": {"ko": "항목", "en": "option"},
        "rank": {"ko": "순위", "en": "rank"},
        "count": {"ko": "사례수", "en": "count"},
        "percent": {"ko": "비율(%)", "en": "percent"},
        "mean": {"ko": "평균", "en": "mean"},
        "total": {"ko": "합계 행", "en": "total row"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("table_id", "group", "option", "rank"),)
    references: ClassVar[dict[str, str]] = {"table_id": "survey_tables"}
    noun: ClassVar[str] = "survey_row"

    table_id: RecordId
    position: int = Field(default=0, ge=0, le=100_000)
    group: Name | None = None
    option: Name
    rank: int | None = Field(default=None, ge=1, le=10)
    count: int | None = Field(default=None, ge=0, le=10_000_000)
    percent: float | None = Field(default=None, ge=0, le=1000)
    mean: float | None = None
    total: bool = False
    """The table's own 합계 row, kept to check the rows against it."""


RECORDS: tuple[type[Record], ...] = (SurveyTable, SurveyRow)

PERCENT_TOLERANCE = 0.051
"""Percentages have one decimal: a gap beyond half a unit (plus float slack) is a slip."""
SUM_TOLERANCE = 0.25
"""Single-response rows rounded to one decimal can sum to 99.9 or 100.1."""


def rows_of(store: Store, table_id: str) -> list[SurveyRow]:
    return store.list(SurveyRow, order_by="position", table_id=table_id)


@dataclass(frozen=True)
class Finding:
    """One number that does not match: where, and the message (in both languages)."""

    table: SurveyTable
    row: SurveyRow | None
    key: str
    params: dict[str, object]

    def message(self, lang: Lang = "ko") -> str:
        from separ.i18n import text

        return f"{self.table.code}: " + text(self.key, lang, **self.params)


def check(table: SurveyTable, rows: list[SurveyRow]) -> list[Finding]:
    """Flag percentages that are not count ÷ respondents, columns that do not add up to
    their printed total, and single-response groups that do not sum to 100."""
    found: list[Finding] = []
    body = [r for r in rows if not r.total]
    base = table.respondents
    if base and table.kind in (SurveyKind.multi, SurveyKind.ranked, SurveyKind.single):
        for r in body:
            if r.count is None or r.percent is None:
                continue
            if table.kind == SurveyKind.ranked and r.rank != 1:
                continue
            expected = 100 * r.count / base
            if abs(expected - r.percent) > PERCENT_TOLERANCE:
                found.append(
                    Finding(
                        table,
                        r,
                        "survey_percent_mismatch",
                        {
                            "option": r.option,
                            "count": r.count,
                            "base": base,
                            "expected": f"{expected:.1f}",
                            "printed": f"{r.percent:g}",
                        },
                    )
                )
    for r in rows:
        if not r.total or r.count is None:
            continue
        summed = sum(b.count or 0 for b in body if b.group == r.group and b.rank == r.rank)
        if summed != r.count:
            column = f"{r.rank}순위" if r.rank else (r.group or r.option)
            found.append(
                Finding(
                    table,
                    r,
                    "survey_total_mismatch",
                    {"column": column, "summed": summed, "printed": r.count},
                )
            )
    if table.kind == SurveyKind.single:
        groups: dict[str | None, list[float]] = defaultdict(list)
        for r in rows:
            if r.percent is not None:
                groups[r.group].append(r.percent)
        for group, values in groups.items():
            summed_pct = sum(values)
            if abs(summed_pct - 100) > SUM_TOLERANCE:
                params: dict[str, object] = {
                    "group": group or table.title,
                    "summed": f"{summed_pct:.1f}",
                }
                found.append(Finding(table, None, "survey_sum_not_100", params))
    return found


def check_all(store: Store) -> list[Finding]:
    found: list[Finding] = []
    for table in store.list(SurveyTable):
        found.extend(check(table, rows_of(store, table.id)))
    return found


def summaries(store: Store, lang: Lang = "ko") -> dict[str, pd.DataFrame]:
    """Every survey table's summary, keyed by "code title" (the report's captions)."""
    return {
        f"{t.code} {t.title}": summary(t, rows_of(store, t.id), lang)
        for t in store.list(SurveyTable)
    }


def summary(table: SurveyTable, rows: list[SurveyRow], lang: Lang = "ko") -> pd.DataFrame:
    """The table as a report shows it, with what separ recomputed beside the printed numbers.

    - single / mean: row groups × options (percent or mean);
    - multi: option, count, printed %, count ÷ respondents, and a flag;
    - ranked: option, 1st/2nd/3rd counts, printed 1st-choice %, a weighted score (3-2-1).
    """
    import pandas as pd

    body = [r for r in rows if not r.total]
    flagged = {f.row.id for f in check(table, rows) if f.row is not None}
    t = _words(lang)
    if table.kind in (SurveyKind.single, SurveyKind.mean):
        value = "percent" if table.kind == SurveyKind.single else "mean"
        options = list(dict.fromkeys(r.option for r in rows))
        groups = list(dict.fromkeys(r.group or table.title for r in rows))
        grid = pd.DataFrame(index=pd.Index(groups, name=t["group"]), columns=options, dtype=float)
        for r in rows:
            grid.loc[r.group or table.title, r.option] = getattr(r, value)
        return grid
    if table.kind == SurveyKind.multi:
        data = []
        for r in body:
            computed = (
                round(100 * r.count / table.respondents, 1)
                if r.count is not None and table.respondents
                else None
            )
            data.append([r.option, r.count, r.percent, computed, r.id in flagged])
        df = pd.DataFrame(
            data, columns=[t["option"], t["count"], t["percent"], t["computed"], t["flag"]]
        )
        return df.sort_values(t["percent"], ascending=False, kind="stable").reset_index(drop=True)
    ranks: dict[str, dict[int, int]] = defaultdict(dict)
    first_pct: dict[str, float | None] = {}
    for r in body:
        if r.rank is not None and r.count is not None:
            ranks[r.option][r.rank] = r.count
        if r.rank == 1:
            first_pct[r.option] = r.percent
    data = []
    for option, counts in ranks.items():
        score = sum((4 - k) * n for k, n in counts.items() if k <= 3)
        data.append(
            [
                option,
                counts.get(1, 0),
                first_pct.get(option),
                counts.get(2, 0),
                counts.get(3, 0),
                score,
            ]
        )
    df = pd.DataFrame(
        data, columns=[t["option"], t["r1"], t["percent"], t["r2"], t["r3"], t["score"]]
    )
    return df.sort_values(t["score"], ascending=False, kind="stable").reset_index(drop=True)


def _words(lang: Lang) -> dict[str, str]:
    return {
        "ko": {
            "group": "구분",
            "option": "항목",
            "count": "사례수",
            "percent": "비율(%)",
            "computed": "재계산(%)",
            "flag": "불일치",
            "r1": "1순위",
            "r2": "2순위",
            "r3": "3순위",
            "score": "가중점수(3-2-1)",
        },
        "en": {
            "group": "group",
            "option": "option",
            "count": "count",
            "percent": "percent",
            "computed": "recomputed (%)",
            "flag": "mismatch",
            "r1": "1st",
            "r2": "2nd",
            "r3": "3rd",
            "score": "weighted score (3-2-1)",
        },
    }[lang]
