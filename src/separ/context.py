"""Context analysis: PEST(LE) and SWOT boards of notes, and TOWS strategies drawn from them.

The seed reports open with an environment analysis (PEST), then a SWOT from which
strategies are drawn (Seosan: "환경분석(PEST)에 기반한 주요 전략(SWOT 분석) 도출").
Participants post short notes on a board from their phones; the facilitator tidies
the board (edit, move, merge duplicates, hide, star, order) and pairs SWOT items
into SO/ST/WO/WT strategy candidates, which a poll can then rank.

Every write is a function taking the :class:`~separ.actors.Actor`: the browser may
send any value, so rights, categories, ``None`` and lengths are checked here.

Two link tables rather than JSON lists of ids:

- :class:`NoteMerge` records "note B was merged into note A". The merged note keeps
  its own author, so the survivor's authors are its own plus those of the notes merged
  into it -- both authors are kept without copying anyone. A column on the note
  itself would be a self-reference, which an import could not insert in file order.
- :class:`TowsLink` ties a strategy to the notes it came from, with a foreign key to
  each side: a strategy can never point at a note that does not exist, and the Excel
  sheet shows one readable row per link.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints

from separ.actors import Actor, require_facilitator
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, add_nouns
from separ.limits import spend
from separ.records import Choice, Name, Record, RecordId, Text
from separ.store import Store, Transaction
from separ.validation import choice_list

NOTE_MAX = 300
"""A note is a sticky note: one or two sentences (a phone screen, a projected card)."""
SOURCE_MAX = 500
CLUSTER_MAX = 60
STRATEGY_MAX = 400
NOTES_PER_AUTHOR = 40
"""Most notes one participant may keep on one board: a runaway phone cannot flood it."""
RATE_COUNT, RATE_SECONDS = 5, 30.0
"""At most 5 notes per 30 seconds from one actor (an honest person writes slower)."""


NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NOTE_MAX)
]
SourceText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SOURCE_MAX)
]
ClusterName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=CLUSTER_MAX)
]
StrategyText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=STRATEGY_MAX)
]


class BoardKind(Choice):
    pest = "pest"
    pestle = "pestle"
    swot = "swot"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "pest": {"ko": "PEST 환경분석", "en": "PEST analysis"},
            "pestle": {"ko": "PESTLE 환경분석", "en": "PESTLE analysis"},
            "swot": {"ko": "SWOT 분석", "en": "SWOT analysis"},
        }


class Category(Choice):
    political = "political"
    economic = "economic"
    social = "social"
    technological = "technological"
    legal = "legal"
    environmental = "environmental"
    strengths = "strengths"
    weaknesses = "weaknesses"
    opportunities = "opportunities"
    threats = "threats"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "political": {"ko": "정치", "en": "political"},
            "economic": {"ko": "경제", "en": "economic"},
            "social": {"ko": "사회", "en": "social"},
            "technological": {"ko": "기술", "en": "technological"},
            "legal": {"ko": "법", "en": "legal"},
            "environmental": {"ko": "환경", "en": "environmental"},
            "strengths": {"ko": "강점", "en": "strengths"},
            "weaknesses": {"ko": "약점", "en": "weaknesses"},
            "opportunities": {"ko": "기회", "en": "opportunities"},
            "threats": {"ko": "위협", "en": "threats"},
        }


C = Category
CATEGORIES: dict[BoardKind, tuple[Category, ...]] = {
    BoardKind.pest: (C.political, C.economic, C.social, C.technological),
    BoardKind.pestle: (
        C.political,
        C.economic,
        C.social,
        C.technological,
        C.legal,
        C.environmental,
    ),
    BoardKind.swot: (C.strengths, C.weaknesses, C.opportunities, C.threats),
}
"""The columns of each kind of board, in the order they are shown."""


class NoteStatus(Choice):
    new = "new"
    merged = "merged"
    hidden = "hidden"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "new": {"ko": "새 의견", "en": "new"},
            "merged": {"ko": "병합됨", "en": "merged"},
            "hidden": {"ko": "숨김", "en": "hidden"},
        }


class TowsKind(Choice):
    SO = "SO"
    ST = "ST"
    WO = "WO"
    WT = "WT"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "SO": {"ko": "SO 강점-기회", "en": "SO strengths-opportunities"},
            "ST": {"ko": "ST 강점-위협", "en": "ST strengths-threats"},
            "WO": {"ko": "WO 약점-기회", "en": "WO weaknesses-opportunities"},
            "WT": {"ko": "WT 약점-위협", "en": "WT weaknesses-threats"},
        }


TOWS_SIDES: dict[TowsKind, tuple[Category, Category]] = {
    TowsKind.SO: (C.strengths, C.opportunities),
    TowsKind.ST: (C.strengths, C.threats),
    TowsKind.WO: (C.weaknesses, C.opportunities),
    TowsKind.WT: (C.weaknesses, C.threats),
}
"""Each strategy kind pairs one internal category (S/W) with one external one (O/T)."""


class Board(Record):
    """One analysis board (a PEST or SWOT wall), optionally tied to a session."""

    table: ClassVar[str] = "context_boards"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "환경분석 보드", "en": "Context boards"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "kind": {"ko": "종류", "en": "kind"},
        "title": {"ko": "제목", "en": "title"},
        "session_id": {"ko": "회차 ID", "en": "session id"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("title",),)
    references: ClassVar[dict[str, str]] = {"session_id": "sessions"}
    noun: ClassVar[str] = "board"

    kind: BoardKind
    title: Name
    session_id: RecordId | None = None
    notes: Text | None = None


class Note(Record):
    """A sticky note on a board: a fact, a view or a statistic with its source."""

    table: ClassVar[str] = "context_notes"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "환경분석 의견", "en": "Context notes"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "board_id": {"ko": "보드 ID", "en": "board id"},
        "category": {"ko": "구분", "en": "category"},
        "text": {"ko": "내용", "en": "text"},
        "author_id": {"ko": "작성자 ID", "en": "author id"},
        "source": {"ko": "근거·출처", "en": "source / evidence"},
        "status": {"ko": "상태", "en": "status"},
        "cluster": {"ko": "묶음", "en": "cluster"},
        "starred": {"ko": "별표", "en": "starred"},
        "order": {"ko": "순서", "en": "order"},
    }
    references: ClassVar[dict[str, str]] = {
        "board_id": "context_boards",
        "author_id": "participants",
    }
    noun: ClassVar[str] = "note"

    board_id: RecordId
    category: Category
    text: NoteText
    author_id: RecordId | None = None
    """The participant who wrote it; None when anonymous or taken from a document."""
    source: SourceText | None = None
    status: NoteStatus = NoteStatus.new
    cluster: ClusterName | None = None
    starred: bool = False
    order: int = Field(default=0, ge=0, le=1_000_000)


class NoteMerge(Record):
    """``merged_id`` was folded into ``into_id`` as a duplicate (see the module docstring)."""

    table: ClassVar[str] = "context_note_merges"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "의견 병합", "en": "Note merges"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "into_id": {"ko": "남는 의견 ID", "en": "kept note id"},
        "merged_id": {"ko": "병합된 의견 ID", "en": "merged note id"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("merged_id",),)
    references: ClassVar[dict[str, str]] = {
        "into_id": "context_notes",
        "merged_id": "context_notes",
    }
    noun: ClassVar[str] = "note_merge"

    into_id: RecordId
    merged_id: RecordId


class TowsStrategy(Record):
    """A strategy candidate drawn from a SWOT board (SO/ST/WO/WT)."""

    table: ClassVar[str] = "tows_strategies"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "TOWS 전략", "en": "TOWS strategies"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "board_id": {"ko": "보드 ID", "en": "board id"},
        "kind": {"ko": "유형", "en": "kind"},
        "text": {"ko": "전략", "en": "strategy"},
        "order": {"ko": "순서", "en": "order"},
    }
    references: ClassVar[dict[str, str]] = {"board_id": "context_boards"}
    noun: ClassVar[str] = "strategy"

    board_id: RecordId
    kind: TowsKind
    text: StrategyText
    order: int = Field(default=0, ge=0, le=1_000_000)


class TowsLink(Record):
    """A strategy came (partly) from this note."""

    table: ClassVar[str] = "tows_links"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "TOWS 근거", "en": "TOWS links"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "strategy_id": {"ko": "전략 ID", "en": "strategy id"},
        "note_id": {"ko": "의견 ID", "en": "note id"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("strategy_id", "note_id"),)
    references: ClassVar[dict[str, str]] = {
        "strategy_id": "tows_strategies",
        "note_id": "context_notes",
    }
    noun: ClassVar[str] = "tows_link"

    strategy_id: RecordId
    note_id: RecordId


RECORDS: tuple[type[Record], ...] = (Board, Note, NoteMerge, TowsStrategy, TowsLink)

add_nouns(
    {
        "board": {"ko": "보드", "en": "board"},
        "note": {"ko": "의견", "en": "note"},
        "note_merge": {"ko": "의견 병합", "en": "note merge"},
        "strategy": {"ko": "전략", "en": "strategy"},
        "tows_link": {"ko": "전략 근거", "en": "strategy link"},
    }
)

add_messages(
    {
        "context_wrong_category": {
            "ko": "이 보드({board})에는 없는 구분입니다: {value} (가능한 값: {choices})",
            "en": "this board ({board}) has no category {value} (allowed: {choices})",
        },
        "context_empty": {"ko": "내용을 써 주세요", "en": "please write something"},
        "context_pick_category": {"ko": "구분을 골라 주세요", "en": "please pick a category"},
        "context_not_text": {"ko": "글자로 써 주세요", "en": "please send text"},
        "context_too_fast": {
            "ko": "너무 빨리 보내고 있습니다. 잠시 후 다시 보내 주세요",
            "en": "you are sending too fast; please wait a moment",
        },
        "context_too_many": {
            "ko": "이 보드에 한 사람이 쓸 수 있는 의견은 {limit}개까지입니다",
            "en": "one person can post at most {limit} notes on this board",
        },
        "context_not_active": {
            "ko": "이미 병합되었거나 숨긴 의견입니다: {value}",
            "en": "this note is merged or hidden: {value}",
        },
        "context_same_note": {
            "ko": "같은 의견끼리는 병합할 수 없습니다",
            "en": "a note cannot be merged into itself",
        },
        "context_other_board": {
            "ko": "다른 보드의 의견입니다: {value}",
            "en": "the note is on another board: {value}",
        },
        "context_not_swot": {
            "ko": "TOWS 전략은 SWOT 보드에서만 만들 수 있습니다",
            "en": "TOWS strategies are drawn from a SWOT board only",
        },
        "context_bad_pair": {
            "ko": "{kind} 전략은 {first} 의견과 {second} 의견을 하나 이상씩 이어야 합니다",
            "en": "a {kind} strategy links at least one {first} note and one {second} note",
        },
        "context_bad_order": {
            "ko": "순서는 이 구분의 의견을 모두 한 번씩 담아야 합니다",
            "en": "the order must list every note of the category exactly once",
        },
    }
)


# -- checking what a browser sent ------------------------------------------------------


def clean_text(value: object, limit: int, *, required: bool = True) -> str | None:
    """``value`` as stripped text within ``limit`` characters; refuses None and non-text."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise SeparError("context_not_text")
    out = value.strip()
    if not out:
        if required:
            raise SeparError("context_empty")
        return None
    if len(out) > limit:
        raise SeparError("too_long", length=len(out), limit=limit)
    return out


def board_category(board: Board, value: object) -> Category:
    """The category ``value`` names (code or label), if ``board``'s kind has it."""
    allowed = CATEGORIES[BoardKind(board.kind)]
    if value is None:
        raise SeparError("context_pick_category")
    code = Category.parse(value)
    if code not in {c.value for c in allowed}:
        choices = ", ".join(f"{c.value} ({c.label('ko')})" for c in allowed)
        raise SeparError(
            "context_wrong_category", board=board.title, value=str(value), choices=choices
        )
    return Category(code)


class RateLimit:
    """At most ``count`` events per ``seconds`` per key, in this process.

    The live server runs every participant in one process, so an in-memory window
    is enough to stop a script clicking "send" in a loop.
    """

    def __init__(self, count: int, seconds: float) -> None:
        self.count, self.seconds = count, seconds
        self._seen: dict[object, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, key: object, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            seen = self._seen[key]
            while seen and now - seen[0] >= self.seconds:
                seen.popleft()
            if len(seen) >= self.count:
                raise SeparError("context_too_fast")
            seen.append(now)


NOTE_RATE = RateLimit(RATE_COUNT, RATE_SECONDS)


def rate_key(actor: Actor) -> object:
    """Whose sending speed to count: a known participant by id; an anonymous one by the
    Actor object their page holds for its whole life (anonymous Actors may share a
    display name, and one slow room-wide bucket would block honest people)."""
    return ("participant", actor.participant_id) if actor.participant_id else ("page", id(actor))


# -- boards --------------------------------------------------------------------------------


def add_board(
    store: Store, actor: Actor, kind: object, title: object, session_id: str | None = None
) -> Board:
    require_facilitator(actor)
    code = BoardKind.parse(kind)
    if code not in {k.value for k in BoardKind}:
        raise SeparError("unknown_choice", value=str(kind), choices=choice_list(BoardKind))
    name = clean_text(title, 200)
    return store.add(Board(kind=BoardKind(code), title=name, session_id=session_id))


def boards(store: Store, kind: BoardKind | None = None) -> list[Board]:
    found = store.list(Board)
    return [b for b in found if kind is None or BoardKind(b.kind) == kind]


DEFAULT_TITLES: dict[BoardKind, dict[Lang, str]] = {
    BoardKind.pest: {"ko": "환경분석(PEST)", "en": "Environment analysis (PEST)"},
    BoardKind.swot: {"ko": "SWOT 분석", "en": "SWOT analysis"},
}


def default_boards(store: Store, actor: Actor, lang: Lang = "ko") -> tuple[Board, Board]:
    """The workshop's PEST(LE) and SWOT boards: the first of each kind, opened if missing.

    The workbook calls this so a facilitator starting a new workshop gets both boards
    without typing anything, and an existing workshop is left as it is.
    """
    pest = boards(store, BoardKind.pest) + boards(store, BoardKind.pestle)
    swot = boards(store, BoardKind.swot)
    if not pest:
        pest = [add_board(store, actor, BoardKind.pest, DEFAULT_TITLES[BoardKind.pest][lang])]
    if not swot:
        swot = [add_board(store, actor, BoardKind.swot, DEFAULT_TITLES[BoardKind.swot][lang])]
    return pest[0], swot[0]


# -- notes ---------------------------------------------------------------------------------


def _next_order(tx: Transaction, board_id: str, category: Category) -> int:
    notes = tx.find(Note, board_id=board_id, category=category)
    return max((n.order for n in notes), default=-1) + 1


def add_note(
    store: Store,
    actor: Actor,
    board_id: object,
    category: object,
    text: object,
    source: object = None,
) -> Note:
    """A participant (or the facilitator) posts a note; the author is the Actor's id."""
    if not isinstance(board_id, str):
        raise SeparError("not_found", what="board", value=str(board_id))
    body = clean_text(text, NOTE_MAX)
    evidence = clean_text(source, SOURCE_MAX, required=False)
    with store.transaction() as tx:
        board = tx.get(Board, board_id)
        cat = board_category(board, category)
        author = actor.participant_id
        if author is not None and not actor.facilitator:
            mine = tx.find(Note, board_id=board.id, author_id=author)
            if len(mine) >= NOTES_PER_AUTHOR:
                raise SeparError("context_too_many", limit=NOTES_PER_AUTHOR)
        if not actor.facilitator:
            NOTE_RATE.check(rate_key(actor))
        spend(tx, actor, "note")  # counted in the store: every tab and process, anonymous too
        note = Note(
            board_id=board.id,
            category=cat,
            text=body,
            author_id=author,
            source=evidence,
            order=_next_order(tx, board.id, cat),
        )
        return tx.add(note)


def _active(tx: Transaction, note_id: object) -> Note:
    if not isinstance(note_id, str):
        raise SeparError("not_found", what="note", value=str(note_id))
    note = tx.get(Note, note_id)
    if NoteStatus(note.status) != NoteStatus.new:
        raise SeparError("context_not_active", value=note.text[:30])
    return note


KEEP = object()
"""Passed for a field :func:`edit_note` should leave as it is (None clears it)."""


def edit_note(
    store: Store,
    actor: Actor,
    note_id: object,
    text: object,
    source: object = KEEP,
    cluster: object = KEEP,
) -> Note:
    """The facilitator rewrites a note (e.g. to merge two wordings into one); the source
    and cluster change only when given."""
    require_facilitator(actor)
    update: dict[str, object] = {"text": clean_text(text, NOTE_MAX)}
    if source is not KEEP:
        update["source"] = clean_text(source, SOURCE_MAX, required=False)
    if cluster is not KEEP:
        update["cluster"] = clean_text(cluster, CLUSTER_MAX, required=False)
    with store.transaction() as tx:
        note = _active(tx, note_id)
        return tx.update(note.model_copy(update=update))


def set_cluster(store: Store, actor: Actor, note_id: object, cluster: object) -> Note:
    require_facilitator(actor)
    group = clean_text(cluster, CLUSTER_MAX, required=False)
    with store.transaction() as tx:
        note = _active(tx, note_id)
        return tx.update(note.model_copy(update={"cluster": group}))


def move_note(store: Store, actor: Actor, note_id: object, category: object) -> Note:
    """Move a note to another category of its board (it goes to the end of that column)."""
    require_facilitator(actor)
    with store.transaction() as tx:
        note = _active(tx, note_id)
        board = tx.get(Board, note.board_id)
        cat = board_category(board, category)
        if cat == Category(note.category):
            return note
        moved = note.model_copy(update={"category": cat, "order": _next_order(tx, board.id, cat)})
        return tx.update(moved)


def merge_notes(store: Store, actor: Actor, into_id: object, merged_id: object) -> Note:
    """Fold ``merged_id`` into ``into_id`` as a duplicate; both authors stay credited.

    Notes already merged into ``merged_id`` follow it to the survivor, so the chain is
    always one step and :func:`note_authors` need not walk it.
    """
    require_facilitator(actor)
    if into_id == merged_id:
        raise SeparError("context_same_note")
    with store.transaction() as tx:
        keep = _active(tx, into_id)
        gone = _active(tx, merged_id)
        if gone.board_id != keep.board_id:
            raise SeparError("context_other_board", value=gone.text[:30])
        for earlier in tx.find(NoteMerge, into_id=gone.id):
            tx.update(earlier.model_copy(update={"into_id": keep.id}))
        tx.add(NoteMerge(into_id=keep.id, merged_id=gone.id))
        tx.update(gone.model_copy(update={"status": NoteStatus.merged}))
        starred = keep.starred or gone.starred
        return tx.update(keep.model_copy(update={"starred": starred}))


def hide_note(store: Store, actor: Actor, note_id: object, hidden: object = True) -> Note:
    """Hide a note from the boards and figures (or show it again); nothing is deleted."""
    require_facilitator(actor)
    if not isinstance(hidden, bool):
        raise SeparError("bad_value", detail=str(hidden))
    if not isinstance(note_id, str):
        raise SeparError("not_found", what="note", value=str(note_id))
    with store.transaction() as tx:
        note = tx.get(Note, note_id)
        status = NoteStatus(note.status)
        if status == NoteStatus.merged:
            raise SeparError("context_not_active", value=note.text[:30])
        wanted = NoteStatus.hidden if hidden else NoteStatus.new
        return tx.update(note.model_copy(update={"status": wanted}))


def star_note(store: Store, actor: Actor, note_id: object, starred: object = True) -> Note:
    require_facilitator(actor)
    if not isinstance(starred, bool):
        raise SeparError("bad_value", detail=str(starred))
    with store.transaction() as tx:
        note = _active(tx, note_id)
        return tx.update(note.model_copy(update={"starred": starred}))


def reorder_notes(
    store: Store, actor: Actor, board_id: object, category: object, note_ids: object
) -> list[Note]:
    """Set the order of one column: ``note_ids`` lists its active notes, each once."""
    require_facilitator(actor)
    if not isinstance(board_id, str):
        raise SeparError("not_found", what="board", value=str(board_id))
    if not isinstance(note_ids, (list, tuple)) or not all(isinstance(i, str) for i in note_ids):
        raise SeparError("context_bad_order")
    with store.transaction() as tx:
        board = tx.get(Board, board_id)
        cat = board_category(board, category)
        column = [
            n
            for n in tx.find(Note, board_id=board.id, category=cat)
            if NoteStatus(n.status) == NoteStatus.new
        ]
        by_id = {n.id: n for n in column}
        if len(note_ids) != len(by_id) or set(note_ids) != set(by_id):
            raise SeparError("context_bad_order")
        return [
            tx.update(by_id[i].model_copy(update={"order": pos})) for pos, i in enumerate(note_ids)
        ]


def move_note_by(store: Store, actor: Actor, note_id: object, step: int) -> list[Note]:
    """Move a note ``step`` places up (negative) or down its column: the ▲/▼ buttons."""
    require_facilitator(actor)
    with store.reading() as tx:
        note = _active(tx, note_id)
    column = [n.id for n in board_notes(store, note.board_id) if n.category == note.category]
    pos = column.index(note.id)
    target = max(0, min(len(column) - 1, pos + step))
    column.insert(target, column.pop(pos))
    return reorder_notes(store, actor, note.board_id, note.category, column)


# -- reading a board -------------------------------------------------------------------------


def board_notes(store: Store, board_id: str, *, include_hidden: bool = False) -> list[Note]:
    """The notes a board shows, column by column in order (merged ones never show)."""
    with store.reading() as tx:
        board = tx.get(Board, board_id)
        notes = tx.find(Note, board_id=board.id)
    shown = {NoteStatus.new} | ({NoteStatus.hidden} if include_hidden else set())
    rank = {c: i for i, c in enumerate(CATEGORIES[BoardKind(board.kind)])}
    keep = [n for n in notes if NoteStatus(n.status) in shown]
    return sorted(keep, key=lambda n: (rank[Category(n.category)], n.order))


SWOT_CODES: dict[Category, str] = {
    C.strengths: "S",
    C.weaknesses: "W",
    C.opportunities: "O",
    C.threats: "T",
}


def note_codes(store: Store, board_id: str) -> dict[str, str]:
    """S1, S2, W1 ... for the shown notes of a SWOT board, in board order: how the TOWS
    matrix and the pairing list cite notes."""
    counts: dict[Category, int] = {}
    out = {}
    for note in board_notes(store, board_id):
        cat = Category(note.category)
        counts[cat] = counts.get(cat, 0) + 1
        out[note.id] = f"{SWOT_CODES.get(cat, '')}{counts[cat]}"
    return out


def note_authors(store: Store, note_id: str) -> list[str]:
    """Participant ids credited for a note: its own author, then those merged into it."""
    with store.reading() as tx:
        note = tx.get(Note, note_id)
        merged = [tx.get(Note, m.merged_id) for m in tx.find(NoteMerge, into_id=note_id)]
    out: list[str] = []
    for n in [note, *merged]:
        if n.author_id and n.author_id not in out:
            out.append(n.author_id)
    return out


def merged_into(store: Store, note_id: str) -> list[Note]:
    """The notes folded into ``note_id`` (to show "+2" on its card)."""
    with store.reading() as tx:
        return [tx.get(Note, m.merged_id) for m in tx.find(NoteMerge, into_id=note_id)]


# -- TOWS ----------------------------------------------------------------------------------


def tows_kind_of(categories: Iterable[Category]) -> TowsKind:
    """The strategy kind a set of linked categories makes (S or W, with O or T)."""
    found = set(categories)
    internal = found & {C.strengths, C.weaknesses}
    external = found & {C.opportunities, C.threats}
    if len(internal) == 1 and len(external) == 1 and len(found) == 2:
        for kind, pair in TOWS_SIDES.items():
            if set(pair) == internal | external:
                return kind
    raise SeparError("context_bad_pair", kind="SO/ST/WO/WT", first="S/W", second="O/T")


def add_strategy(
    store: Store,
    actor: Actor,
    board_id: object,
    text: object,
    note_ids: object,
    kind: object = None,
) -> TowsStrategy:
    """Pair S/W notes with O/T notes of one SWOT board into a strategy candidate.

    ``kind`` may be left out: it follows from the linked notes. Given, it must agree
    with them (an "SO" strategy links strengths and opportunities, nothing else).
    """
    require_facilitator(actor)
    body = clean_text(text, STRATEGY_MAX)
    if not isinstance(board_id, str):
        raise SeparError("not_found", what="board", value=str(board_id))
    if (
        not isinstance(note_ids, (list, tuple))
        or not note_ids
        or not all(isinstance(i, str) for i in note_ids)
    ):
        raise SeparError("context_bad_pair", kind="SO/ST/WO/WT", first="S/W", second="O/T")
    wanted: TowsKind | None = None
    if kind is not None:
        code = TowsKind.parse(kind)
        if code not in {k.value for k in TowsKind}:
            raise SeparError("unknown_choice", value=str(kind), choices=choice_list(TowsKind))
        wanted = TowsKind(code)
    with store.transaction() as tx:
        board = tx.get(Board, board_id)
        if BoardKind(board.kind) != BoardKind.swot:
            raise SeparError("context_not_swot")
        notes = [_active(tx, i) for i in dict.fromkeys(note_ids)]
        for note in notes:
            if note.board_id != board.id:
                raise SeparError("context_other_board", value=note.text[:30])
        cats = [Category(n.category) for n in notes]
        if wanted is not None:
            first, second = TOWS_SIDES[wanted]
            if set(cats) != {first, second}:
                raise SeparError(
                    "context_bad_pair",
                    kind=wanted.value,
                    first=SWOT_CODES[first],
                    second=SWOT_CODES[second],
                )
        found = wanted or tows_kind_of(cats)
        order = len(tx.find(TowsStrategy, board_id=board.id))
        strategy = tx.add(TowsStrategy(board_id=board.id, kind=found, text=body, order=order))
        for note in notes:
            tx.add(TowsLink(strategy_id=strategy.id, note_id=note.id))
        return strategy


def delete_strategy(store: Store, actor: Actor, strategy_id: object) -> None:
    """Withdraw a candidate (its links go with it)."""
    require_facilitator(actor)
    if not isinstance(strategy_id, str):
        raise SeparError("not_found", what="strategy", value=str(strategy_id))
    with store.transaction() as tx:
        for link in tx.find(TowsLink, strategy_id=strategy_id):
            tx.delete(TowsLink, link.id)
        tx.delete(TowsStrategy, strategy_id)


@dataclass(frozen=True)
class Strategy:
    """A strategy with the notes it came from (for figures and views)."""

    record: TowsStrategy
    notes: tuple[Note, ...]


def strategies(store: Store, board_id: str | None = None) -> list[Strategy]:
    """Strategies in SO, ST, WO, WT then creation order, each with its linked notes."""
    with store.reading() as tx:
        found = (
            tx.find(TowsStrategy, order_by="order")
            if board_id is None
            else tx.find(TowsStrategy, order_by="order", board_id=board_id)
        )
        out = []
        for s in found:
            links = tx.find(TowsLink, strategy_id=s.id)
            out.append(Strategy(s, tuple(tx.get(Note, link.note_id) for link in links)))
    rank = {k: i for i, k in enumerate(TowsKind)}
    return sorted(out, key=lambda s: (rank[TowsKind(s.record.kind)], s.record.order))


def tows_candidates(store: Store) -> list[tuple[str, str, str]]:
    """``(strategy id, label, kind)`` for every TOWS strategy: what a poll turns into options.

    Neutral on purpose: the voting stage needs no import of this module's records,
    only these plain tuples (the label is "SO · text", kind the code "SO"/"ST"/...).
    """
    return [
        (
            s.record.id,
            f"{TowsKind(s.record.kind).value} · {s.record.text}",
            TowsKind(s.record.kind).value,
        )
        for s in strategies(store)
    ]


def category_labels(kind: BoardKind, lang: Lang) -> Sequence[tuple[str, str]]:
    """(label, code) pairs for a board's categories: options of a select widget."""
    return [(c.label(lang), c.value) for c in CATEGORIES[kind]]
