"""The separ command as a user runs it: exit codes, one-line messages, nothing half-written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from separ.document import to_document
from separ.workspace import open_workshop
from tests.conftest import SAMPLES, xlsx_book
from tests.separ_cli import run

SEPAR = [sys.executable, "-m", "separ.cli"]


def test_the_command_runs_as_its_own_process(tmp_path: Path) -> None:
    # the other tests run the command in-process (tests/separ_cli.py); this one is the real thing
    env = {**os.environ, "SEPAR_LANG": "en"}
    ok = subprocess.run(
        [*SEPAR, "info", SAMPLES["nonsan"]], capture_output=True, text=True, env=env, timeout=120
    )
    assert ok.returncode == 0 and "논산" in ok.stdout
    bad = subprocess.run(
        [*SEPAR, "info", tmp_path / "nowhere"], capture_output=True, text=True, env=env, timeout=120
    )
    assert (
        bad.returncode == 2 and bad.stderr.startswith("separ: ") and "Traceback" not in bad.stderr
    )


def test_init_import_export_info(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("init", ws, "--title", "시험", "--region", "서산시").returncode == 0
    info = run("info", ws)
    assert info.returncode == 0 and "시험 — 서산시 (ko)" in info.stdout
    assert run("import", ws, SAMPLES["seosan"]).returncode == 0
    out = run("export", ws, "--format", "xlsx", "--out", tmp_path / "s.xlsx")
    assert out.returncode == 0 and (tmp_path / "s.xlsx").exists()
    assert (
        run(
            "export", tmp_path / "s.xlsx", "--format", "json", "--out", tmp_path / "s.json"
        ).returncode
        == 0
    )
    info = run("info", tmp_path / "s.json")
    assert "participants" in info.stdout and "참여자" in info.stdout


def test_info_reads_a_json_file_in_place_of_a_folder() -> None:
    result = run("info", SAMPLES["nonsan"])
    assert result.returncode == 0
    assert "논산시" in result.stdout


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    run("init", tmp_path, "--title", "a", "--region", "b")
    again = run("init", tmp_path, "--title", "c", "--region", "d", lang="ko")
    assert again.returncode == 2
    assert again.stderr.strip() == f"separ: 이미 워크숍이 있는 폴더입니다: {tmp_path}"


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    """A workshop folder holding the Nonsan sample, and the snapshot to compare with."""
    folder = tmp_path / "ws"
    assert run("import", folder, SAMPLES["nonsan"]).returncode == 0
    return folder


def _snapshot(folder: Path) -> dict[str, object]:
    with open_workshop(folder) as store:
        return to_document(store)


def _bad_json(tmp_path: Path, mutate: object) -> Path:
    doc = json.loads(SAMPLES["nonsan"].read_text(encoding="utf-8"))
    mutate(doc)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _set(path: str, value: object) -> object:
    def mutate(doc: dict[str, object]) -> None:
        table, index, field = path.split(".")
        doc[table][int(index)][field] = value  # type: ignore[index]

    return mutate


BAD_JSON = {
    "unknown type": (
        _set("organisations.0.type", "주식회사"),
        "organisations[0], type: unknown value: 주식회사",
    ),
    "duplicate name": (
        lambda d: d["organisations"].append(dict(d["organisations"][0], id="x")),
        "duplicate organisation",
    ),
    "missing field": (
        lambda d: d["participants"][0].pop("name"),
        "participants[0], name: required field is missing",
    ),
    "oversized text": (
        _set("participants.0.name", "가" * 5000),
        "participants[0], name: text is too long (5000 characters, at most 200)",
    ),
    "dangling reference": (
        _set("participants.0.organisation_id", "nowhere"),
        "participants[0], organisation_id: no such organisation: nowhere",
    ),
    "wrong schema": (lambda d: d.update(schema="other"), "not a separ workshop document"),
    "unknown table": (lambda d: d.update(gossip=[]), "unknown table: gossip"),
    "newer version": (lambda d: d.update(version=999), "written by a newer separ"),
}


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_bad_json_exits_2_and_changes_nothing(case: str, workshop: Path, tmp_path: Path) -> None:
    mutate, expected = BAD_JSON[case]
    before = _snapshot(workshop)
    bad = _bad_json(tmp_path, mutate)
    result = run("import", workshop, bad)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert str(bad) in result.stderr  # the message names the file
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert _snapshot(workshop) == before


def test_malformed_json(workshop: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema": "separ-workshop", "version": 1,', encoding="utf-8")
    before = _snapshot(workshop)
    result = run("import", workshop, bad, lang="ko")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"separ: {bad}, 1번째 줄 43번째 글자: JSON 형식이 잘못되었습니다 "
        '(큰따옴표로 감싼 항목 이름("이름")이 와야 합니다)'
    )
    assert _snapshot(workshop) == before


def test_malformed_xlsx(workshop: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    before = _snapshot(workshop)
    result = run("import", workshop, bad)
    assert result.returncode == 2 and "cannot read the Excel file" in result.stderr
    assert _snapshot(workshop) == before


BAD_XLSX = {
    "unknown type": (
        {
            "워크숍": [["제목", "지역"], ["t", "r"]],
            "조직": [["조직명", "유형"], ["가", "사회적기업"], ["나", "주식회사"]],
        },
        "'조직' row 3, type: unknown value: 주식회사",
    ),
    "duplicate name": (
        {"워크숍": [["제목", "지역"], ["t", "r"]], "조직": [["조직명"], ["가"], ["가"]]},
        "'조직' row 3: duplicate organisation: 가",
    ),
    "missing field": (
        {"워크숍": [["제목", "지역"], ["t", None]]},
        "'워크숍' row 2, region: required field is missing",
    ),
    "unknown column": (
        {"워크숍": [["제목", "지역", "날씨"], ["t", "r", "맑음"]]},
        "'워크숍' column C: unknown column: 날씨",
    ),
    "oversized text": (
        {
            "워크숍": [["제목", "지역"], ["t", "r"]],
            "조직": [["조직명", "비고"], ["가", "나" * 4001]],
        },
        "'조직' row 2, notes: text is too long (4001 characters, at most 4000)",
    ),
    "two workshops": (
        {"워크숍": [["제목", "지역"], ["t", "r"], ["u", "v"]]},
        "the workshop table must have exactly one row",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_XLSX))
def test_bad_xlsx_exits_2_and_changes_nothing(case: str, workshop: Path, tmp_path: Path) -> None:
    sheets, expected = BAD_XLSX[case]
    bad = xlsx_book(tmp_path / "bad.xlsx", sheets)
    before = _snapshot(workshop)
    result = run("import", workshop, bad)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(workshop) == before


def test_unknown_option_and_format(tmp_path: Path) -> None:
    assert run("init", tmp_path, "--title", "t", "--region", "r", "--lang", "fr").returncode == 2
    result = run("import", tmp_path / "ws", tmp_path / "workshop.csv")
    assert result.returncode == 2 and "unknown file format: .csv" in result.stderr
    assert not (tmp_path / "ws").exists()  # a bad file creates no folder


def test_missing_files_and_folders(tmp_path: Path) -> None:
    result = run("info", tmp_path / "nowhere")
    assert result.returncode == 2 and "not a separ workshop folder" in result.stderr
    result = run("import", tmp_path / "ws", tmp_path / "nowhere.json")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_folder_copy_keeps_working(workshop: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(workshop, copy)
    assert run("info", copy).returncode == 0
