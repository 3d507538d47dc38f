"""Check-in: one attendance per person per session, lines checked, taps rate-limited."""

from __future__ import annotations

import pytest

from separ import checkin
from separ.actors import Actor
from separ.checkin import Checkin, arrivals, check_in, my_checkin
from separ.errors import SeparError
from separ.model import Attendance, Group, Participant, Session, Workshop
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
    assert [(r.session_id, r.participant_id, r.group) for r in rows] == [
        ("s1", "p1", Group.public)]
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
    set_join_rules(store, FACILITATOR, allow_anonymous=True, allow_name_match=False)
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
