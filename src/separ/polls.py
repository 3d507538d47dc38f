"""Polls: what the group votes on, the ballots, and the poll's life from draft to closed.

The seed's workshops chose priorities in rounds (서산 6회차 "중장기 전략의 우선순위 결정") and
rated tasks by importance (〈표 4-22〉 상/중상/중). A :class:`Poll` holds the question, the
counting method and its settings; :class:`PollOption` rows keep stable ids (hand-numbered
documents drift, see the digest §2.8) and may point at where they came from (a TOWS
strategy, an asset, an agenda item, a roadmap task). Counting is :mod:`separ.tally`'s job.

Trust rules enforced here, whatever a phone sends:

* only a facilitator creates, opens, closes, reveals, or enters paper ballots;
* a participant votes only while the poll is open, only as themselves (the :class:`Actor`),
  once: ``unique(poll_id, voter_key)``; resubmitting replaces the ballot in one transaction
  that also locks the poll row, so ballots and closing never interleave;
* an anonymous poll stores, instead of the participant id, a keyed hash of it. The key is
  a per-poll secret kept in the store's ``separ_meta`` table (never exported) and deleted
  when the poll closes: while voting, duplicates are still refused; after closing, nobody
  -- not even whoever holds the database -- can link a ballot to a person;
* an anonymous ballot's id is a random receipt code (:func:`receipt_code`, not derived
  from the person), kept when the ballot is replaced; the phone shows it. Closing the
  poll replaces every voter key by a random one and rewrites the ballots in receipt
  order, so neither the store nor an export keeps the voting order; afterwards anyone
  holding a code can look it up (:func:`verify_receipt`), and the report's annex lists
  every ballot by receipt (:func:`receipt_rows`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field, model_validator

from separ import tally
from separ.actors import Actor, require_facilitator
from separ.errors import Invalid, SeparError, nth
from separ.i18n import Lang, add_messages, add_nouns
from separ.limits import spend
from separ.model import Participant, Session
from separ.records import Choice, Line, Name, Record, RecordId, Text, new_id
from separ.store import Store, Transaction
from separ.tokens import listed
from separ.validation import build

if TYPE_CHECKING:
    import pandas as pd


class PollMethod(Choice):
    dots = "dots"
    approval = "approval"
    score = "score"
    criteria = "criteria"
    importance = "importance"
    borda = "borda"
    schulze = "schulze"
    irv = "irv"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "dots": {"ko": "스티커 투표", "en": "dot voting"},
            "approval": {"ko": "찬성 투표", "en": "approval voting"},
            "score": {"ko": "점수 투표", "en": "score voting"},
            "criteria": {"ko": "다기준 평가", "en": "multi-criteria scoring"},
            "importance": {"ko": "중요도 평가", "en": "importance rating"},
            "borda": {"ko": "순위 투표(보르다 점수)", "en": "ranked ballots (Borda count)"},
            "schulze": {"ko": "순위 투표(슐체 방식)", "en": "ranked ballots (Schulze method)"},
            "irv": {"ko": "순위 투표(즉석 결선)", "en": "ranked ballots (instant runoff)"},
        }


class PollStatus(Choice):
    draft = "draft"
    open = "open"
    closed = "closed"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "draft": {"ko": "준비 중", "en": "draft"},
            "open": {"ko": "투표 중", "en": "open"},
            "closed": {"ko": "마감", "en": "closed"},
        }


class OptionSource(Choice):
    """Where an option came from, so the roadmap can follow it back."""

    typed = "typed"
    tows = "tows"
    asset = "asset"
    agenda = "agenda"
    roadmap_task = "roadmap_task"
    note = "note"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "typed": {"ko": "직접 입력", "en": "typed"},
            "tows": {"ko": "TOWS 전략 후보", "en": "TOWS candidate"},
            "asset": {"ko": "자산", "en": "asset"},
            "agenda": {"ko": "의제", "en": "agenda item"},
            "roadmap_task": {"ko": "로드맵 과제", "en": "roadmap task"},
            "note": {"ko": "환경분석 의견", "en": "board note"},
        }


class BordaUnranked(Choice):
    average = "average"
    zero = "zero"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "average": {"ko": "남은 점수 나눔", "en": "share the remaining points"},
            "zero": {"ko": "0점", "en": "zero points"},
        }


class Poll(Record):
    table: ClassVar[str] = "polls"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "투표", "en": "Polls"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "title": {"ko": "제목", "en": "title"},
        "question": {"ko": "질문", "en": "question"},
        "method": {"ko": "방식", "en": "method"},
        "status": {"ko": "상태", "en": "status"},
        "results_revealed": {"ko": "결과 공개", "en": "results revealed"},
        "anonymous": {"ko": "무기명", "en": "anonymous"},
        "session_id": {"ko": "회차 ID", "en": "session id"},
        "dots": {"ko": "1인당 스티커 수", "en": "dots per voter"},
        "cap": {"ko": "선택지당 최대 스티커", "en": "max dots per option"},
        "score_min": {"ko": "최저 점수", "en": "lowest score"},
        "score_max": {"ko": "최고 점수", "en": "highest score"},
        "unranked": {"ko": "순위 밖 선택지 점수", "en": "points for unranked options"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    references: ClassVar[dict[str, str]] = {"session_id": "sessions"}
    noun: ClassVar[str] = "poll"

    title: Name
    question: Text | None = None
    method: PollMethod
    status: PollStatus = PollStatus.draft
    results_revealed: bool = False
    anonymous: bool = False
    session_id: RecordId | None = None
    dots: int = Field(default=3, ge=1, le=100)
    cap: int | None = Field(default=None, ge=1, le=100)
    score_min: int = Field(default=1, ge=-100, le=100)
    score_max: int = Field(default=5, ge=-100, le=100)
    unranked: BordaUnranked = BordaUnranked.average
    notes: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> Poll:
        if self.score_max <= self.score_min:
            raise Invalid("poll_score_range", low=self.score_min, high=self.score_max)
        return self


class PollCriterion(Record):
    """A criterion of a multi-criteria poll (시급성, 실현가능성, 파급효과 …) and its weight."""

    table: ClassVar[str] = "poll_criteria"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "투표 평가기준", "en": "Poll criteria"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "poll_id": {"ko": "투표 ID", "en": "poll id"},
        "name": {"ko": "기준", "en": "criterion"},
        "weight": {"ko": "가중치", "en": "weight"},
        "position": {"ko": "순서", "en": "position"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("poll_id", "name"),)
    references: ClassVar[dict[str, str]] = {"poll_id": "polls"}
    noun: ClassVar[str] = "criterion"

    poll_id: RecordId
    name: Name
    weight: float = Field(default=1.0, gt=0, le=1000)
    position: int = Field(default=0, ge=0)


class PollOption(Record):
    table: ClassVar[str] = "poll_options"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "투표 선택지", "en": "Poll options"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "poll_id": {"ko": "투표 ID", "en": "poll id"},
        "label": {"ko": "선택지", "en": "option"},
        "position": {"ko": "순서", "en": "position"},
        "source_kind": {"ko": "출처 종류", "en": "source kind"},
        "source_id": {"ko": "출처 ID", "en": "source id"},
        "description": {"ko": "설명", "en": "description"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("poll_id", "label"),)
    references: ClassVar[dict[str, str]] = {"poll_id": "polls"}
    noun: ClassVar[str] = "option"

    poll_id: RecordId
    label: Line
    position: int = Field(default=0, ge=0)
    source_kind: OptionSource = OptionSource.typed
    source_id: RecordId | None = None
    description: Text | None = None


class PollBallot(Record):
    """One voter's ballot, or a paper record the facilitator entered for ``voters`` people."""

    table: ClassVar[str] = "ballots"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "투표지", "en": "Ballots"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID(확인번호)", "en": "id (receipt)"},
        "poll_id": {"ko": "투표 ID", "en": "poll id"},
        "voter_key": {"ko": "투표자 키", "en": "voter key"},
        "paper": {"ko": "종이 투표", "en": "paper"},
        "voters": {"ko": "인원", "en": "voters"},
        "note": {"ko": "비고", "en": "note"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("poll_id", "voter_key"),)
    references: ClassVar[dict[str, str]] = {"poll_id": "polls"}
    noun: ClassVar[str] = "ballot"

    poll_id: RecordId
    voter_key: RecordId
    """The participant id; a keyed hash of it in an anonymous poll; ``paper-…`` for paper."""
    paper: bool = False
    voters: int = Field(default=1, ge=1, le=10000)
    note: Text | None = None


class BallotMark(Record):
    table: ClassVar[str] = "ballot_marks"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "투표 표시", "en": "Ballot marks"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "ballot_id": {"ko": "투표지 ID", "en": "ballot id"},
        "option_id": {"ko": "선택지 ID", "en": "option id"},
        "value": {"ko": "값", "en": "value"},
        "criterion_id": {"ko": "평가기준 ID", "en": "criterion id"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("ballot_id", "option_id", "criterion_id"),)
    references: ClassVar[dict[str, str]] = {
        "ballot_id": "ballots",
        "option_id": "poll_options",
        "criterion_id": "poll_criteria",
    }
    noun: ClassVar[str] = "mark"

    ballot_id: RecordId
    option_id: RecordId
    value: float
    criterion_id: RecordId | None = None


class RosterOnly(Record):
    """A named poll only listed participants may vote in (not phones that joined by typing
    a name, until the facilitator merges them into a listed person). A row of its own,
    so older stores need no migration; not exported (a rule for the live room)."""

    table: ClassVar[str] = "poll_roster_only"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "명단한정투표", "en": "Roster-only polls"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "poll_id": {"ko": "투표 ID", "en": "poll id"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("poll_id",),)
    references: ClassVar[dict[str, str]] = {"poll_id": "polls"}
    noun: ClassVar[str] = "roster_rule"
    exported: ClassVar[bool] = False

    poll_id: RecordId


RECORDS: tuple[type[Record], ...] = (
    Poll,
    PollCriterion,
    PollOption,
    PollBallot,
    BallotMark,
    RosterOnly,
)

add_nouns(
    {
        "roster_rule": {"ko": "명단 한정", "en": "roster-only rule"},
        "poll": {"ko": "투표", "en": "poll"},
        "criterion": {"ko": "평가기준", "en": "criterion"},
        "option": {"ko": "선택지", "en": "option"},
        "ballot": {"ko": "투표지", "en": "ballot"},
        "mark": {"ko": "투표 표시", "en": "ballot mark"},
    }
)

add_messages(
    {
        "poll_not_started": {
            "ko": "아직 투표가 시작되지 않았습니다",
            "en": "voting has not started yet",
        },
        "poll_closed": {
            "ko": "투표가 마감되어 더 이상 투표할 수 없습니다",
            "en": "voting is closed: no more ballots",
        },
        "poll_no_secret": {
            "ko": "이 무기명 투표는 다른 저장소에서 옮겨 와 온라인 투표를 받을 수 없습니다",
            "en": "this anonymous poll was moved from another store and takes no online ballots",
        },
        "poll_not_draft": {
            "ko": "투표가 시작된 뒤에는 선택지를 바꿀 수 없습니다",
            "en": "options can only change before voting starts",
        },
        "poll_cannot_open": {
            "ko": "준비 중인 투표만 시작할 수 있습니다",
            "en": "only a draft poll can be opened",
        },
        "poll_cannot_close": {
            "ko": "투표 중인 투표만 마감할 수 있습니다",
            "en": "only an open poll can be closed",
        },
        "poll_cannot_reveal": {
            "ko": "시작하지 않은 투표는 결과를 공개할 수 없습니다",
            "en": "a poll that never opened has no results to reveal",
        },
        "poll_few_options": {
            "ko": "선택지가 2개 이상 있어야 투표를 시작할 수 있습니다",
            "en": "a poll needs at least two options before it opens",
        },
        "poll_needs_identity": {
            "ko": "참여자로 접속해야 투표할 수 있습니다",
            "en": "only a signed-in participant can vote",
        },
        "poll_results_hidden": {
            "ko": "진행자가 결과를 공개하기 전입니다",
            "en": "the facilitator has not revealed the results yet",
        },
        "poll_no_lines": {
            "ko": "선택지를 한 줄에 하나씩 입력해 주세요",
            "en": "type the options, one per line",
        },
        "poll_roster_only": {
            "ko": "이 투표는 명단에 있는 참여자만 할 수 있습니다. 명단 카드로 참여하거나 진행자에게 "
            "확인을 받으세요",
            "en": "only listed participants vote in this poll: join with your roster card or "
            "ask the facilitator",
        },
        "poll_roster_anonymous": {
            "ko": "명단 한정은 기명 투표에만 쓸 수 있습니다",
            "en": "only a named poll can be limited to the roster",
        },
        "poll_not_paper": {
            "ko": "종이 투표지만 지울 수 있습니다",
            "en": "only paper ballots can be deleted",
        },
        "poll_no_ballots": {"ko": "아직 투표가 없습니다", "en": "no ballots yet"},
        "poll_reveal_open": {
            "ko": "투표가 아직 진행 중입니다: 마감한 뒤 공개하거나, 진행 중에 공개한다고 확인하세요",
            "en": "voting is still open: close it first, or confirm revealing while it is open",
        },
    }
)


def _secret_key(poll_id: str) -> str:
    return f"poll_secret:{poll_id}"[:64]


def _secret(tx: Transaction, poll_id: str) -> str | None:
    return tx.meta(_secret_key(poll_id))


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: a code is read off a phone and typed on another."""


def receipt_code() -> str:
    """A random receipt like ``K7QM-3XPA-ZC``: 50 bits, nothing of the voter or the time."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def voter_key(tx: Transaction, poll: Poll, participant_id: str) -> str:
    """What a ballot stores to tell voters apart: the id, or for an anonymous poll a keyed
    hash of it (HMAC-SHA256 with the poll's secret, 32 hex digits)."""
    if not poll.anonymous:
        return participant_id
    secret = _secret(tx, poll.id)
    if secret is None:  # opening made it; a poll imported while open has none
        raise SeparError("poll_no_secret")
    digest = hmac.new(secret.encode(), f"{poll.id}:{participant_id}".encode(), hashlib.sha256)
    return "anon-" + digest.hexdigest()[:32]


# -- creating ------------------------------------------------------------------------------


def parse_lines(text: str) -> list[str]:
    """Options pasted as one per line: blank lines dropped, bullets and numbers kept as typed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def create_poll(
    store: Store,
    actor: Actor,
    title: str,
    method: str | PollMethod,
    *,
    options: Iterable[str] | str = (),
    criteria: Mapping[str, float] | None = None,
    **settings: Any,
) -> Poll:
    """A new draft poll with its options (a list, or pasted text one per line) and, for
    multi-criteria scoring, its criteria and weights, in one transaction."""
    require_facilitator(actor)
    from separ.validation import build

    poll = build(Poll, {"title": title, "method": method, **settings})
    assert isinstance(poll, Poll)
    with store.transaction() as tx:
        if poll.session_id is not None:
            tx.get(Session, poll.session_id)
        tx.add(poll)
        for i, (name, weight) in enumerate((criteria or {}).items()):
            tx.add(
                build(
                    PollCriterion,
                    {"poll_id": poll.id, "name": name, "weight": weight, "position": i},
                    nth("criterion", i + 1),
                )
            )
        _add_options(tx, poll, options)
    return poll


def limit_to_roster(store: Store, actor: Actor, poll_id: str, limited: bool = True) -> None:
    """Let only listed participants vote in a named poll (or lift the limit)."""
    require_facilitator(actor)
    with store.transaction() as tx:
        poll = tx.get(Poll, poll_id)
        if poll.anonymous:
            raise SeparError("poll_roster_anonymous")
        found = tx.find(RosterOnly, poll_id=poll_id)
        if limited and not found:
            tx.add(RosterOnly(poll_id=poll_id))
        for row in found if not limited else []:
            tx.delete(RosterOnly, row.id)


def roster_only(store: Store, poll_id: str) -> bool:
    return bool(store.list(RosterOnly, poll_id=poll_id))


def _add_options(
    tx: Transaction,
    poll: Poll,
    options: Iterable[str] | str,
    source_kind: str = "typed",
    source_ids: Sequence[str | None] | None = None,
) -> list[PollOption]:
    labels = parse_lines(options) if isinstance(options, str) else list(options)
    start = len(tx.find(PollOption, poll_id=poll.id))
    added = []
    for i, label in enumerate(labels):
        data = {
            "poll_id": poll.id,
            "label": label,
            "position": start + i,
            "source_kind": source_kind,
            "source_id": source_ids[i] if source_ids else None,
        }
        added.append(tx.add(build(PollOption, data, nth("option", i + 1))))
    return added


def add_options(
    store: Store,
    actor: Actor,
    poll_id: str,
    options: Iterable[str] | str,
    *,
    source_kind: str = "typed",
    source_ids: Sequence[str | None] | None = None,
) -> list[PollOption]:
    """Add options to a draft poll: a list, or pasted text with one option per line."""
    require_facilitator(actor)
    if isinstance(options, str) and not parse_lines(options):
        raise SeparError("poll_no_lines")
    with store.transaction() as tx:
        poll = tx.get(Poll, poll_id)
        if poll.status != PollStatus.draft:
            raise SeparError("poll_not_draft")
        return _add_options(tx, poll, options, source_kind, source_ids)


# -- lifecycle -------------------------------------------------------------------------------


def _step(store: Store, actor: Actor, poll_id: str, step: str, confirm: bool = False) -> Poll:
    require_facilitator(actor)
    with store.transaction() as tx:
        poll = tx.get(Poll, poll_id)
        status = poll.status
        if step == "open" and status == PollStatus.draft:
            if len(tx.find(PollOption, poll_id=poll_id)) < 2:
                raise SeparError("poll_few_options")
            if poll.method == PollMethod.criteria and not tx.find(PollCriterion, poll_id=poll_id):
                raise SeparError("no_criteria")
            poll.status = PollStatus.open
            if poll.anonymous:
                tx.set_meta(_secret_key(poll_id), secrets.token_hex(32))
        elif step == "close" and status == PollStatus.open:
            poll.status = PollStatus.closed
            tx.set_meta(_secret_key(poll_id), None)
            if poll.anonymous:
                _unlink(tx, poll_id)
        elif step == "reveal" and status != PollStatus.draft:
            if status == PollStatus.open and confirm is not True:
                raise SeparError("poll_reveal_open")
            if not tx.find(PollBallot, poll_id=poll_id):
                raise SeparError("poll_no_ballots")
            poll.results_revealed = True
        else:
            raise SeparError(f"poll_cannot_{step}")
        return tx.update(poll)


def open_poll(store: Store, actor: Actor, poll_id: str) -> Poll:
    """Start voting (draft → open)."""
    return _step(store, actor, poll_id, "open")


def close_poll(store: Store, actor: Actor, poll_id: str) -> Poll:
    """Stop voting (open → closed, final). An anonymous poll's secret is destroyed."""
    return _step(store, actor, poll_id, "close")


def reveal_results(store: Store, actor: Actor, poll_id: str, *, confirm: bool = False) -> Poll:
    """Show the results to participants (hidden until now, against group-think).

    Only once there are ballots (no screen shows every option tied at zero), and after
    closing -- or, while voting goes on, with the facilitator's explicit ``confirm``:
    results seen mid-vote sway the people who have not voted yet.
    """
    return _step(store, actor, poll_id, "reveal", confirm)


def no_ballots(res: PollResults) -> bool:
    """Nothing to rank yet: views say "아직 투표가 없습니다" instead of a table of ties."""
    return res.voted == 0


def _unlink(tx: Transaction, poll_id: str) -> None:
    """Cut what is left between an anonymous poll's ballots and the people and the order
    they voted in: every online voter key becomes random, and ballots and marks are
    written again sorted by receipt (a store's and an export's row order was the voting
    order: whoever watched the projector's counter could match ballots to people)."""
    ballots = sorted(tx.find(PollBallot, poll_id=poll_id), key=lambda b: b.id)
    marks = {
        b.id: sorted(
            tx.find(BallotMark, ballot_id=b.id), key=lambda m: (m.option_id, m.criterion_id or "")
        )
        for b in ballots
    }
    for ballot in ballots:
        tx.delete(PollBallot, ballot.id)  # marks go with it (ON DELETE CASCADE)
    for ballot in ballots:
        key = ballot.voter_key if ballot.paper else "anon-" + secrets.token_hex(16)
        tx.add(ballot.model_copy(update={"voter_key": key}))
        for mark in marks[ballot.id]:
            tx.add(mark.model_copy(update={"id": new_id()}))


# -- ballots ---------------------------------------------------------------------------------

MarkInput = tally.Mark | tuple[str, object] | tuple[str, object, str | None]


def _marks(marks: Iterable[MarkInput] | Mapping[str, object]) -> tuple[tally.Mark, ...]:
    """Marks from ``{option_id: value}``, (option, value[, criterion]) tuples or Marks."""
    if isinstance(marks, Mapping):
        return tuple(tally.Mark(str(o), v) for o, v in marks.items())
    out = []
    for m in marks:
        if isinstance(m, tally.Mark):
            out.append(m)
        else:
            crit = m[2] if len(m) > 2 else None
            out.append(tally.Mark(str(m[0]), m[1], None if crit is None else str(crit)))
    return tuple(out)


@dataclass(frozen=True)
class Receipt:
    """What a voter is shown: their ballot's id (it appears in exports, so they can check it
    was counted, without their name) and whether it replaced an earlier ballot."""

    ballot_id: str
    replaced: bool


def rules_of(tx: Transaction, poll: Poll) -> tuple[tally.Rules, list[str]]:
    """The poll's counting rules and option ids (criteria keyed by their ids)."""
    options = [o.id for o in tx.find(PollOption, order_by="position", poll_id=poll.id)]
    crits = tx.find(PollCriterion, order_by="position", poll_id=poll.id)
    rules = tally.Rules(
        method=poll.method.value,
        dots=poll.dots,
        cap=poll.cap,
        low=poll.score_min,
        high=poll.score_max,
        unranked=poll.unranked.value,
        weights={c.id: Fraction(str(c.weight)) for c in crits},
    )
    return rules, options


def _write_ballot(
    tx: Transaction,
    poll: Poll,
    key: str,
    marks: tuple[tally.Mark, ...],
    *,
    paper: bool = False,
    voters: int = 1,
    note: str | None = None,
) -> Receipt:
    rules, options = rules_of(tx, poll)
    try:
        checked = tally.check(rules, options, tally.Ballot("", marks, voters))
    except SeparError as exc:
        raise _named(tx, poll, exc) from None
    old = tx.find(PollBallot, poll_id=poll.id, voter_key=key)
    for ballot in old:
        tx.delete(PollBallot, ballot.id)  # its marks go with it (ON DELETE CASCADE)
    # a replaced ballot keeps its receipt: the code the voter noted stays theirs
    code = old[0].id if old else receipt_code() if poll.anonymous and not paper else new_id()
    ballot = tx.add(
        build(
            PollBallot,
            {
                "id": code,
                "poll_id": poll.id,
                "voter_key": key,
                "paper": paper,
                "voters": voters,
                "note": note,
            },
        )
    )
    for (option, criterion), value in checked.items():
        if value or rules.method not in ("dots", "approval"):  # a score of 0 is a mark
            tx.add(
                BallotMark(
                    ballot_id=ballot.id,
                    option_id=option,
                    value=float(value),
                    criterion_id=criterion,
                )
            )
    return Receipt(ballot.id, bool(old))


def _named(tx: Transaction, poll: Poll, exc: SeparError) -> SeparError:
    """The same error with option and criterion ids replaced by what the voter sees."""
    names = {o.id: o.label for o in tx.find(PollOption, poll_id=poll.id)}
    names.update({c.id: c.name for c in tx.find(PollCriterion, poll_id=poll.id)})
    params = dict(exc.params)
    for key in ("option", "criterion"):
        value = params.get(key)
        if isinstance(value, str):
            params[key] = " / ".join(names.get(part, part) for part in value.split(" / "))
    return SeparError(exc.key, where=exc.place, **params)


def _require_open(poll: Poll) -> None:
    if poll.status == PollStatus.draft:
        raise SeparError("poll_not_started")
    if poll.status == PollStatus.closed:
        raise SeparError("poll_closed")


def submit_ballot(
    store: Store, actor: Actor, poll_id: str, marks: Iterable[MarkInput] | Mapping[str, object]
) -> Receipt:
    """Cast or replace ``actor``'s ballot. Everything is re-checked here: the poll is open,
    the voter is the Actor (never a widget value), every mark is valid for the method."""
    if actor.participant_id is None:
        raise SeparError("poll_needs_identity")
    parsed = _marks(marks)
    with store.transaction() as tx:
        poll = tx.get(Poll, poll_id)  # locks the poll row: ballots and closing serialise
        _require_open(poll)
        person = tx.get(Participant, actor.participant_id)
        if tx.find(RosterOnly, poll_id=poll.id) and not listed(person):
            raise SeparError("poll_roster_only")
        if not poll.anonymous:  # an anonymous ballot leaves no trace of who voted when
            spend(tx, actor, f"ballot:{poll.id}")
        return _write_ballot(tx, poll, voter_key(tx, poll, actor.participant_id), parsed)


def my_ballot(store: Store, actor: Actor, poll_id: str) -> dict[tuple[str, str | None], float]:
    """The actor's current marks (to show them again on their phone); {} if none."""
    if actor.participant_id is None:
        return {}
    with store.reading() as tx:
        poll = tx.get(Poll, poll_id)
        if poll.anonymous and poll.status != PollStatus.open:
            return {}  # the link is gone once the poll closes
        try:
            key = voter_key(tx, poll, actor.participant_id)
        except SeparError:  # an anonymous poll moved here while open: no ballot to show
            return {}
        found = tx.find(PollBallot, poll_id=poll_id, voter_key=key)
        if not found:
            return {}
        return {
            (m.option_id, m.criterion_id): m.value
            for m in tx.find(BallotMark, ballot_id=found[0].id)
        }


def enter_paper_ballots(
    store: Store,
    actor: Actor,
    poll_id: str,
    ballots: Iterable[Iterable[MarkInput] | Mapping[str, object]],
    *,
    voters: int = 1,
    note: str | None = None,
) -> list[Receipt]:
    """Facilitator: enter ballots cast on paper (hybrid rooms), all in one transaction.

    ``voters`` > 1 records one tally sheet standing for that many people (e.g. the dots on
    a wall chart), checked against ``voters`` times the per-person limits.
    """
    require_facilitator(actor)
    receipts = []
    with store.transaction() as tx:
        poll = tx.get(Poll, poll_id)
        if poll.status == PollStatus.draft:
            raise SeparError("poll_not_started")
        for i, marks in enumerate(ballots, start=1):
            key = f"paper-{new_id()}"
            try:
                receipts.append(
                    _write_ballot(
                        tx, poll, key, _marks(marks), paper=True, voters=voters, note=note
                    )
                )
            except SeparError as exc:
                raise SeparError(exc.key, where=nth("ballot", i), **exc.params) from None
    return receipts


def parse_paper(store: Store, poll_id: str, text: str) -> list[list[tally.Mark]]:
    """Paper ballots typed one per line, options by their labels:
    ``센터 운영=2, 독립 공간=1`` (a value per option; ``option/criterion=value`` for
    multi-criteria), or for ranked ballots ``센터 운영 > 독립 공간 > 공공구매``."""
    with store.reading() as tx:
        poll = tx.get(Poll, poll_id)
        by_label = {o.label: o.id for o in tx.find(PollOption, poll_id=poll_id)}
        by_name = {c.name: c.id for c in tx.find(PollCriterion, poll_id=poll_id)}
    ballots = []
    for number, line in enumerate(parse_lines(text), start=1):
        marks = []
        if ">" in line and poll.method.value in tally.RANKED:
            for rank, label in enumerate(line.split(">"), start=1):
                marks.append(tally.Mark(by_label.get(label.strip(), label.strip()), rank))
        else:
            for entry in line.replace(";", ",").split(","):
                if not entry.strip():
                    continue
                name, _, value = entry.partition("=")
                label, _, criterion = name.partition("/")
                crit = by_name.get(criterion.strip(), criterion.strip()) or None
                try:
                    parsed: object = Fraction(value.strip())
                except ValueError:
                    parsed = value.strip() or None
                marks.append(tally.Mark(by_label.get(label.strip(), label.strip()), parsed, crit))
        if not marks:
            raise SeparError("ballot_empty", where=nth("ballot", number))
        ballots.append(marks)
    if not ballots:
        raise SeparError("ballot_empty")
    return ballots


def delete_paper_ballot(store: Store, actor: Actor, ballot_id: str) -> None:
    """Facilitator: remove a mistyped paper ballot (online ballots are the voters' own)."""
    require_facilitator(actor)
    with store.transaction() as tx:
        ballot = tx.get(PollBallot, ballot_id)
        if not ballot.paper:
            raise SeparError("poll_not_paper")
        tx.delete(PollBallot, ballot_id)


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptCheck:
    """What anyone holding a receipt code sees once the poll is closed: that the ballot
    is in the count, and its marks (option label, criterion name or None, value)."""

    poll_id: str
    poll_title: str
    code: str
    marks: tuple[tuple[str, str | None, float], ...]


def _labelled(tx: Transaction, ballot: PollBallot) -> tuple[tuple[str, str | None, float], ...]:
    options = {o.id: o for o in tx.find(PollOption, poll_id=ballot.poll_id)}
    crits = {c.id: c.name for c in tx.find(PollCriterion, poll_id=ballot.poll_id)}
    marks = tx.find(BallotMark, ballot_id=ballot.id)
    marks.sort(key=lambda m: (options[m.option_id].position, m.criterion_id or ""))
    return tuple(
        (options[m.option_id].label, crits.get(m.criterion_id or ""), m.value) for m in marks
    )


def verify_receipt(store: Store, code: object) -> ReceiptCheck | None:
    """The closed anonymous poll's ballot with receipt ``code`` (spaces, dashes and case
    forgiven), or None. Nothing is shown while the poll is open."""
    if not isinstance(code, str) or len(code) > 32:
        return None
    raw = "".join(ch for ch in code.upper() if ch in RECEIPT_ALPHABET)
    if len(raw) != 10:
        return None
    wanted = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    with store.reading() as tx:
        found = tx.find(PollBallot, id=wanted)
        if not found:
            return None
        poll = tx.get(Poll, found[0].poll_id)
        if not poll.anonymous or poll.status != PollStatus.closed:
            return None
        return ReceiptCheck(poll.id, poll.title, wanted, _labelled(tx, found[0]))


def receipt_rows(store: Store, poll_id: str) -> list[ReceiptCheck]:
    """Every online ballot of a closed anonymous poll, sorted by receipt code (the order
    reveals nothing): the report annex's ballot list, where each voter finds their code.
    Empty for a named or still open poll."""
    with store.reading() as tx:
        poll = tx.get(Poll, poll_id)
        if not poll.anonymous or poll.status != PollStatus.closed:
            return []
        ballots = sorted(
            (b for b in tx.find(PollBallot, poll_id=poll_id) if not b.paper), key=lambda b: b.id
        )
        return [ReceiptCheck(poll.id, poll.title, b.id, _labelled(tx, b)) for b in ballots]


def receipt_csv(rows: Sequence[ReceiptCheck]) -> str:
    """The receipts as the long CSV ``separ tally --ballots`` reads (voter = receipt)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    with_criteria = any(criterion for row in rows for _o, criterion, _v in row.marks)
    writer.writerow(["voter", "option", "value", *(["criterion"] if with_criteria else [])])
    for row in rows:
        for option, criterion, value in row.marks:
            number = int(value) if float(value).is_integer() else value
            writer.writerow(
                [row.code, option, number, *([criterion or ""] if with_criteria else [])]
            )
    return out.getvalue()


@dataclass(frozen=True)
class PollResults:
    poll: Poll
    options: dict[str, PollOption]
    criteria: dict[str, PollCriterion]
    rules: tally.Rules
    ballots: tuple[tally.Ballot, ...]
    result: tally.Result
    views: dict[str, tally.Result]
    """The same ballots counted every applicable way (:func:`tally.robustness`)."""
    moved: set[str]
    spreads: list[tally.Spread]
    online: int
    paper: int
    """Voters on paper (a tally sheet counts its ``voters``)."""
    eligible: int | None
    """Attendance of the poll's session, else the workshop's participants (research team
    excluded); None when neither is known."""

    def label(self, option_id: str) -> str:
        return self.options[option_id].label

    @property
    def voted(self) -> int:
        return self.online + self.paper


def _eligible(tx: Transaction, poll: Poll) -> int | None:
    from separ.model import Attendance, Group

    if poll.session_id:
        rows = tx.find(Attendance, session_id=poll.session_id)
        if rows:
            group_of = {p.id: p.group for p in tx.find(Participant)}
            return sum(
                r.headcount
                for r in rows
                if (r.group or group_of.get(r.participant_id or "")) != Group.research
            )
    people = [p for p in tx.find(Participant) if p.group != Group.research]
    return len(people) or None


def load_ballots(tx: Transaction, poll_id: str) -> list[tuple[PollBallot, tally.Ballot]]:
    out = []
    for ballot in tx.find(PollBallot, poll_id=poll_id):
        marks = tuple(
            tally.Mark(m.option_id, Fraction(str(m.value)), m.criterion_id)
            for m in tx.find(BallotMark, ballot_id=ballot.id)
        )
        out.append((ballot, tally.Ballot(ballot.id, marks, ballot.voters)))
    return out


def results(store: Store, actor: Actor, poll_id: str) -> PollResults:
    """Count a poll. Participants see results only once the facilitator revealed them."""
    with store.reading() as tx:
        poll = tx.get(Poll, poll_id)
        if not (actor.facilitator or poll.results_revealed):
            raise SeparError("poll_results_hidden")
        rules, option_ids = rules_of(tx, poll)
        options = {o.id: o for o in tx.find(PollOption, poll_id=poll_id)}
        crits = {c.id: c for c in tx.find(PollCriterion, poll_id=poll_id)}
        pairs = load_ballots(tx, poll_id)
        eligible = _eligible(tx, poll)
    ballots = tuple(b for _, b in pairs)
    views = tally.robustness(rules, option_ids, ballots)
    return PollResults(
        poll=poll,
        options=options,
        criteria=crits,
        rules=rules,
        ballots=ballots,
        result=views[rules.method],
        views=views,
        moved=tally.moved(views),
        spreads=tally.spreads(rules, option_ids, ballots),
        online=sum(b.voters for b, _ in pairs if not b.paper),
        paper=sum(b.voters for b, _ in pairs if b.paper),
        eligible=eligible,
    )


def ranking_frame(res: PollResults, lang: Lang = "ko") -> pd.DataFrame:
    """The result as a table: rank, option, score, and every other reading side by side."""
    import pandas as pd

    spread = {s.option: s for s in res.spreads}
    rows = []
    for place in res.result.ranking:
        row: dict[str, object] = {
            COLUMNS["rank"][lang]: place.rank,
            COLUMNS["option"][lang]: res.label(place.option),
            COLUMNS["score"][lang]: tally.number(place.score),
        }
        for name, view in res.views.items():
            if name != res.rules.method:
                row[RANK_BY[lang].format(view_name(name, lang))] = view.place(place.option).rank
        if spread:
            row[COLUMNS["sd"][lang]] = spread[place.option].sd
            row[COLUMNS["contested"][lang]] = spread[place.option].contested
        row[COLUMNS["moved"][lang]] = place.option in res.moved
        rows.append(row)
    return pd.DataFrame(rows)


COLUMNS: dict[str, dict[Lang, str]] = {
    "rank": {"ko": "순위", "en": "rank"},
    "option": {"ko": "선택지", "en": "option"},
    "score": {"ko": "점수", "en": "score"},
    "sd": {"ko": "표준편차", "en": "std. dev."},
    "contested": {"ko": "의견 갈림", "en": "contested"},
    "moved": {"ko": "방식에 따라 순위 변동", "en": "place depends on method"},
}

RANK_BY: dict[Lang, str] = {"ko": "순위: {}", "en": "rank by {}"}

VIEW_NAMES: dict[str, dict[Lang, str]] = {
    **{m: PollMethod.labels()[m] for m in tally.METHODS},
    "plurality": {"ko": "1순위 득표", "en": "first preferences"},
    "median": {"ko": "중앙값", "en": "median"},
    "pairwise": {"ko": "쌍대 비교(슐체)", "en": "pairwise (Schulze)"},
    "unweighted": {"ko": "가중치 없이", "en": "unweighted"},
    "voters": {"ko": "스티커 준 사람 수", "en": "voters giving a dot"},
}


def view_name(name: str, lang: Lang) -> str:
    return VIEW_NAMES[name][lang]


def ranking_frames(store: Store, lang: Lang = "ko") -> dict[str, pd.DataFrame]:
    """Every poll's ranking table, keyed by poll id (for researchers and reports)."""
    facilitator = Actor.facilitator_actor()
    return {p.id: ranking_frame(results(store, facilitator, p.id), lang) for p in store.list(Poll)}


# -- carry-over ------------------------------------------------------------------------------


def carry_over(store: Store, poll_id: str, top: int | None = None) -> list[dict[str, Any]]:
    """The poll's options in result order, in a neutral form the roadmap stage can turn
    into strategies or tasks: priority (the shared rank), score, where the option came
    from, and the vote record (method, counts, turnout, ties, other readings).

    ``top`` keeps the options ranked within the first ``top`` places (ties included).
    """
    res = results(store, Actor.facilitator_actor(), poll_id)
    record = {
        "poll_id": res.poll.id,
        "poll_title": res.poll.title,
        "method": res.rules.method,
        "status": res.poll.status.value,
        "ballots": res.result.ballots,
        "online": res.online,
        "paper": res.paper,
        "eligible": res.eligible,
        "winner": res.result.winner,
        "tied_rounds": len(res.result.tied_rounds()),
    }
    out = []
    for place in res.result.ranking:
        if top is not None and place.rank > top:
            continue
        option = res.options[place.option]
        out.append(
            {
                "option_id": option.id,
                "label": option.label,
                "source_kind": option.source_kind.value,
                "source_id": option.source_id,
                "priority": place.rank,
                "score": tally.number(place.score),
                "other_methods": {
                    n: v.place(place.option).rank
                    for n, v in res.views.items()
                    if n != res.rules.method
                },
                "contested": any(s.contested for s in res.spreads if s.option == option.id),
                "vote": record,
            }
        )
    return out
