"""Check-in: one attendance per person per session, lines checked, taps rate-limited."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from separ import checkin
from separ.actors import Actor
from separ.checkin import Checkin, arrivals, check_in, my_checkin
from separ.errors import SeparError
from separ.model import Attendance, Group, Participant, Session, Workshop
from separ.schema import SCHEMA_VERSION
from separ.store import Store
from separ.tokens import actor_for, join, set_join_rules, set_live

FACILITATOR = Actor.facilitator_actor()


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkin, "MIN_INTERVAL", 0.0)
    monkeypatch.setattr(checkin, "_rate", checkin._RateLimit())


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    s.add(Workshop(title="T", region="서산시"))
    s.add(Session(id="s1", round=1))
    s.add(Session(id="s2", round=2))
    s.add(Participant(id="p1", name="김민수", group=Group.public))
    set_live(s, FACILITATOR, "checkin", "s1")
    return s


def test_checkin_records_attendance_once_and_updates_the_line(store: Store) -> None:
    me = Actor(participant_id="p1", display_name="김민수")
    check_in(store, me, "  함께  배우고 싶어요 ")
    check_in(store, me, "바꿨어요")
    rows = store.list(Attendance)
    assert [(r.session_id, r.participant_id, r.group) for r in rows] == [("s1", "p1", Group.public)]
    assert [(a.name, a.line) for a in arrivals(store, "s1")] == [("김민수", "바꿨어요")]
    mine = my_checkin(store, me, "s1")
    assert mine is not None and mine.line == "바꿨어요"
    assert my_checkin(store, me, "s2") is None


def test_checkin_follows_the_live_session(store: Store) -> None:
    me = Actor(participant_id="p1", display_name="김민수")
    check_in(store, me)
    set_live(store, FACILITATOR, "checkin", "s2")
    check_in(store, me, None)
    assert sorted(r.session_id for r in store.list(Attendance)) == ["s1", "s2"]
    assert [a.line for a in arrivals(store, "s2")] == [None]


def test_anonymous_checkin_is_one_row_per_token(store: Store) -> None:
    set_join_rules(store, FACILITATOR, allow_anonymous=True)
    anon = actor_for(store, join(store, anonymous=True))
    assert anon is not None
    check_in(store, anon, "처음")
    check_in(store, anon, "다시")
    assert len(store.list(Attendance)) == 1
    assert [a.line for a in arrivals(store, "s1")] == ["다시"]


@pytest.mark.parametrize("bad", [["x"], 5, {"a": 1}, "가" * 121])
def test_bad_lines_write_nothing(store: Store, bad: object) -> None:
    before = store.revision()
    with pytest.raises(SeparError):
        check_in(store, Actor(participant_id="p1", display_name="김민수"), bad)
    assert store.revision() == before and store.list(Checkin) == []


def test_line_breaks_become_spaces(store: Store) -> None:
    check_in(store, Actor(participant_id="p1", display_name="김민수"), "a\nb\r\nc")
    assert arrivals(store, "s1")[0].line == "a b c"


def test_refused_when_not_live_or_for_a_facilitator(store: Store) -> None:
    with pytest.raises(SeparError) as err:
        check_in(store, FACILITATOR, "x")
    assert err.value.key == "checkin_needs_identity"
    set_live(store, FACILITATOR, None)
    with pytest.raises(SeparError) as err:
        check_in(store, Actor(participant_id="p1", display_name="김민수"), "x")
    assert err.value.key == "checkin_not_live"
    set_live(store, FACILITATOR, "checkin", None)
    with pytest.raises(SeparError) as err:
        check_in(store, Actor(participant_id="p1", display_name="김민수"), "x")
    assert err.value.key == "checkin_no_session"
    assert store.list(Attendance) == []


def test_a_hundred_taps_write_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkin, "MIN_INTERVAL", 60.0)
    me = Actor(participant_id="p1", display_name="김민수")
    refused = 0
    for _ in range(100):
        try:
            check_in(store, me, "x")
        except SeparError as exc:
            assert exc.key == "checkin_too_fast"
            refused += 1
    assert refused == 99 and len(store.list(Checkin)) == 1
    other = Actor(participant_id=None, display_name="익명-abcd")
    check_in(store, other, "y")  # someone else is not slowed down
    assert len(store.list(Checkin)) == 2


def test_three_hundred_anonymous_phones_are_three_hundred_checkins(store: Store) -> None:
    """Display names have 16 random bits: among 300 phones two share one about half the
    time (1 - exp(-300*299/2/65536) = 0.50); each phone still gets its own row."""
    set_join_rules(store, FACILITATOR, allow_anonymous=True)
    phones = [actor_for(store, join(store, anonymous=True)) for _ in range(300)]
    for i, phone in enumerate(phones):
        assert phone is not None
        check_in(store, phone, f"폰 {i}")
    assert len(store.list(Checkin)) == 300 and len(store.list(Attendance)) == 300
    assert sorted(a.line or "" for a in arrivals(store, "s1")) == sorted(
        f"폰 {i}" for i in range(300)
    )
    for i, phone in enumerate(phones):
        assert phone is not None
        mine = my_checkin(store, phone, "s1")
        assert mine is not None and mine.line == f"폰 {i}"


def test_two_phones_with_one_display_name_keep_their_own_rows(store: Store) -> None:
    set_join_rules(store, FACILITATOR, allow_anonymous=True)
    first, second = (actor_for(store, join(store, anonymous=True)) for _ in range(2))
    assert first is not None and second is not None
    twins = [
        Actor(participant_id=None, display_name="익명-abcd", token_id=a.token_id)
        for a in (first, second)
    ]
    check_in(store, twins[0], "하나")
    check_in(store, twins[1], "둘")
    check_in(store, twins[0], "하나 고침")
    assert [(a.name, a.line) for a in arrivals(store, "s1")] == [  # a re-tap moves to the end
        ("익명-abcd", "둘"),
        ("익명-abcd", "하나 고침"),
    ]
    assert len(store.list(Attendance)) == 2
    again = my_checkin(store, twins[1], "s1")
    assert again is not None and again.line == "둘"


def test_a_schema_2_store_gains_the_person_of_each_checkin(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with Store.open(folder, create=True) as s:
        s.add(Workshop(title="T", region="서산시"))
        s.add(Session(id="s1", round=1))
        s.add(Participant(id="p1", name="김민수"))
        s.add(Attendance(id="a1", session_id="s1", participant_id="p1"))
        s.add(Attendance(id="a2", session_id="s1", name="익명-abcd"))
        s.add(Checkin(id="c1", attendance_id="a1", session_id="s1", name="김민수", line="x"))
        s.add(Checkin(id="c2", attendance_id="a2", session_id="s1", name="익명-abcd"))
    conn = sqlite3.connect(folder / "workshop.db")  # as separ 0.1 (schema 2) wrote it
    conn.executescript("""
        CREATE TABLE old AS SELECT id, attendance_id, session_id, name, line, at FROM checkins;
        DROP TABLE checkins;
        CREATE TABLE checkins (id VARCHAR(64) PRIMARY KEY, attendance_id VARCHAR(64) NOT NULL
            REFERENCES attendance (id) ON DELETE CASCADE, session_id VARCHAR(64) NOT NULL
            REFERENCES sessions (id) ON DELETE CASCADE, name TEXT NOT NULL, line TEXT,
            at DATETIME NOT NULL, CONSTRAINT uq_checkins_attendance_id UNIQUE (attendance_id));
        INSERT INTO checkins SELECT * FROM old;
        DROP TABLE old;
        UPDATE separ_meta SET value = '2' WHERE key = 'schema_version';
    """)
    conn.close()
    with Store.open(folder) as s:
        assert s.schema_version() == SCHEMA_VERSION  # every later step ran too
        assert {c.id: c.person for c in s.list(Checkin)} == {"c1": "p1", "c2": None}
        set_live(s, FACILITATOR, "checkin", "s1")
        check_in(s, Actor(participant_id="p1", display_name="김민수"), "다시")
        assert [(c.id, c.person, c.line) for c in s.list(Checkin)] == [
            ("c1", "p1", "다시"),
            ("c2", None, None),
        ]
        with pytest.raises(SeparError) as twice:
            s.add(Checkin(attendance_id="a2", session_id="s1", name="김민수", person="p1"))
        assert twice.value.key == "duplicate"
