"""Import checks everything a phone would be checked for, names file, row, field and option,
and writes nothing when one thing is wrong; export survives any text a participant typed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from separ.actors import Actor
from separ.document import to_document
from separ.errors import SeparError, at, in_row
from separ.excel import write_xlsx
from separ.model import Organisation, Participant, Session, Workshop
from separ.polls import (
    BallotMark,
    PollCriterion,
    PollOption,
    close_poll,
    create_poll,
    open_poll,
    submit_ballot,
)
from separ.store import Store
from separ.workspace import import_file, open_workshop
from tests.separ_cli import run


@pytest.fixture
def voted(tmp_path: Path) -> Path:
    """A workshop with a 1–5 score poll (two ballots) and a criteria poll (one ballot)."""
    fac = Actor.facilitator_actor()
    folder = tmp_path / "ws"
    with Store.open(folder, create=True) as store:
        store.add(Workshop(title="서산", region="서산시"))
        for i in range(2):
            store.add(Participant(id=f"p{i}", name=f"참여자{i}"))
        score = create_poll(
            store, fac, "점수 투표", "score", options="센터 운영\n공공구매", id="poll-score"
        )
        crit = create_poll(
            store,
            fac,
            "다기준",
            "criteria",
            options="센터 운영\n공공구매",
            criteria={"시급성": 2, "실현가능성": 1},
            id="poll-crit",
        )
        for poll in (score, crit):
            open_poll(store, fac, poll.id)
        s = {o.label: o.id for o in store.list(PollOption, poll_id=score.id)}
        c = {o.label: o.id for o in store.list(PollOption, poll_id=crit.id)}
        submit_ballot(store, Actor("p0", "x"), score.id, {s["센터 운영"]: 5, s["공공구매"]: 2})
        submit_ballot(store, Actor("p1", "x"), score.id, {s["센터 운영"]: 3, s["공공구매"]: 4})
        crits = {k.name: k.id for k in store.list(PollCriterion)}
        submit_ballot(
            store, Actor("p0", "x"), crit.id, [(c[o], 3, crits[k]) for o in c for k in crits]
        )
        for poll in (score, crit):
            close_poll(store, fac, poll.id)
    return folder


def _doc(folder: Path) -> dict[str, Any]:
    with open_workshop(folder) as store:
        return to_document(store)


def _mark(doc: dict[str, Any], poll: str, label: str) -> int:
    """Index in ballot_marks of the first mark on ``label`` in ``poll``."""
    option = next(
        o["id"] for o in doc["poll_options"] if o["poll_id"] == poll and o["label"] == label
    )
    return next(i for i, m in enumerate(doc["ballot_marks"]) if m["option_id"] == option)


def _refused(folder: Path, doc: dict[str, Any], tmp_path: Path, raw: str | None = None) -> str:
    """Import ``doc`` into ``folder``: it must fail (exit 2, one line) and change nothing."""
    before = _doc(folder)
    path = tmp_path / "bad.json"
    path.write_text(
        raw if raw is not None else json.dumps(doc, ensure_ascii=False), encoding="utf-8"
    )
    out = run("import", folder, path, lang="ko")
    assert out.returncode == 2, out.stdout
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert _doc(folder) == before
    return out.stderr.strip()


def test_score_out_of_range_names_file_row_field_and_option(voted: Path, tmp_path: Path) -> None:
    doc = _doc(voted)
    i = _mark(doc, "poll-score", "센터 운영")
    doc["ballot_marks"][i]["value"] = 9
    message = _refused(voted, doc, tmp_path)
    assert message == (
        f"separ: {tmp_path / 'bad.json'}: 투표 표시 {i + 1}번째 항목, 값 (점수 투표): "
        "센터 운영의 점수 9은(는) 1~5 사이여야 합니다"
    )


def test_criteria_ballot_with_a_mark_missing(voted: Path, tmp_path: Path) -> None:
    doc = _doc(voted)
    i = _mark(doc, "poll-crit", "공공구매")
    criterion = doc["ballot_marks"][i]["criterion_id"]
    name = next(c["name"] for c in doc["poll_criteria"] if c["id"] == criterion)
    ballot = doc["ballot_marks"][i]["ballot_id"]
    place = next(n for n, b in enumerate(doc["ballots"]) if b["id"] == ballot)
    del doc["ballot_marks"][i]
    message = _refused(voted, doc, tmp_path)
    assert message == (
        f"separ: {tmp_path / 'bad.json'}: 투표지 {place + 1}번째 항목 (다기준): 점수를 매기지 "
        f"않은 선택지가 있습니다: 공공구매 / {name}"
    )


@pytest.mark.parametrize("bad", ["Infinity", "-Infinity", "NaN"])
def test_non_finite_values(voted: Path, tmp_path: Path, bad: str) -> None:
    doc = _doc(voted)
    i = _mark(doc, "poll-score", "공공구매")
    doc["ballot_marks"][i]["value"] = 12345.5
    raw = json.dumps(doc, ensure_ascii=False).replace("12345.5", bad)
    message = _refused(voted, doc, tmp_path, raw)
    shown = {"Infinity": "inf", "-Infinity": "-inf", "NaN": "nan"}[bad]
    assert message == (
        f"separ: {tmp_path / 'bad.json'}: 투표 표시 {i + 1}번째 항목, 값: "
        f"유한한 숫자가 아닙니다: {shown}"
    )


def test_json_nested_100000_deep(voted: Path, tmp_path: Path) -> None:
    message = _refused(voted, {}, tmp_path, "[" * 100_000 + "]" * 100_000)
    assert message == f"separ: {tmp_path / 'bad.json'}: JSON이 너무 깊게 중첩되어 있습니다"
    doc = _doc(voted)
    deep: Any = 1
    for _ in range(50):
        deep = [deep]
    doc["organisations"] = [{"name": "보성자원", "type": "cooperative", "extra": deep}]
    out = run("import", voted, _write(tmp_path, doc))
    assert out.returncode == 2 and out.stderr.strip().endswith(
        "doc.json: organisations[0], extra: the value is nested too deeply (at most 20 levels)"
    )


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_nested_value_in_a_json_field(tmp_path: Path) -> None:
    from separ.validation import build

    deep: Any = 1
    for _ in range(30):
        deep = {"a": deep}
    with pytest.raises(SeparError) as err:
        build(
            Organisation,
            {"name": "보성자원", "type": "cooperative", "notes": deep},
            at("f", in_row(2)),
        )
    assert err.value.message("ko") == "f, 2행, 비고: 값이 너무 깊게 중첩되어 있습니다 (최대 20단계)"
    assert err.value.message("en") == (
        "f, row 2, notes: the value is nested too deeply (at most 20 levels)"
    )


def test_xlsx_ballot_out_of_range_names_sheet_row(voted: Path, tmp_path: Path) -> None:
    before = _doc(voted)
    with open_workshop(voted) as store:
        write_xlsx(store, tmp_path / "w.xlsx")
        option = next(
            o for o in store.list(PollOption, poll_id="poll-score") if o.label == "공공구매"
        )
        mark = next(m for m in store.list(BallotMark) if m.option_id == option.id)
    book = load_workbook(tmp_path / "w.xlsx")
    sheet = book["투표 표시"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == mark.id)
    row[3].value = 0
    book.save(tmp_path / "w.xlsx")
    out = run("import", voted, tmp_path / "w.xlsx", lang="ko")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        f"separ: {tmp_path / 'w.xlsx'}: '투표 표시' {row[0].row}행, "
        "값 (점수 투표): 공공구매의 점수 0은(는) 1~5 사이여야 합니다"
    )
    assert _doc(voted) == before


def test_xlsx_export_with_every_control_character(tmp_path: Path) -> None:
    text = "".join(f"{code:02x}:{chr(code)}" for code in range(32)) + "끝\x7f"
    with Store.open(tmp_path / "ws", create=True) as store:
        store.add(Workshop(title="제어 문자", region="서산시"))
        store.add(Organisation(id="o1", name="보성자원", type="cooperative", notes=text))
        store.add(Session(round=1, date=None, notes="줄\x0b바꿈"))
    out = run("export", tmp_path / "ws", "--format", "xlsx", "--out", tmp_path / "w.xlsx")
    assert out.returncode == 0, out.stderr
    book = load_workbook(tmp_path / "w.xlsx")
    notes = next(r for r in book["조직"].iter_rows(min_row=2, values_only=True) if r[0] == "o1")
    # tab (09) and line feed (0a) stay, a carriage return (0d) reads back as a line feed
    # (XML), \x0b and \x0c become a line break; every other control character is dropped
    expected = "".join(
        f"{code:02x}:" + ("\n" if code in (10, 11, 12, 13) else "\t" if code == 9 else "")
        for code in range(32)
    )
    assert expected + "끝\x7f" in notes  # one of the row's cells is exactly this
    sessions = list(book["회차"].iter_rows(min_row=2, values_only=True))
    assert "줄\n바꿈" in sessions[0]
    # and it imports back
    assert run("import", tmp_path / "again", tmp_path / "w.xlsx").returncode == 0


def test_excel_yes_no_words_and_uncomputed_formulas(tmp_path: Path) -> None:
    with Store.open(tmp_path / "ws", create=True) as store:
        store.add(Workshop(title="예/아니요", region="서산시"))
        store.add(Session(id="s1", round=1))
        store.add(Session(id="s2", round=2))
        write_xlsx(store, tmp_path / "w.xlsx")
    book = load_workbook(tmp_path / "w.xlsx")
    sheet = book["회차"]
    online = [c.value for c in sheet[1]].index("온라인")
    sheet.cell(row=2, column=online + 1, value="예")
    sheet.cell(row=3, column=online + 1, value="아니오")
    book.save(tmp_path / "w.xlsx")
    with import_file(tmp_path / "b", tmp_path / "w.xlsx") as store:
        assert {s.id: s.online for s in store.list(Session)} == {"s1": True, "s2": False}
    notes = [c.value for c in sheet[1]].index("비고")
    sheet.cell(row=3, column=notes + 1, value="=A2")
    book.save(tmp_path / "w.xlsx")
    out = run("import", tmp_path / "c", tmp_path / "w.xlsx")
    assert out.returncode == 2
    column = chr(ord("A") + notes)
    assert out.stderr.strip() == (
        f"separ: w.xlsx, '회차' {column}3: the formula =A2 has no "
        "saved value: open the file in Excel, save it and import "
        "it again"
    )


def test_stored_problems_name_the_record(voted: Path) -> None:
    from separ.ballots import stored_problems

    with open_workshop(voted) as store:
        assert stored_problems(store) == []
        option = next(
            o for o in store.list(PollOption, poll_id="poll-score") if o.label == "센터 운영"
        )
        mark = next(m for m in store.list(BallotMark) if m.option_id == option.id)
        mark.value = 9
        store.update(mark)  # as if written before import checked ballots
        problems = stored_problems(store)
    assert [p.message("ko") for p in problems] == [
        f"투표 표시 {mark.id}, 값 (점수 투표): 센터 운영의 점수 9은(는) 1~5 사이여야 합니다"
    ]


def test_tally_names_a_bad_stored_ballot_by_label(voted: Path) -> None:
    with open_workshop(voted) as store:
        option = next(
            o for o in store.list(PollOption, poll_id="poll-score") if o.label == "공공구매"
        )
        mark = next(m for m in store.list(BallotMark) if m.option_id == option.id)
        mark.value = 7
        store.update(mark)
    out = run("tally", voted, "--poll", "poll-score", lang="ko")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        f"separ: 투표 표시 {mark.id}, 값 (점수 투표): 공공구매의 점수 7은(는) 1~5 사이여야 합니다"
    )
