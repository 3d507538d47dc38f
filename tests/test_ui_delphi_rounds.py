"""The Delphi round comparison on the follow-up page, on the hand-computed panel of
tests/test_delphi_compare.py: everyone, then each group, ▼ where the mean fell."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest

from separ import delphi as dp
from separ.actors import Actor
from separ.model import Workshop
from separ.store import Store
from separ.ui.delphi_rounds import DelphiRoundsView
from separ.workspace import import_file
from tests.conftest import SAMPLES
from tests.test_delphi_compare import TEXT, _sheet

FAC = Actor.facilitator_actor()
HEAD = [
    "문항",
    "n",
    "1차 평균",
    "2차 평균",
    "변화",
    "1차 중앙값",
    "2차 중앙값",
    "1차 IQR",
    "2차 IQR",
    "1차 CV",
    "2차 CV",
    "수렴",
    "판정",
]


@pytest.fixture(autouse=True)
def quiet_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    import separ.ui.base as base

    monkeypatch.setattr(base, "FOLLOW_SECONDS", 3600.0)
    monkeypatch.setattr(base, "_hubs", {})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "ws", create=True) as opened:
        opened.add(Workshop(title="델파이", region="서울시"))
        dp.import_responses(opened, FAC, "지표 델파이", _sheet(tmp_path / "a.csv"))
        yield opened


def _cells(fragment: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", fragment)]


def _tables(view: DelphiRoundsView) -> dict[str, list[list[str]]]:
    """Caption → rows (the head first) of each table on the view."""
    found = {}
    for child in view.tables.children:
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", child.value)
        if caption:
            rows = re.findall(r"<tr>(.*?)</tr>", child.value)
            found[html.unescape(caption.group(1))] = [_cells(r) for r in rows]
    return found


def _lines(view: DelphiRoundsView) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c.value))
        for c in view.tables.children
        if "<caption" not in c.value
    ]


def test_rounds_one_and_two_per_group_by_hand(store: Store) -> None:
    view = DelphiRoundsView(store, FAC, "ko")
    assert (view.before.value, view.after.value) == (1, 2)
    assert view.before.options == (("1차", 1),) and view.after.options == (("2차", 2),)
    tables = _tables(view)
    assert list(tables) == ["전체", "집단: 서울시", "집단: 자치구"]
    everyone = tables["전체"]
    assert everyone[0] == HEAD  # the group column is the caption, not a column
    # I1: 5, 7, 6 → 6, 6, 6: mean 6 → 6, IQR 1 → 0, CV 1/6 → 0, all suitable, median 6 → keep
    assert everyone[1] == [
        "I1",
        "3→3",
        "6",
        "6",
        "0",
        "6",
        "6",
        "1",
        "0",
        "0.17",
        "0",
        "수렴",
        "유지",
    ]
    # I2: 4, 2, 6 → 3, 3, 3: mean 4 → 3 (▼1), CV 2/4 → 0; 1 of 3 suitable → drop
    assert everyone[2] == [
        "I2",
        "3→3",
        "4",
        "3",
        "▼1",
        "4",
        "3",
        "2",
        "0",
        "0.5",
        "0",
        "수렴",
        "제외",
    ]
    # 서울시 (박 alone): I2 6 → 3, ▼3; 자치구 (김, 이): I2 4, 2 → 3, 3, mean 3 → 3
    assert tables["집단: 서울시"][2][:5] == ["I2", "1→1", "6", "3", "▼3"]
    assert tables["집단: 자치구"][2][:5] == ["I2", "2→2", "3", "3", "0"]
    # 자치구 I1: 5, 7 → sample SD √2, CV √2/6 = 0.2357 → "0.24"
    assert tables["집단: 자치구"][1][9] == "0.24"
    assert _lines(view)[:3] == [
        "▼ 평균이 내려간 문항 1개: I2",
        "▼ 평균이 내려간 문항 1개: I2",
        "평균이 내려간 문항이 없습니다.",
    ]
    assert _lines(view)[3] == f"문항: I1 {TEXT['I1']} · I2 {TEXT['I2']}"
    assert "적합 응답 비율 70% 이상, 중요도 중앙값 5 이상이면 유지" in view.note.value


def test_a_third_round_arrives_and_the_facilitator_picks_it(store: Store, tmp_path: Path) -> None:
    view = DelphiRoundsView(store, FAC, "en")
    third = tmp_path / "r3.csv"
    # I1 spreads again (6, 6, 6 → 5, 7, 6); I2 moves to 2, 3, 4, all judged suitable
    third.write_text(
        "라운드,패널,구분,문항 번호,문항,적합,중요도\n"
        "3,김,자치구,I1,,예,5\n3,이,자치구,I1,,예,7\n3,박,서울시,I1,,예,6\n"
        "3,김,자치구,I2,,예,2\n3,이,자치구,I2,,예,3\n3,박,서울시,I2,,예,4\n",
        encoding="utf-8",
    )
    dp.import_responses(store, FAC, "지표 델파이", third)
    view.refresh()  # what following the store does when the answers land
    assert (view.before.value, view.after.value) == (1, 2)  # the choice is kept
    assert view.after.options == (("round 2", 2), ("round 3", 3))
    view.after.value = 3
    assert (view.before.value, view.after.value) == (1, 3)
    view.before.value = 2
    everyone = _tables(view)["Everyone"]
    assert everyone[0][:5] == ["item", "n", "mean 2", "mean 3", "change"]
    # I1 2 → 3: mean 6 → 6, IQR 0 → 1 (not converged), median 6, 3/3 suitable → keep
    assert everyone[1] == [
        "I1",
        "3→3",
        "6",
        "6",
        "0",
        "6",
        "6",
        "0",
        "1",
        "0",
        "0.17",
        "no",
        "keep",
    ]
    # I2 2 → 3: mean 3 → 3, median 3 < 5 → drop although all judged it suitable
    assert everyone[2][4] == "0" and everyone[2][-1] == "drop"
    assert _lines(view)[0] == "No item's mean fell."


def test_one_round_only_is_explained(store: Store, tmp_path: Path) -> None:
    single = tmp_path / "one.csv"
    single.write_text(
        "라운드,패널,구분,문항 번호,문항,적합,중요도\n1,최,구,A1,문항 하나,예,5\n", encoding="utf-8"
    )
    dp.import_responses(store, FAC, "가 조사", single)
    view = DelphiRoundsView(store, FAC, "ko")
    assert [t for t, _ in view.study.options] == ["가 조사", "지표 델파이"]
    assert "비교하려면 라운드가 두 개 이상 있어야 합니다" in view.status.value
    assert view.tables.children == ()
    view.study.value = view.study.options[1][1]
    assert view.status.value == "" and "전체" in _tables(view)


def test_no_study_and_no_facilitator(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty", create=True) as empty:
        empty.add(Workshop(title="빈", region="서울시"))
        view = DelphiRoundsView(empty, FAC, "ko")
        assert "델파이 조사가 아직 없습니다." in view.tables.children[0].value
        stranger = DelphiRoundsView(empty, Actor(participant_id=None, display_name="참여자"), "ko")
        assert "진행자" in stranger.children[0].value


def test_the_follow_up_page_has_the_tab(tmp_path: Path) -> None:
    from separ.ui.followup import followup_page

    # a workshop with a plan: the page's progress panel needs one (see the report)
    with import_file(tmp_path / "ws", SAMPLES["nonsan"]) as store:
        dp.import_responses(store, FAC, "지표 델파이", _sheet(tmp_path / "a.csv"))
        page = followup_page(store, FAC, "ko")
        tab = next(c for c in page.children if isinstance(c, widgets.Tab))
        index = list(tab.titles).index("델파이 라운드 비교")
        tab.selected_index = index
        (view,) = tab.children[index].children
        assert isinstance(view, DelphiRoundsView)
        view.study.value = dict(view.study.options)["지표 델파이"]
        assert "▼1" in _tables(view)["전체"][2]
