"""Check-in: the opening ritual of a workshop session (왔어요 + 오늘 기대하는 것).

A participant taps "왔어요" and may write one line on what they hope for today. The
tap records their :class:`~separ.model.Attendance` for the live session (one row per
participant per session: tapping again updates it), and the line is kept beside it in
a :class:`Checkin` row. The projector lists who is here with their lines.

Everything a phone sends is re-checked here: the Actor comes from a server-side
token, the session from the facilitator's live state, and the line is trimmed,
length-limited and made one line; a repeated tap within ``MIN_INTERVAL`` is refused.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import ClassVar

from pydantic import Field

from separ.actors import Actor
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, add_nouns
from separ.limits import spend
from separ.model import Attendance, Participant
from separ.records import Line, Record, RecordId
from separ.store import Store
from separ.tokens import live_state

LINE_MAX = 120
"""One line on a phone, readable on the projector."""
MIN_INTERVAL = 1.0
"""Seconds between two check-ins of one person (a hundred taps write once)."""

add_messages(
    {
        "checkin_not_live": {
            "ko": "지금은 체크인 시간이 아닙니다",
            "en": "check-in is not open right now",
        },
        "checkin_no_session": {
            "ko": "진행자가 아직 회차를 고르지 않았습니다",
            "en": "the facilitator has not chosen the session yet",
        },
        "checkin_too_long": {
            "ko": "한 줄은 {limit}자까지 쓸 수 있습니다 ({length}자)",
            "en": "one line holds at most {limit} characters ({length})",
        },
        "checkin_bad_line": {"ko": "글만 쓸 수 있습니다", "en": "only text can be written"},
        "checkin_too_fast": {
            "ko": "잠시 후 다시 눌러 주세요",
            "en": "please wait a moment before tapping again",
        },
        "checkin_needs_identity": {
            "ko": "참여한 뒤에 체크인할 수 있습니다",
            "en": "join first to check in",
        },
    }
)
add_nouns({"checkin": {"ko": "체크인", "en": "check-in"}})


def _now() -> dt.datetime:
    """Microseconds kept: the projector lists people in the order they arrived."""
    return dt.datetime.now(dt.timezone.utc)


class Checkin(Record):
    """What a participant said when they checked in to a session."""

    table: ClassVar[str] = "checkins"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "체크인", "en": "Check-ins"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "attendance_id": {"ko": "참석 ID", "en": "attendance id"},
        "session_id": {"ko": "회차 ID", "en": "session id"},
        "name": {"ko": "이름", "en": "name"},
        "line": {"ko": "오늘 기대하는 것", "en": "hope for today"},
        "at": {"ko": "체크인 시각", "en": "checked in at"},
        "person": {"ko": "참여자 키", "en": "person key"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("attendance_id",), ("session_id", "person"))
    references: ClassVar[dict[str, str]] = {"attendance_id": "attendance", "session_id": "sessions"}
    noun: ClassVar[str] = "checkin"

    attendance_id: RecordId
    session_id: RecordId
    name: Line
    line: Line | None = None
    at: dt.datetime = Field(default_factory=_now)
    person: RecordId | None = None
    """Who checked in (:func:`person_key`): one row per person per session. None only on
    rows written before separ keyed check-ins by person (schema 2)."""


RECORDS: tuple[type[Record], ...] = (Checkin,)


@dataclass(frozen=True)
class Arrival:
    """One line of the projector's list."""

    name: str
    line: str | None
    at: dt.datetime


class _RateLimit:
    """Refuses a second action of one person within ``MIN_INTERVAL`` (per process)."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def check(self, who: str) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._last.get(who)
            if last is not None and now - last < MIN_INTERVAL:
                raise SeparError("checkin_too_fast")
            self._last[who] = now


_rate = _RateLimit()


def clean_line(line: object) -> str | None:
    """The one line as stored: trimmed, spaces collapsed, None when empty."""
    if line is None:
        return None
    if not isinstance(line, str):
        raise SeparError("checkin_bad_line")
    cleaned = " ".join(line.split())
    if len(cleaned) > LINE_MAX:
        raise SeparError("checkin_too_long", limit=LINE_MAX, length=len(cleaned))
    return cleaned or None


def check_in(store: Store, actor: Actor, line: object = None) -> Checkin:
    """Record that ``actor`` is here for the live session, with their line.

    One Attendance and one Checkin per person per session: a second check-in
    updates the line. An anonymous phone is told apart by its access token, never by
    its display name (16 random bits: two of 300 phones share one about half the time).
    """
    if actor.facilitator:
        raise SeparError("checkin_needs_identity")
    cleaned = clean_line(line)
    state = live_state(store)
    if state.activity != "checkin":
        raise SeparError("checkin_not_live")
    if state.session_id is None:
        raise SeparError("checkin_no_session")
    _rate.check(person_key(actor))
    try:
        return _record(store, actor, state.session_id, cleaned)
    except SeparError as exc:
        # two tabs of one person on two server processes: the loser of the race hits the
        # unique (session, participant) rule; once more, it finds the row and updates it
        if exc.key not in ("integrity", "duplicate"):
            raise
        return _record(store, actor, state.session_id, cleaned)


def _record(store: Store, actor: Actor, session_id: str, line: str | None) -> Checkin:
    key = person_key(actor)
    with store.transaction() as tx:
        spend(tx, actor, "checkin")
        found = tx.find(Checkin, session_id=session_id, person=key)
        if actor.participant_id is not None:
            person = tx.get(Participant, actor.participant_id)
            rows = tx.find(Attendance, session_id=session_id, participant_id=person.id)
            attendance = (
                rows[0]
                if rows
                else tx.add(
                    Attendance(session_id=session_id, participant_id=person.id, group=person.group)
                )
            )
            found = found or tx.find(Checkin, attendance_id=attendance.id)
            name = person.name
        elif found:
            attendance = tx.get(Attendance, found[0].attendance_id)
            name = found[0].name
        else:
            attendance = tx.add(Attendance(session_id=session_id, name=actor.display_name))
            name = actor.display_name
        if found:
            record = found[0].model_copy(update={"line": line, "at": _now(), "person": key})
            tx.update(record)
        else:
            record = tx.add(
                Checkin(
                    attendance_id=attendance.id,
                    session_id=session_id,
                    name=name,
                    line=line,
                    person=key,
                )
            )
    return record


def arrivals(store: Store, session_id: str | None) -> list[Arrival]:
    """Who has checked in to ``session_id``, first arrival first."""
    if session_id is None:
        return []
    rows = store.list(Checkin, session_id=session_id)
    return [Arrival(r.name, r.line, r.at) for r in sorted(rows, key=lambda r: (r.at, r.id))]


def person_key(actor: Actor) -> str:
    """Who a check-in belongs to: the participant's id, else the anonymous phone's
    access token (``token:<id>``); a display name only for an Actor made without one."""
    if actor.participant_id:
        return actor.participant_id
    return f"token:{actor.token_id}" if actor.token_id else f"anonymous:{actor.display_name}"


def checkins_by_person(store: Store, session_id: str | None) -> dict[str, Checkin]:
    """Every check-in of the session by :func:`person_key` (one read for a whole room)."""
    if session_id is None:
        return {}
    return {
        row.person: row
        for row in store.list(Checkin, session_id=session_id)
        if row.person is not None
    }


def my_checkin(store: Store, actor: Actor, session_id: str | None) -> Checkin | None:
    """The actor's own check-in for the session, to show on their phone after a reload."""
    return checkins_by_person(store, session_id).get(person_key(actor))
