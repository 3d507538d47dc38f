"""Under SEPAR_LANG=ko a refusal says where it is in Korean too: "b.csv, 4행, 값: …".

A message names the file, row, field and option of the mistake. The names are the user's
own (a file name, a sheet title, a voter, an option label) and stay as typed; the words
around them ("row", "column", "value", "option", "line" of a JSON file, a field's name)
are separ's, and a Korean facilitator reads them in Korean. Every case here runs the
``separ`` command as a user does and fails if an English location word, or any Latin
letter that is not the user's own, is left in the Korean line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from separ.actors import Actor
from separ.errors import OPTION, VALUE, SeparError, at, in_column, in_row, nth
from separ.polls import create_poll, open_poll
from separ.workspace import import_file
from tests.conftest import SAMPLES, xlsx_book
from tests.separ_cli import run as separ_run

ENGLISH_PLACE = re.compile(r"\b(rows?|columns?|values?|options?|lines?|version)\b", re.I)


def run(*args: str | Path, lang: str) -> str:
    """The one line ``separ`` prints when it refuses (exit 2, no traceback)."""
    out = separ_run(*args, lang=lang)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    return out.stderr.strip()


def korean_only(message: str, *own: str) -> None:
    """``message`` holds no English: once the user's ``own`` names (paths, file names,
    sheet titles, labels and values they typed) are taken out, no location word and no
    Latin letter is left."""
    rest = message.removeprefix("separ: ")
    for name in sorted(own, key=len, reverse=True):
        rest = rest.replace(name, "")
    rest = re.sub(r"[A-Z]{1,3}(?=열)", "", rest)  # a column is named by its letter, as Excel does
    assert not ENGLISH_PLACE.search(rest), message
    assert not re.search(r"[A-Za-z]", rest), (message, rest)


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The Nonsan sample with an open 1–5 score poll; every case below is refused, so
    nothing in it ever changes."""
    folder = tmp_path_factory.mktemp("places") / "ws"
    store = import_file(folder, SAMPLES["nonsan"])
    fac = Actor.facilitator_actor()
    poll = create_poll(
        store, fac, "점수", "score", options="센터 운영\n공공구매", score_min=1, score_max=5
    )
    open_poll(store, fac, poll.id)
    store.close()
    return folder, poll.id


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_ballot_sheet(workshop: tuple[Path, str], tmp_path: Path) -> None:
    ws, poll = workshop
    high = _write(
        tmp_path / "b.csv",
        "voter,option,value\na,센터 운영,5\na,공공구매,2\nb,센터 운영,9\nb,공공구매,4\n",
    )
    message = run("tally", ws, "--poll", poll, "--ballots", high, lang="ko")
    assert message == "separ: b.csv, 4행, 값 (b): 센터 운영의 점수 9은(는) 1~5 사이여야 합니다"
    korean_only(message, "b.csv", "(b)")
    english = run("tally", ws, "--poll", poll, "--ballots", high, lang="en")
    assert english.startswith("separ: b.csv, row 4, value (b): ")

    typo = _write(tmp_path / "t.csv", "voter,option,value\na,센터 운영,1\nb,공공구메,1\n")
    args = ("tally", "--ballots", typo, "--method", "approval", "--options", "센터 운영,공공구매")
    message = run(*args, lang="ko")
    assert message == "separ: t.csv, 3행, 선택지: 없는 선택지입니다: 공공구메 (공공구매?)"
    korean_only(message, "t.csv")
    assert run(*args, lang="en").startswith("separ: t.csv, row 3, option: unknown option")

    endless = _write(tmp_path / "s.csv", "voter,option,value\na,x,3\nb,x,Infinity\n")
    message = run("tally", "--ballots", endless, "--method", "score", lang="ko")
    assert message == "separ: s.csv, 3행, 값: 값이 유한한 숫자가 아닙니다: Infinity"
    korean_only(message, "s.csv", "Infinity")


@pytest.mark.parametrize(
    ("sheets", "place"),
    [
        (
            {"워크숍": [["제목", "지역", "날씨"], ["t", "r", "맑음"]]},
            "'워크숍' C열: 알 수 없는 열입니다: 날씨",
        ),
        ({"워크숍": [["제목", "지역"], ["t", None]]}, "'워크숍' 2행, 지역: 필수 항목이 없습니다"),
        (
            {"워크숍": [["제목", "지역"], ["t", "r"]], "조직": [["조직명"], ["가"], ["가"]]},
            "'조직' 3행: 중복된 조직입니다: 가",
        ),
        (
            {
                "워크숍": [["제목", "지역"], ["t", "r"]],
                "조직": [["조직명", "비고"], ["가", "나" * 4001]],
            },
            "'조직' 2행, 비고: 글자 수가 너무 많습니다 (4001자, 최대 4000자)",
        ),
    ],
)
def test_workshop_xlsx(
    workshop: tuple[Path, str], tmp_path: Path, sheets: dict[str, list[list[object]]], place: str
) -> None:
    bad = xlsx_book(tmp_path / "bad.xlsx", sheets)
    message = run("import", workshop[0], bad, lang="ko")
    assert message == f"separ: {bad}: {place}"
    korean_only(message, str(bad))


def _nonsan() -> dict[str, object]:
    doc: dict[str, object] = json.loads(SAMPLES["nonsan"].read_text(encoding="utf-8"))
    return doc


def test_workshop_json(workshop: tuple[Path, str], tmp_path: Path) -> None:
    broken = _write(tmp_path / "broken.json", '{"schema": "separ-workshop",\n "version": 1 x}')
    message = run("import", workshop[0], broken, lang="ko")
    assert message == (
        f"separ: {broken}, 2번째 줄 15번째 글자: JSON 형식이 잘못되었습니다 (','이(가) 빠졌습니다)"
    )
    korean_only(message, str(broken), "JSON")  # the format's name, as Korean writes it
    english = run("import", workshop[0], broken, lang="en")
    assert english == f"separ: {broken}, line 2, column 15: malformed JSON (a ',' is missing)"

    doc = _nonsan()
    people = doc["participants"]
    assert isinstance(people, list)
    people[1]["organisation_id"] = "nowhere"
    bad = _write(tmp_path / "bad.json", json.dumps(doc, ensure_ascii=False))
    message = run("import", workshop[0], bad, lang="ko")
    assert message == (
        f"separ: {bad}: 참여자 2번째 항목, 조직 ID: 조직을(를) 찾을 수 없습니다: nowhere"
    )
    korean_only(message, str(bad), "nowhere", "ID")
    english = run("import", workshop[0], bad, lang="en")
    assert english == (
        f"separ: {bad}: participants[1], organisation_id: no such organisation: nowhere"
    )

    doc = _nonsan() | {"version": "one"}
    bad = _write(tmp_path / "version.json", json.dumps(doc, ensure_ascii=False))
    message = run("import", workshop[0], bad, lang="ko")
    assert message == f"separ: {bad}: 버전: 값이 올바르지 않습니다: 'one'"
    korean_only(message, str(bad), "'one'")


def test_ties_csv(workshop: tuple[Path, str], tmp_path: Path) -> None:
    ties = _write(
        tmp_path / "ties.csv",
        "조직,상대 조직,관계 유형\n보성자원,이장님닷컴,거래\n이장님닷컴,보성자원,trade\n",
    )
    message = run("ties", "import", workshop[0], ties, lang="ko")
    # the earlier row is a parameter of the message, and in Korean as well
    assert message == "separ: ties.csv: 3행: 중복된 조직 간 관계입니다: ties.csv: 2행"
    korean_only(message, "ties.csv")
    unknown = _write(tmp_path / "u.csv", "조직,상대 조직,관계 유형\n보성자원,없는조직,거래\n")
    message = run("ties", "import", workshop[0], unknown, lang="ko")
    assert message == "separ: u.csv: 2행, 상대 조직 ID: 등록되지 않은 조직입니다: 없는조직"
    korean_only(message, "u.csv", "ID")


def test_delphi_csv(workshop: tuple[Path, str], tmp_path: Path) -> None:
    answers = _write(
        tmp_path / "d.csv",
        "라운드,패널,그룹,문항 번호,문항,적합,중요도\n1,A,g,I1,지표,예,5\n1,B,g,I1,,예,9\n",
    )
    message = run("delphi", "import", workshop[0], answers, "--study", "지표", lang="ko")
    assert message == "separ: d.csv, 3행: 중요도는 1에서 7 사이의 정수여야 합니다: 9"
    korean_only(message, "d.csv")


def test_paper_ballots(workshop: tuple[Path, str]) -> None:
    ws, poll = workshop
    typo = ("poll", "paper", ws, poll, "--ballot", "센터 운영=3, 공공구매=4")
    typo += ("--ballot", "센터 운영=3, 공공구메=4")
    message = run(*typo, lang="ko")
    assert message == "separ: 2번째 투표지: 없는 선택지입니다: 공공구메 (공공구매?)"
    korean_only(message)
    assert run(*typo, lang="en").startswith("separ: ballot #2: unknown option: 공공구메")
    high = ("poll", "paper", ws, poll, "--ballot", "센터 운영=9, 공공구매=4")
    message = run(*high, lang="ko")
    assert message == "separ: 1번째 투표지: 센터 운영의 점수 9은(는) 1~5 사이여야 합니다"
    korean_only(message)


def test_a_place_renders_in_the_message_language() -> None:
    place = at("b.csv", in_row(3), VALUE)
    err = SeparError("missing_field", where=place)
    assert err.message("ko") == "b.csv, 3행, 값: 필수 항목이 없습니다"
    assert str(err) == err.message("en") == "b.csv, row 3, value: required field is missing"
    assert err.where == "b.csv, row 3, value"  # the English place, as before
    # located() puts the file before the row; places nest with their own separators
    cell = at("'조직'", in_column("C"), sep=" ")
    moved = SeparError("unknown_column", where=cell, name="날씨").located("book.xlsx")
    assert moved.message("ko") == "book.xlsx: '조직' C열: 알 수 없는 열입니다: 날씨"
    assert moved.message("en") == "book.xlsx: '조직' column C: unknown column: 날씨"
    # a plain string still works, and a place may be a parameter too
    assert (
        SeparError("missing_field", where="--date").message("ko") == "--date: 필수 항목이 없습니다"
    )
    again = SeparError(
        "duplicate", where=at("t.csv", in_row(3)), what="row", value=at("t.csv", in_row(2))
    )
    assert again.message("ko") == "t.csv, 3행: 중복된 행입니다: t.csv, 2행"
    assert again.message("en") == "t.csv, row 3: duplicate row: t.csv, row 2"
    assert at("b.csv", in_row(4), OPTION).text("ko") == "b.csv, 4행, 선택지"
    assert nth("ballot", 2).text("en") == "ballot #2"
