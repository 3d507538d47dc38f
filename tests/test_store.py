"""The store: records in and out, transactions, uniqueness, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from separ import Organisation, Participant, SeparError, Session, Store, Workshop, schema
from separ.model import Group, OrgType


@pytest.fixture
def store(tmp_path: Path, db_url: str | None) -> Store:
    s = Store.open(tmp_path / "ws", db_url, create=True)
    s.add(Workshop(title="서산 워크숍", region="서산시", plan_start=2022, plan_end=2024))
    return s


def test_round_trip_of_records(store: Store) -> None:
    org = store.add(Organisation(name="에스그린협동조합", type="협동조합", district="동문동"))
    person = store.add(
        Participant(name="김환성", organisation_id=org.id, title="대표", roles=["서사넷 사무국장"])
    )
    session = store.add(
        Session(
            round=1,
            date=dt.date(2021, 6, 23),
            place="서산 시민센터",
            agenda=["연구 실행계획 공유", "기초 문헌연구 결과 공유"],
        )
    )
    assert store.get(Organisation, org.id).type == OrgType.cooperative
    back = store.get(Participant, person.id)
    assert back == person and back.group == Group.civil and back.roles == ["서사넷 사무국장"]
    assert store.get(Session, session.id).date == dt.date(2021, 6, 23)
    assert store.workshop().title == "서산 워크숍"
    counts = store.counts()
    assert {
        t: counts.pop(t)
        for t in ("workshop", "organisations", "participants", "sessions", "attendance")
    } == {"workshop": 1, "organisations": 1, "participants": 1, "sessions": 1, "attendance": 0}
    assert set(counts.values()) <= {0}  # every stage table is still empty


def test_update_and_delete(store: Store) -> None:
    org = store.add(Organisation(name="황토사랑"))
    org.sector = "제조"
    store.update(org)
    assert store.get(Organisation, org.id).sector == "제조"
    store.delete(Organisation, org.id)
    with pytest.raises(SeparError) as err:
        store.get(Organisation, org.id)
    assert err.value.key == "not_found"
    assert "조직을(를) 찾을 수 없습니다" in err.value.message("ko")


def test_duplicate_name_is_refused_with_a_message(store: Store) -> None:
    store.add(Organisation(name="아름다운마을"))
    with pytest.raises(SeparError) as err:
        store.add(Organisation(name="아름다운마을"))
    assert err.value.message("ko") == "중복된 조직입니다: 아름다운마을"
    assert err.value.message("en") == "duplicate organisation: 아름다운마을"
    assert store.counts()["organisations"] == 1


def test_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(SeparError), store.transaction() as tx:
        tx.add(Organisation(name="고운맘 사회적협동조합"))
        tx.add(Organisation(name="고운맘 사회적협동조합"))
    assert store.counts()["organisations"] == 0


def test_foreign_key_is_enforced(store: Store) -> None:
    with pytest.raises(SeparError) as err:
        store.add(Participant(name="누구", organisation_id="no-such-org"))
    assert err.value.key == "integrity"
    assert store.counts()["participants"] == 0


def test_store_survives_reopening(tmp_path: Path, db_url: str | None) -> None:
    with Store.open(tmp_path / "ws", db_url, create=True) as s:
        s.add(Workshop(title="t", region="r"))
        s.add(Organisation(name="케이먼"))
    with Store.open(tmp_path / "ws", db_url) as s:
        assert [o.name for o in s.list(Organisation)] == ["케이먼"]
        assert s.schema_version() >= 1


def test_sqlite_store_settings(tmp_path: Path) -> None:
    with Store.open(tmp_path / "ws", create=True) as s, s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_opening_a_folder_without_a_workshop_says_so(tmp_path: Path) -> None:
    with pytest.raises(SeparError) as err:
        Store.open(tmp_path)
    assert err.value.key == "not_a_workshop"


def test_list_filters_and_orders(store: Store) -> None:
    for n in (3, 1, 2):
        store.add(Session(round=n))
    assert [s.round for s in store.list(Session, order_by="round")] == [1, 2, 3]
    store.add(Participant(name="정민숙", group="행정"))
    store.add(Participant(name="이원돈"))
    assert [p.name for p in store.list(Participant, group=Group.public)] == ["정민숙"]


def test_revision_moves_with_every_committed_write(store: Store) -> None:
    start = store.revision()
    store.add(Organisation(name="미디어서산(주)"))
    assert store.revision() == start + 1
    with pytest.raises(SeparError), store.transaction() as tx:
        tx.add(Organisation(name="미디어서산(주)"))
    assert store.revision() == start + 1  # a rolled-back write does not count


def test_store_wide_values_stay_out_of_the_records() -> None:
    """``separ_meta`` through the facade: set, replace, delete; the schema key is guarded."""
    store = Store.memory()
    with store.transaction() as tx:
        assert tx.meta("poll_secret:x") is None
        tx.set_meta("poll_secret:x", "a")
        tx.set_meta("poll_secret:x", "b")
    with store.reading() as tx:
        assert tx.meta("poll_secret:x") == "b"
    with store.transaction() as tx:
        tx.set_meta("poll_secret:x", None)
        assert tx.meta("poll_secret:x") is None
        with pytest.raises(ValueError):
            tx.set_meta("schema_version", "1")
    assert store.schema_version() == schema.SCHEMA_VERSION
