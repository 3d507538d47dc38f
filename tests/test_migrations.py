"""A workshop folder written by an older separ opens in this one."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from separ import SeparError, Store, schema
from separ.document import to_document
from tests.conftest import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"


def _folder_from_dump(tmp_path: Path, dump: str) -> Path:
    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / "workshop.db")
    conn.executescript((FIXTURES / dump).read_text(encoding="utf-8"))
    conn.close()
    return folder


def test_version_1_store_opens_and_upgrades(tmp_path: Path) -> None:
    folder = _folder_from_dump(tmp_path, "store-v1-nonsan.sql")
    with Store.open(folder) as store:
        assert store.schema_version() == schema.SCHEMA_VERSION
        doc = to_document(store)
    sample = json.loads(SAMPLES["nonsan"].read_text(encoding="utf-8"))
    for table in ("workshop", "organisations", "participants", "sessions", "attendance"):
        assert doc[table] == sample[table], table


def test_store_from_a_newer_separ_is_refused(tmp_path: Path) -> None:
    folder = _folder_from_dump(tmp_path, "store-v1-nonsan.sql")
    conn = sqlite3.connect(folder / "workshop.db")
    conn.execute("UPDATE separ_meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(SeparError) as err:
        Store.open(folder)
    assert err.value.key == "store_newer"
