"""Two records, one person: finding participants who share a name, and merging them.

A phone that joins by typing a listed name becomes a new participant (a typed name is
no proof, see :func:`separ.tokens.join`); so does someone who joined twice. The
facilitator sees such pairs (:func:`same_name_groups`) and, having checked with the
person, merges one into the other: that is the facilitator's approval of a claimed
name. The merge moves everything that points at the dropped participant (attendance,
check-ins, notes, assets, ties, comments, Delphi answers, the phone's token) to the
kept one, keeps one ballot per poll -- the later -- and notes what it did on the kept
participant, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from separ import schema
from separ.actors import Actor, require_facilitator
from separ.checkin import Checkin
from separ.errors import SeparError
from separ.i18n import add_messages
from separ.limits import last_write, rename
from separ.model import Attendance, Participant
from separ.polls import Poll, PollBallot, PollStatus, voter_key
from separ.records import Record
from separ.store import Store, Transaction
from separ.tokens import AccessToken

add_messages(
    {
        "merge_same": {
            "ko": "같은 참여자끼리는 합칠 수 없습니다",
            "en": "a participant cannot be merged into itself",
        },
    }
)


def _key(name: str) -> str:
    """Korean names are written with or without a space (홍 길동, 홍길동): both ignored."""
    return "".join(name.split()).casefold()


def same_name_groups(store: Store) -> list[list[Participant]]:
    """Participants who share a name (spaces and case ignored), two or more per group,
    in the order they were added. The dashboard flags these."""
    groups: dict[str, list[Participant]] = {}
    for person in store.list(Participant):
        groups.setdefault(_key(person.name), []).append(person)
    return [people for people in groups.values() if len(people) > 1]


def without_organisation(store: Store) -> list[Participant]:
    """Participants with no organisation: the tie survey is closed to their phones (a tie
    starts at one's own organisation), so the dashboard lists them with the way out --
    their roster card, or a merge into their listed record."""
    return [p for p in store.list(Participant) if p.organisation_id is None]


@dataclass(frozen=True)
class MergeReport:
    kept: Participant
    moved: dict[str, int]
    """Rows moved to the kept participant, by table."""
    ballots_dropped: int
    """Ballots removed because both had voted in the same poll (the earlier one goes)."""


def _referencing() -> list[tuple[type[Record], str]]:
    return [
        (rtype, field)
        for rtype in schema.record_types()
        for field, table in rtype.references.items()
        if table == "participants"
    ]


def _clash(tx: Transaction, row: Record, field: str, keep_id: str) -> Record | None:
    """The kept participant's row that ``row`` would duplicate once moved, if any."""
    for fields in type(row).unique:
        if field not in fields:
            continue
        equal = {f: keep_id if f == field else getattr(row, f) for f in fields}
        if any(v is None for v in equal.values()):
            continue
        found = [r for r in tx.find(type(row), **equal) if r.id != row.id]
        if found:
            return found[0]
    return None


def _merge_attendance(tx: Transaction, drop_row: Attendance, keep_row: Attendance) -> None:
    """Both attended one session: one row stays; the dropped row's check-in moves over
    when the kept row has none."""
    theirs = tx.find(Checkin, attendance_id=drop_row.id)
    if theirs and not tx.find(Checkin, attendance_id=keep_row.id):
        tx.update(theirs[0].model_copy(update={"attendance_id": keep_row.id}))
    tx.delete(Attendance, drop_row.id)


def _merge_ballots(tx: Transaction, keep: Participant, drop: Participant) -> int:
    """One ballot per poll: where both voted, the later stays (by when each last voted
    in that poll); the other's moves to the kept participant. An anonymous poll still
    open is re-keyed through its secret; a closed one has no link left to follow."""
    dropped = 0
    for poll in tx.find(Poll):
        if poll.anonymous and poll.status != PollStatus.open:
            continue
        try:
            old_key, new_key = voter_key(tx, poll, drop.id), voter_key(tx, poll, keep.id)
        except SeparError:  # an anonymous poll moved here while open: no secret, no link
            continue
        theirs = tx.find(PollBallot, poll_id=poll.id, voter_key=old_key)
        if not theirs:
            continue
        mine = tx.find(PollBallot, poll_id=poll.id, voter_key=new_key)
        if mine:
            kind = f"ballot:{poll.id}"
            when_theirs = last_write(tx, drop.id, kind)
            when_mine = last_write(tx, keep.id, kind)
            later_is_theirs = when_theirs is not None and (
                when_mine is None or when_theirs > when_mine
            )
            tx.delete(PollBallot, (mine if later_is_theirs else theirs)[0].id)
            dropped += 1
            if not later_is_theirs:
                continue
        tx.update(theirs[0].model_copy(update={"voter_key": new_key}))
    return dropped


def merge_participants(store: Store, actor: Actor, keep_id: str, drop_id: str) -> MergeReport:
    """Merge participant ``drop_id`` into ``keep_id`` (facilitators only)."""
    require_facilitator(actor)
    if keep_id == drop_id:
        raise SeparError("merge_same")
    moved: dict[str, int] = {}
    with store.transaction() as tx:
        keep, drop = tx.get(Participant, keep_id), tx.get(Participant, drop_id)
        dropped = _merge_ballots(tx, keep, drop)
        for rtype, field in _referencing():
            for row in tx.find(rtype, **{field: drop.id}):
                clash = _clash(tx, row, field, keep.id)
                if isinstance(row, Attendance) and isinstance(clash, Attendance):
                    _merge_attendance(tx, row, clash)
                elif clash is not None:
                    tx.delete(rtype, row.id)  # the kept participant's row of the same kind wins
                else:
                    update: dict[str, object] = {field: keep.id}
                    if isinstance(row, AccessToken):  # the phone now shows the kept name
                        update["display_name"] = keep.name
                    tx.update(row.model_copy(update=update))
                    moved[rtype.table] = moved.get(rtype.table, 0) + 1
        for checkin in tx.find(Checkin, name=drop.name):
            rows = tx.find(Attendance, id=checkin.attendance_id)
            if rows and rows[0].participant_id == keep.id:
                tx.update(checkin.model_copy(update={"name": keep.name}))
        rename(tx, drop.id, keep.id)
        today = dt.date.today().isoformat()
        note = (
            f"{today} 병합: {drop.name} ({drop.id}) → 이 참여자; "
            f"옮긴 기록 {sum(moved.values())}건, 지운 중복 투표지 {dropped}장"
        )
        keep = tx.update(
            keep.model_copy(
                update={
                    "notes": f"{keep.notes}\n{note}" if keep.notes else note,
                    "organisation_id": keep.organisation_id or drop.organisation_id,
                }
            )
        )
        tx.delete(Participant, drop.id)
    return MergeReport(keep, moved, dropped)
