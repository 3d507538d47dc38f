"""Survey summaries of the seed's tables, and the check that catches their slips."""

from __future__ import annotations

import pytest

from separ.surveys import SurveyKind, SurveyRow, SurveyTable, check, check_all, rows_of, summary
from separ.workspace import open_workshop
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def nonsan() -> dict[str, tuple[SurveyTable, list[SurveyRow]]]:
    with open_workshop(SAMPLES["nonsan"]) as store:
        return {t.code: (t, rows_of(store, t.id)) for t in store.list(SurveyTable)}


def test_table_3_17_flags_exactly_the_two_wrong_rows(nonsan: dict) -> None:  # type: ignore[type-arg]
    table, rows = nonsan["〈표 3-17〉"]
    found = check(table, rows)
    assert [(f.row.count, f.row.percent) for f in found if f.row] == [(18, 40.4), (12, 16.7)]
    assert found[0].message("en") == (
        "〈표 3-17〉: 사회적경제 네트워크에 대한 직접적인 지방정부의 "
        "지원: 18/45 = 40.0% but the table prints 40.4%"
    )
    assert "12/45 = 26.7%" in found[1].message("ko")
    df = summary(table, rows, "en")
    assert list(df["mismatch"]) == [False, True, False, False, False, True, False]
    assert df["option"][0].startswith("네트워크 성과를")  # 42.2% first
    assert df["percent"].sum() == pytest.approx(206.0)  # multi-response: over 100
    assert df["recomputed (%)"].tolist()[1] == 40.0


def test_table_3_14_ranked_summary_and_its_third_choice_total(nonsan: dict) -> None:  # type: ignore[type-arg]
    table, rows = nonsan["〈표 3-14〉"]
    assert table.kind == SurveyKind.ranked
    found = check(table, rows)
    assert [f.message("en") for f in found] == [
        "〈표 3-14〉: 3순위: the rows add up to 41 but the table's total is 44"
    ]
    df = summary(table, rows, "ko")
    top = df.iloc[0]
    # 운영경비의 지원: 17 x 3 + 12 x 2 + 4 = 79
    assert (top["항목"], top["1순위"], top["2순위"], top["3순위"], top["가중점수(3-2-1)"]) == (
        "운영경비의 지원",
        17,
        12,
        4,
        79,
    )
    assert top["비율(%)"] == 37.8
    assert df.iloc[1]["항목"] == "마케팅 및 경영컨설팅 지원"  # 21 + 20 + 15 = 56


def test_single_and_mean_tables_pivot_by_group(nonsan: dict) -> None:  # type: ignore[type-arg]
    table, rows = nonsan["〈표 3-16〉"]
    grid = summary(table, rows)
    assert grid.loc["협동조합", "매우 적극적 추진"] == 3.7
    assert grid.shape == (5, 4)
    assert check(table, rows) == []  # 99.9 and 100.1 are rounding, not slips
    with open_workshop(SAMPLES["seosan"]) as store:
        tables = {t.code: t for t in store.list(SurveyTable)}
        means = summary(tables["〈표 4-18〉"], rows_of(store, tables["〈표 4-18〉"].id), "en")
        single = summary(tables["〈표 4-17〉"], rows_of(store, tables["〈표 4-17〉"].id))
        assert check_all(store) == []
    assert means.loc["사회적기업", "사회적경제 관련부서(도시군)"] == 4.2
    assert single.loc["서산시", "1회"] == 53.6
    assert single.isna().loc["서산시", "참여하지 않음"]  # blank in the source stays blank


def test_single_response_not_summing_to_100_is_flagged() -> None:
    table = SurveyTable(code="x", title="x", kind=SurveyKind.single)
    rows = [
        SurveyRow(table_id=table.id, option="a", percent=60.0),
        SurveyRow(table_id=table.id, option="b", percent=30.0),
    ]
    assert [f.key for f in check(table, rows)] == ["survey_sum_not_100"]


def test_all_nonsan_findings(nonsan: dict) -> None:  # type: ignore[type-arg]
    with open_workshop(SAMPLES["nonsan"]) as store:
        found = check_all(store)
    assert sorted(f.table.code for f in found) == ["〈표 3-14〉", "〈표 3-17〉", "〈표 3-17〉"]
