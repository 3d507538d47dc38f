"""How much one person may write, counted in the store.

A limit kept in a page's memory counts per tab and per server process: one anonymous
token posted 30 board notes in seconds from 6 tabs, one phone stored 200 roadmap
comments in a burst. Here every participant write spends one :class:`WriteMark` in the
same transaction as the write, so the count is shared by every tab, page and process,
and survives restarts. A person is their participant id, or for an anonymous phone its
display name (40 random bits, one per token). Facilitators are not limited.

Two limits per kind of write: a burst limit (per minute) against scripts, and a total
that bounds what one person can add to the store at all. Joins are limited the same way,
per network address rather than per person (:func:`spend_join`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from typing import ClassVar

from pydantic import Field

from separ.actors import Actor
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, add_nouns
from separ.records import Record
from separ.store import Transaction

LIMITS: dict[str, tuple[int, int]] = {
    "note": (10, 120),  # PEST/SWOT notes: a round writes a few per board
    "comment": (10, 100),  # roadmap task comments
    "asset": (10, 100),
    "tie": (20, 200),  # a tie survey lists an organisation's partners
    "checkin": (10, 60),  # a retap updates the same check-in
    "roadmap_checkin": (20, 300),
    "volunteer": (10, 60),
    "answer": (120, 3000),  # Delphi: one answer per item and round
    "ballot": (30, 1000),  # per poll: a resubmission replaces the ballot
}
"""``kind: (per minute, in all)`` for one person. A kind may name what it is about after a
colon (``ballot:<poll id>``): counted apart, under the limits of the part before it."""

JOINS_PER_MINUTE = 10
"""Joins (a typed name, anonymously or with a roster card) per network address in any
minute, counted over every server process. A phone joins once; ten covers retries and a
few people sharing a proxy, and stops one client making 80–93 participants in 10 s
(measured before there was a limit). A room whose phones all reach a hosted server
through one Wi-Fi address needs more: ``separ serve --joins-per-minute N``
(:func:`joins_per_minute`)."""
JOINS_ENV = "SEPAR_JOINS_PER_MINUTE"
"""How ``separ serve`` hands ``--joins-per-minute`` to its participant processes."""


def joins_per_minute() -> int:
    """The per-address join limit: ``$SEPAR_JOINS_PER_MINUTE`` if it is a whole number of
    at least 1, else :data:`JOINS_PER_MINUTE`."""
    value = os.environ.get(JOINS_ENV, "")
    return int(value) if value.isdigit() and int(value) >= 1 else JOINS_PER_MINUTE


JOIN = "join"
"""The :class:`WriteMark` kind of a join; its ``who`` is the address's hash (:func:`spend_join`)."""

add_messages(
    {
        "write_too_fast": {
            "ko": "너무 빨리 보내고 있습니다. 1분에 {limit}번까지 보낼 수 있습니다",
            "en": "too fast: at most {limit} per minute",
        },
        "join_busy": {
            "ko": "참여 요청이 너무 많습니다. 1분 뒤에 다시 해 주세요",
            "en": "too many joins from this address; please try again in a minute",
        },
        "write_too_many": {
            "ko": "한 사람이 보낼 수 있는 만큼({limit}개)을 모두 보냈습니다",
            "en": "you have sent as many as one person may ({limit})",
        },
    }
)
add_nouns({"write_mark": {"ko": "쓰기 기록", "en": "write mark"}})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class WriteMark(Record):
    """One write by one person (what :func:`spend` counts), or one join from one address
    (:func:`spend_join`); never exported."""

    table: ClassVar[str] = "write_marks"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "쓰기기록", "en": "Write marks"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "who": {"ko": "누가", "en": "who"},
        "kind": {"ko": "무엇을", "en": "kind"},
        "at": {"ko": "시각", "en": "at"},
    }
    noun: ClassVar[str] = "write_mark"
    exported: ClassVar[bool] = False

    who: str = Field(max_length=64)
    kind: str = Field(max_length=64)
    at: dt.datetime = Field(default_factory=_now)


RECORDS: tuple[type[Record], ...] = (WriteMark,)


def who(actor: Actor) -> str:
    return actor.participant_id or actor.display_name


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def spend(tx: Transaction, actor: Actor, kind: str, *, now: dt.datetime | None = None) -> None:
    """Count one ``kind`` write by ``actor`` inside the write's transaction, or refuse it
    (the transaction then writes nothing)."""
    if actor.facilitator:
        return
    per_minute, in_all = LIMITS[kind.split(":", 1)[0]]
    now = now or _now()
    person = who(actor)
    marks = tx.find(WriteMark, who=person, kind=kind)
    if len(marks) >= in_all:
        raise SeparError("write_too_many", limit=in_all)
    recent = sum(1 for m in marks if _utc(m.at) > now - dt.timedelta(minutes=1))
    if recent >= per_minute:
        raise SeparError("write_too_fast", limit=per_minute)
    tx.add(WriteMark(who=person, kind=kind, at=now))


def last_write(tx: Transaction, person: str, kind: str) -> dt.datetime | None:
    """When ``person`` last made a ``kind`` write (None if never, e.g. imported data)."""
    marks = tx.find(WriteMark, who=person, kind=kind)
    return max((_utc(m.at) for m in marks), default=None)


def rename(tx: Transaction, old: str, new: str) -> None:
    """Count ``old``'s writes as ``new``'s (two participants merged into one person)."""
    for mark in tx.find(WriteMark, who=old):
        tx.update(mark.model_copy(update={"who": new}))


def _address_key(address: str) -> str:
    """What a join mark keeps of the address: a hash, so the store does not list where
    phones connected from (not a secret: an IPv4 address is only 32 bits)."""
    return "address:" + hashlib.sha256(address.encode("utf-8")).hexdigest()[:32]


def spend_join(tx: Transaction, address: str, *, now: dt.datetime | None = None) -> None:
    """Count one join from ``address`` inside the join's transaction, or refuse it with
    ``join_busy``: at most :func:`joins_per_minute` per address in any minute.

    In the store, not in a server process's memory: ``separ serve --workers N`` runs N
    participant processes on one port and the kernel spreads connections over them, so a
    per-process count let one address join N times as often. The marks are the same
    :class:`WriteMark` rows as the per-person limits (never exported), and a join deletes
    every join mark older than the window, so the table holds at most one minute of
    joins. A refused join rolls back with its transaction and leaves nothing behind.
    """
    now = now or _now()
    start = now - dt.timedelta(minutes=1)
    key = _address_key(address)
    recent = 0
    for mark in tx.find(WriteMark, kind=JOIN):
        if _utc(mark.at) <= start:
            tx.delete(WriteMark, mark.id)
        elif mark.who == key:
            recent += 1
    if recent >= joins_per_minute():
        raise SeparError("join_busy")
    tx.add(WriteMark(who=key, kind=JOIN, at=now))
