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


V3_LIVE_STATE = """CREATE TABLE live_state (
    id VARCHAR(64) NOT NULL,
    activity TEXT,
    session_id VARCHAR(64),
    allow_anonymous BOOLEAN NOT NULL,
    allow_name_match BOOLEAN NOT NULL,
    target_id TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE
)"""
"""``live_state`` as separ wrote it up to schema version 3 (with the unused
``allow_name_match``, NOT NULL without a default)."""


def test_version_3_live_state_loses_the_name_match_rule_and_keeps_the_room(
    tmp_path: Path, db_url: str | None
) -> None:
    """On SQLite and PostgreSQL: the room's row survives the rebuild, and new live states
    can be written again (the old NOT NULL column without a default would refuse them)."""
    import sqlalchemy as sa

    from separ.actors import Actor
    from separ.tokens import live_state, set_join_rules, set_live
    from separ.workspace import import_file

    folder = tmp_path / "ws"
    with import_file(folder, SAMPLES["seosan"], db_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE live_state"))
        conn.execute(sa.text(V3_LIVE_STATE))
        conn.execute(
            sa.text("INSERT INTO live_state VALUES ('live', 'checkin', 's1', TRUE, TRUE, NULL)")
        )
        conn.execute(sa.text("UPDATE separ_meta SET value = '3' WHERE key = 'schema_version'"))
    with Store.open(folder, db_url) as store:
        assert store.schema_version() == schema.SCHEMA_VERSION
        state = live_state(store)
        assert (state.activity, state.session_id, state.allow_anonymous) == ("checkin", "s1", True)
        set_join_rules(store, Actor.facilitator_actor(), allow_anonymous=False)
        set_live(store, Actor.facilitator_actor(), None)
        state = live_state(store)
        assert (state.activity, state.allow_anonymous) == (None, False)
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("live_state")}
    assert "allow_name_match" not in columns and "allow_anonymous" in columns
