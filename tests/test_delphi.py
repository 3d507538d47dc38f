"""Delphi rounds: statistics against a hand-computed panel, live answers, rights, imports, UI.

The panel: five panellists, A B C in group 자치구 and D E in group 서울시; items I1 and I2
in round 1, I3 added in round 2. Importance answers (7-point scale):

    round 1  I1: A5 B6 C7 D4 E6   I2: A3 B4 C2 D6 E5
    round 2  I1: A6 B6 C6 D5 E6   I2: A4 B4 C3 D5 E5   I3: A7 B6 C6 D7 E5

Quartiles interpolate between order statistics (position (n - 1)p, numpy's default);
sd is the sample standard deviation.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from separ import delphi as dp
from separ.actors import Actor
from separ.errors import SeparError
from separ.model import Participant, Workshop
from separ.store import Store

FAC = Actor.facilitator_actor()
GROUP = {"A": "자치구", "B": "자치구", "C": "자치구", "D": "서울시", "E": "서울시"}
R1 = {
    "I1": dict(A=(5, 1), B=(6, 1), C=(7, 1), D=(4, 0), E=(6, 1)),
    "I2": dict(A=(3, 0), B=(4, 1), C=(2, 0), D=(6, 1), E=(5, 1)),
}
R2 = {
    "I1": dict(A=(6, 1), B=(6, 1), C=(6, 1), D=(5, 1), E=(6, 1)),
    "I2": dict(A=(4, 0), B=(4, 1), C=(3, 1), D=(5, 1), E=(5, 1)),
    "I3": dict(A=(7, 1), B=(6, 1), C=(6, 1), D=(7, 1), E=(5, 1)),
}


def _store() -> Store:
    store = Store.memory()
    store.add(Workshop(title="t", region="r"))
    return store


def run_panel() -> tuple[Store, str, dict[str, Actor]]:
    """The panel above, answered live through :func:`delphi.respond`."""
    store = _store()
    study = dp.create_study(store, FAC, "지표 델파이")
    actors = {}
    for name, group in GROUP.items():
        person = store.add(Participant(name=name))
        dp.add_panellist(store, FAC, study.id, name, group, person.id)
        actors[name] = Actor(person.id, name)
    items = {code: dp.add_item(store, FAC, study.id, code, f"지표 {code}") for code in R1}
    dp.set_round(store, FAC, study.id, 1, True)
    for code, answers in R1.items():
        for who, (score, ok) in answers.items():
            dp.respond(store, actors[who], study.id, items[code].id, bool(ok), score)
    dp.set_round(store, FAC, study.id, 2, False)
    items["I3"] = dp.add_item(store, FAC, study.id, "I3", "지표 I3 (신규)")
    dp.set_round(store, FAC, study.id, 2, True)
    for code, answers in R2.items():
        for who, (score, ok) in answers.items():
            dp.respond(store, actors[who], study.id, items[code].id, bool(ok), score)
    return store, study.id, actors


@pytest.fixture(scope="module")
def panel() -> dp.Panel:
    store, study_id, _ = run_panel()
    return dp.load_panel(store, study_id)


def _item(panel: dp.Panel, code: str) -> str:
    return next(i.id for i in panel.items if i.code == code)


def test_round_one_overall(panel: dp.Panel) -> None:
    s = panel.stats(_item(panel, "I1"), 1)
    assert (s.n, s.suitable_share, s.median, s.q1, s.q3, s.iqr) == (5, 0.8, 6, 5, 6, 1)
    assert s.mean == pytest.approx(5.6)
    assert s.sd == pytest.approx(math.sqrt(1.3))
    assert s.cv == pytest.approx(math.sqrt(1.3) / 5.6)
    assert s.counts == {4: 1, 5: 1, 6: 2, 7: 1}
    s2 = panel.stats(_item(panel, "I2"), 1)
    assert (s2.suitable_share, s2.median, s2.q1, s2.q3, s2.mean) == (0.6, 4, 3, 5, 4)
    assert s2.sd == pytest.approx(math.sqrt(2.5))


def test_group_breakdown(panel: dp.Panel) -> None:
    district = panel.stats(_item(panel, "I1"), 1, "자치구")  # 5, 6, 7
    assert (district.n, district.suitable_share, district.median) == (3, 1.0, 6)
    assert (district.q1, district.q3) == (5.5, 6.5)
    city = panel.stats(_item(panel, "I1"), 1, "서울시")  # 4, 6
    assert (city.n, city.suitable_share, city.median, city.q1, city.q3) == (2, 0.5, 5, 4.5, 5.5)
    assert panel.groups() == ["서울시", "자치구"]


def test_new_item_in_round_two(panel: dp.Panel) -> None:
    i3 = next(i for i in panel.items if i.code == "I3")
    assert i3.added_round == 2
    assert [i.code for i in panel.items_in(1)] == ["I1", "I2"]
    assert panel.stats(i3.id, 1).n == 0
    s = panel.stats(i3.id, 2)  # 5, 6, 6, 7, 7
    assert (s.suitable_share, s.median, s.q1, s.q3, s.mean) == (1.0, 6, 6, 7, 6.2)
    df = dp.results_frame(panel)
    rows = df[(df.code == "I3")]
    assert list(rows["round"].unique()) == [2] and rows["new"].all()
    assert len(df) == (2 + 3) * 3  # items x (all + 2 groups)


def test_convergence(panel: dp.Panel) -> None:
    rows = {c.item_id: c for c in dp.convergence(panel, 1, 2)}
    assert _item(panel, "I3") not in rows  # nothing to converge from
    i1 = rows[_item(panel, "I1")]
    assert (i1.iqr_before, i1.iqr_after, i1.iqr_change, i1.converged) == (1, 0, -1, True)
    cv1, cv2 = math.sqrt(1.3) / 5.6, math.sqrt(0.2) / 5.8  # round 2: 5, 6, 6, 6, 6
    assert (i1.cv_before, i1.cv_after) == (pytest.approx(cv1), pytest.approx(cv2))
    assert i1.stable is False  # CV moved by 62 %
    i2 = rows[_item(panel, "I2")]  # 3 4 4 5 5: IQR 1
    assert (i2.iqr_before, i2.iqr_after, i2.converged) == (2, 1, True)
    assert i2.cv_after == pytest.approx(math.sqrt(0.7) / 4.2)
    loose = {c.item_id: c.stable for c in dp.convergence(panel, 1, 2, tolerance=0.65)}
    assert loose[_item(panel, "I1")] and loose[_item(panel, "I2")]


def test_keep_drop_threshold(panel: dp.Panel) -> None:
    decisions = {d.item_id: d for d in dp.decide(panel)}
    assert decisions[_item(panel, "I1")].keep  # 1.0, median 6
    assert not decisions[_item(panel, "I2")].keep  # 0.8, median 4 < 5
    assert decisions[_item(panel, "I3")].keep
    looser = {d.item_id: d.keep for d in dp.decide(panel, min_median=4)}
    assert looser[_item(panel, "I2")]
    first = {d.item_id: d.keep for d in dp.decide(panel, 1)}  # I1 round 1: 0.8, 6
    assert first == {_item(panel, "I1"): True, _item(panel, "I2"): False}


def test_round_two_feedback_shows_round_one(panel: dp.Panel) -> None:
    a = next(p for p in panel.panellists if p.name == "A")
    feed = {f.item.code: f for f in dp.feedback(panel, a.id, 2)}
    assert feed["I1"].previous is not None and feed["I1"].previous.median == 6
    assert feed["I1"].own_previous is not None and feed["I1"].own_previous.importance == 5
    assert feed["I1"].current is not None and feed["I1"].current.importance == 6
    assert feed["I3"].previous is None and feed["I3"].own_previous is None


def test_one_answer_per_round_and_rights() -> None:
    store, study_id, actors = run_panel()
    panel = dp.load_panel(store, study_id)
    i1 = _item(panel, "I1")
    before = len(panel.responses)
    dp.respond(store, actors["A"], study_id, i1, False, 2)  # replaces A's round-2 answer
    after = dp.load_panel(store, study_id)
    assert len(after.responses) == before
    mine = [
        r
        for r in after.responses
        if r.item_id == i1
        and r.round == 2
        and r.panellist_id == next(p.id for p in after.panellists if p.name == "A")
    ]
    assert [(r.suitable, r.importance) for r in mine] == [(False, 2)]
    with pytest.raises(SeparError) as err:
        dp.create_study(store, actors["A"], "몰래")
    assert err.value.key == "facilitator_only"
    outsider = Actor(store.add(Participant(name="Z")).id, "Z")
    with pytest.raises(SeparError) as err:
        dp.respond(store, outsider, study_id, i1, True, 5)
    assert err.value.key == "delphi_not_panellist"
    assert "패널" in err.value.message("ko") and "panel" in err.value.message("en")
    with pytest.raises(SeparError) as err:
        dp.respond(store, Actor(None, "익명"), study_id, i1, True, 5)
    assert err.value.key == "delphi_not_panellist"
    for bad in (0, 8, 2.5, "x", True):
        with pytest.raises(SeparError) as err:
            dp.respond(store, actors["A"], study_id, i1, True, bad)  # type: ignore[arg-type]
        assert err.value.key == "delphi_bad_importance"
    with pytest.raises(SeparError) as err:
        dp.respond(store, actors["A"], study_id, i1, None, None)
    assert err.value.key == "delphi_no_answer"
    dp.set_round(store, FAC, study_id, 2, False)
    with pytest.raises(SeparError) as err:
        dp.respond(store, actors["A"], study_id, i1, True, 5)
    assert err.value.key == "delphi_closed"


def test_item_added_later_cannot_be_answered_earlier() -> None:
    store = _store()
    study = dp.create_study(store, FAC, "s")
    person = store.add(Participant(name="A"))
    dp.add_panellist(store, FAC, study.id, "A", None, person.id)
    dp.set_round(store, FAC, study.id, 2, False)
    late = dp.add_item(store, FAC, study.id, "L", "late")
    dp.set_round(store, FAC, study.id, 1, True)
    with pytest.raises(SeparError) as err:
        dp.respond(store, Actor(person.id, "A"), study.id, late.id, True, 5)
    assert err.value.key == "delphi_item_later"


# --------------------------------------------------------------------------- import

HEADER = "라운드,패널,그룹,문항 번호,문항,적합,중요도\n"


def _sheet(tmp_path: Path, body: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8-sig")
    return path


def _panel_csv() -> str:
    lines = []
    for round_, table in ((1, R1), (2, R2)):
        for code, answers in table.items():
            for who, (score, ok) in answers.items():
                text = f"지표 {code}" if who == "A" else ""
                lines.append(
                    f"{round_},{who},{GROUP[who]},{code},{text},{'예' if ok else '아니오'},{score}"
                )
    return "\n".join(lines) + "\n"


def test_import_gives_the_same_statistics(tmp_path: Path, panel: dp.Panel) -> None:
    store = _store()
    n = dp.import_responses(store, FAC, "지표 델파이", _sheet(tmp_path, _panel_csv()))
    assert n == 25
    study = dp.studies(store)[0]
    imported = dp.load_panel(store, study.id)
    assert study.current_round == 2
    assert {i.code: i.added_round for i in imported.items} == {"I1": 1, "I2": 1, "I3": 2}
    for code in ("I1", "I2", "I3"):
        for round_ in (1, 2):
            for group in (None, "자치구", "서울시"):
                a = imported.stats(_item(imported, code), round_, group)
                b = panel.stats(_item(panel, code), round_, group)
                assert (a.n, a.suitable_share, a.median, a.iqr, a.mean) == (
                    b.n,
                    b.suitable_share,
                    b.median,
                    b.iqr,
                    b.mean,
                )
    again = dp.import_responses(store, FAC, "지표 델파이", _sheet(tmp_path, _panel_csv()))
    assert again == 25 and len(dp.load_panel(store, study.id).responses) == 25


def test_import_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["round", "panellist", "group", "item", "text", "suitable", "importance"])
    sheet.append([1, "A", "city", "X1", "an item", "yes", 6])
    sheet.append([1, "B", "city", "X1", None, "no", 3])
    book.save(tmp_path / "a.xlsx")
    store = _store()
    assert dp.import_responses(store, FAC, "s", tmp_path / "a.xlsx") == 2
    p = dp.load_panel(store, dp.studies(store)[0].id)
    s = p.stats(p.items[0].id, 1)
    assert (s.suitable_share, s.median) == (0.5, 4.5)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("1,A,g,I1,t,예,8\n", "delphi_bad_importance"),
        ("1,A,g,I1,t,maybe,5\n", "delphi_bad_yes_no"),
        ("0,A,g,I1,t,예,5\n", "delphi_bad_round"),
        ("1,A,g,I1,t,예,5\n1,A,g,I1,,예,6\n", "delphi_duplicate_answer"),
        ("1,A,g,I1,,예,5\n", "delphi_new_item_text"),
        ("1,A,g,I1,t,예,5\n1,A,h,I2,u,예,5\n", "delphi_group_conflict"),
        ("1,A,g,I1,t,,\n", "delphi_no_answer"),
    ],
)
def test_bad_rows_write_nothing(tmp_path: Path, body: str, key: str) -> None:
    store = _store()
    good = "1,B,g,I9,ok,예,5\n"
    with pytest.raises(SeparError) as err:
        dp.import_responses(store, FAC, "s", _sheet(tmp_path, good + body))
    assert err.value.key == key
    assert dp.studies(store) == [] and store.list(dp.DelphiResponse) == []


def test_cli_import(tmp_path: Path) -> None:
    from separ.cli import _load_commands, app, main
    from separ.workspace import create_workshop

    _load_commands()
    folder = tmp_path / "ws"
    create_workshop(folder, Workshop(title="t", region="r")).close()
    runner = CliRunner()
    ok = runner.invoke(
        app,
        ["delphi", "import", str(folder), str(_sheet(tmp_path, _panel_csv())), "--study", "지표"],
    )
    assert ok.exit_code == 0, ok.output
    assert "25" in ok.output
    bad = _sheet(tmp_path, "1,A,g,I1,t,예,9\n", "bad.csv")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            sys, "argv", ["separ", "delphi", "import", str(folder), str(bad), "--study", "다른"]
        )
        with pytest.raises(SystemExit) as exit_:
            main()
    assert exit_.value.code == 2
    with Store.open(folder) as store:
        assert [s.title for s in dp.studies(store)] == ["지표"]
        assert len(store.list(dp.DelphiResponse)) == 25


# --------------------------------------------------------------------------- phone page


def test_phone_page_answers_and_shows_last_round() -> None:
    from separ.ui.delphi import participant_view

    store, study_id, actors = run_panel()
    dp.set_round(store, FAC, study_id, 3, True)
    page = participant_view(store, actors["B"])
    assert "I1" in page.item.value
    assert "중앙값 6" in page.previous.value  # round 2 of I1: 5,6,6,6,6
    assert "내 지난 답" in page.previous.value
    assert all(
        b.layout.min_height == "48px" and b.layout.min_width == "44px" for b in page.score_buttons
    )
    page.yes.click()
    page.score_buttons[6].click()
    page.send_button.click()
    assert "I1에 답했습니다: 적합, 중요도 7" in page.result.value
    assert "I2" in page.item.value  # moved on to the next item
    panel = dp.load_panel(store, study_id)
    b = next(p.id for p in panel.panellists if p.name == "B")
    mine = [r for r in panel.responses if r.round == 3 and r.panellist_id == b]
    assert [(r.suitable, r.importance) for r in mine] == [(True, 7)]
    page.send_button.click()  # nothing chosen for I2
    assert "골라 주세요" in page.result.value
    stranger = participant_view(store, Actor(None, "익명"))
    assert "패널로 등록된 분만" in stranger.instruction.value  # a study runs: not for them


def test_facilitator_control_clicks() -> None:
    from separ.ui.followup import DelphiControl

    store = _store()
    control = DelphiControl(store, FAC)
    control.new_title.value = "지표 선정"
    control.create.click()
    assert control.study.options[0][0] == "지표 선정"
    control.item_code.value, control.item_text.value = "1-1-1", "진단 만족도"
    control.add_item.click()
    control.name.value, control.group.value = "김", "자치구"
    control.add_person.click()
    from separ.model import Participant

    listed = store.add(Participant(name="이원돈"))
    control.refresh()
    control.name.value, control.person.value = "", listed.id  # picked from the roster
    control.add_person.click()
    linked = [
        p
        for p in dp.load_panel(store, dp.studies(store)[0].id).panellists
        if p.participant_id == listed.id
    ]
    assert [p.name for p in linked] == ["이원돈"]  # can now answer on a phone
    control.round.value = 1
    control.open_round.click()
    study = dp.studies(store)[0]
    assert study.open and study.current_round == 1
    assert "패널 2명" in control.table.value and "문항 1개" in control.table.value
    control.min_share.value, control.min_median.value = 0.8, 6
    control.thresholds.click()
    assert (dp.studies(store)[0].min_share, dp.studies(store)[0].min_median) == (0.8, 6)
    control.item_code.value = "1-1-1"
    control.add_item.click()  # same code twice
    assert "b00020" in control.status.value
    refused = DelphiControl(store, Actor(None, "p"))
    assert "진행자 권한" in refused.children[0].value


def test_projector_figures() -> None:
    from separ.ui.followup import delphi_figures

    store, _, _ = run_panel()
    shown = delphi_figures(store)
    assert [type(c).__name__ for c in shown.children] == ["Image", "Image"]
    assert "없습니다" in delphi_figures(_store()).children[0].value


def test_a_phone_off_the_panel_is_told_a_study_is_running() -> None:
    from separ.ui.delphi import participant_view

    store = Store.memory()
    store.add(Workshop(title="T", region="서산시"))
    store.add(Participant(id="p1", name="패널"))
    store.add(Participant(id="p2", name="구경"))
    outsider = Actor(participant_id="p2", display_name="구경")
    assert (
        "지금 응답할 델파이 조사가 없습니다" in participant_view(store, outsider).instruction.value
    )
    study = dp.create_study(store, FAC, "성과지표 델파이")
    dp.add_item(store, FAC, study.id, "SV1", "사회적경제 기업 수")
    dp.add_panellist(store, FAC, study.id, "패널", participant_id="p1")
    dp.set_round(store, FAC, study.id, 1, True)
    said = participant_view(store, outsider).instruction.value
    assert "성과지표 델파이" in said and "패널로 등록된 분만" in said
