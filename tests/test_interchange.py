"""JSON and Excel: both samples survive JSON -> store -> XLSX -> store -> JSON unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from separ.document import records_of, replace, to_document, write_json
from separ.excel import write_xlsx
from separ.store import Store
from separ.workspace import import_file, open_workshop
from tests.conftest import SAMPLES


def test_json_xlsx_json_is_lossless(sample_json: Path, tmp_path: Path) -> None:
    original = json.loads(sample_json.read_text(encoding="utf-8"))
    with import_file(tmp_path / "a", sample_json) as store:
        first = to_document(store)
        write_xlsx(store, tmp_path / "w.xlsx")
    with import_file(tmp_path / "b", tmp_path / "w.xlsx") as store:
        write_json(store, tmp_path / "again.json")
        assert to_document(store) == first
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert again == first
    # the sample as written by hand, normalised by the model, is what comes back
    normalised = Store.memory()
    replace(normalised, records_of(original, "sample"))
    assert to_document(normalised) == again


def test_korean_workbook_has_korean_sheets_and_headers(sample_json: Path, tmp_path: Path) -> None:
    with open_workshop(sample_json) as store:
        write_xlsx(store, tmp_path / "w.xlsx")
    book = load_workbook(tmp_path / "w.xlsx")
    assert book.sheetnames[:5] == ["워크숍", "조직", "참여자", "회차", "참석"]
    assert [c.value for c in book["조직"][1]][:3] == ["ID", "조직명", "유형"]
    types = {row[2] for row in book["조직"].iter_rows(min_row=2, values_only=True)}
    assert "협동조합" in types  # labels, not codes
    assert book["_separ"].sheet_state == "hidden"


def test_english_workshop_gets_english_headers(tmp_path: Path) -> None:
    doc = {
        "schema": "separ-workshop",
        "version": 1,
        "workshop": {"title": "Demo", "region": "Town", "language": "en"},
        "organisations": [{"id": "o1", "name": "Co-op", "type": "cooperative"}],
    }
    src = tmp_path / "en.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    with open_workshop(src) as store:
        write_xlsx(store, tmp_path / "en.xlsx")
    book = load_workbook(tmp_path / "en.xlsx")
    assert book.sheetnames[:2] == ["Workshop", "Organisations"]
    assert [c.value for c in book["Organisations"][2]][:3] == ["o1", "Co-op", "cooperative"]


def test_hand_edited_workbook_with_korean_labels_imports(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "워크숍"
    ws.append(["제목", "지역"])
    ws.append(["손으로 만든 워크숍", "논산시"])
    orgs = book.create_sheet("조직")
    orgs.append(["조직명", "유형"])
    orgs.append(["보성자원", "사회적기업"])
    people = book.create_sheet("참여자")
    people.append(["이름", "구분", "역할"])
    people.append(["김승주", "민간", "상호협력분과장\n멘토"])
    book.save(tmp_path / "hand.xlsx")
    with import_file(tmp_path / "ws", tmp_path / "hand.xlsx") as store:
        doc = to_document(store)
    assert doc["workshop"]["title"] == "손으로 만든 워크숍"
    assert doc["organisations"][0]["type"] == "social_enterprise"
    assert doc["participants"][0]["roles"] == ["상호협력분과장", "멘토"]


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    doc = {
        "schema": "separ-workshop",
        "version": 1,
        "workshop": {"title": "t", "region": "r"},
        "organisations": [{"id": "o1", "name": '=HYPERLINK("http://x")', "notes": "=1+1"}],
    }
    src = tmp_path / "f.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    with open_workshop(src) as store:
        write_xlsx(store, tmp_path / "f.xlsx")
    cell = load_workbook(tmp_path / "f.xlsx")["조직"]["B2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    with import_file(tmp_path / "ws", tmp_path / "f.xlsx") as store:
        assert to_document(store)["organisations"][0]["notes"] == "=1+1"


def test_the_running_rooms_tokens_and_state_stay_out_of_exports(tmp_path: Path) -> None:
    from separ.actors import Actor
    from separ.frames import frames
    from separ.tokens import AccessToken, issue_facilitator_token, join, set_join_rules

    with import_file(tmp_path / "ws", SAMPLES["seosan"]) as store:
        issue_facilitator_token(store)
        set_join_rules(store, Actor.facilitator_actor(), allow_anonymous=True)
        join(store, "새 참여자")
        assert len(store.list(AccessToken)) == 2
        doc = to_document(store)
        write_xlsx(store, tmp_path / "w.xlsx")
        tables = frames(store)
    assert "access_tokens" not in doc and "live_state" not in doc
    assert not {"참여토큰", "진행상태"} & set(load_workbook(tmp_path / "w.xlsx").sheetnames)
    assert "access_tokens" not in tables
    assert any(p["name"] == "새 참여자" for p in doc["participants"])
