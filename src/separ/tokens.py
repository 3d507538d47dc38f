"""Who is on the other end of a live page: server-side tokens and the room's rules.

A phone proves who it is with a random token the server handed it when it joined;
the store keeps only the token's SHA-256 (a copied database or export gives nobody a
working link). An :class:`~separ.actors.Actor` is made from a token checked here and
nowhere else: widget state never names a participant.

The room's rules live in one :class:`LiveState` row -- which activity is live, for
which session, on which target, whether people may join anonymously -- and
only a facilitator changes them, so every server process and every page reads the
same truth from the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import ClassVar

from pydantic import Field

from separ.actors import Actor, require_facilitator
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, add_nouns
from separ.limits import spend_join
from separ.model import Participant, Session
from separ.records import NAME_MAX, Choice, Name, Record, RecordId
from separ.store import Store, Transaction


class TokenRole(Choice):
    participant = "participant"
    facilitator = "facilitator"
    projector = "projector"
    """View-only: the projector's key opens the projector page and nothing else."""
    card = "card"
    """A roster card's code: not a page's identity, only proof to claim a listed name."""

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "participant": {"ko": "참여자", "en": "participant"},
            "facilitator": {"ko": "진행자", "en": "facilitator"},
            "projector": {"ko": "프로젝터", "en": "projector"},
            "card": {"ko": "명단 카드", "en": "roster card"},
        }


ANONYMOUS_PREFIX = "익명"
JOINED_NOTE = "separ serve: joined on the day"
"""The note on a participant made by joining on a phone (not on the roster)."""

add_messages(
    {
        "join_name_needed": {
            "ko": "이름을 적어 주세요",
            "en": "please write your name",
        },
        "join_name_too_long": {
            "ko": "이름이 너무 깁니다 (최대 {limit}자)",
            "en": "the name is too long (at most {limit} characters)",
        },
        "join_anonymous_closed": {
            "ko": "이 워크숍은 이름을 적고 참여합니다",
            "en": "this workshop asks for your name",
        },
        "card_unknown": {
            "ko": "이 카드는 쓸 수 없습니다 (다시 발급되었거나 취소됨). 진행자에게 문의해 주세요",
            "en": "this card no longer works (re-issued or revoked); please ask the facilitator",
        },
        "card_not_listed": {
            "ko": "명단에 없는 참여자에게는 카드를 발급할 수 없습니다: {value}",
            "en": "cards are only for listed participants: {value}",
        },
        "token_unknown": {
            "ko": "참여 링크가 올바르지 않습니다. 처음 화면에서 다시 참여해 주세요",
            "en": "this link is not valid; please join again from the first page",
        },
        "unknown_activity": {
            "ko": "알 수 없는 활동입니다: {value}",
            "en": "unknown activity: {value}",
        },
        "live_target_unknown": {
            "ko": "{activity} 활동에 띄울 수 없는 대상입니다: {value}",
            "en": "not something the {activity} activity can show: {value}",
        },
        "live_target_missing": {
            "ko": "{activity} 활동에 띄울 대상이 없습니다. 먼저 만들거나 여세요",
            "en": "nothing to show for the {activity} activity yet: create or open one first",
        },
        "live_target_unused": {
            "ko": "{activity} 활동은 대상을 고르지 않습니다",
            "en": "the {activity} activity takes no target",
        },
    }
)
add_nouns(
    {
        "access_token": {"ko": "참여 토큰", "en": "access token"},
        "live_state": {"ko": "진행 상태", "en": "live state"},
    }
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class AccessToken(Record):
    """One token handed to one browser: a participant's, or the facilitator's."""

    table: ClassVar[str] = "access_tokens"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "참여토큰", "en": "Access tokens"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "token_hash": {"ko": "토큰 해시", "en": "token hash"},
        "role": {"ko": "역할", "en": "role"},
        "participant_id": {"ko": "참여자 ID", "en": "participant id"},
        "display_name": {"ko": "표시 이름", "en": "display name"},
        "created": {"ko": "발급 시각", "en": "issued at"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("token_hash",),)
    references: ClassVar[dict[str, str]] = {"participant_id": "participants"}
    exported: ClassVar[bool] = False
    noun: ClassVar[str] = "access_token"

    token_hash: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")
    role: TokenRole = TokenRole.participant
    participant_id: RecordId | None = None
    display_name: Name
    created: dt.datetime = Field(default_factory=_now)


class LiveState(Record):
    """The room right now: what the facilitator has put live (one row, id ``live``)."""

    table: ClassVar[str] = "live_state"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "진행상태", "en": "Live state"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "activity": {"ko": "진행 중인 활동", "en": "live activity"},
        "session_id": {"ko": "회차 ID", "en": "session id"},
        "allow_anonymous": {"ko": "익명 참여 허용", "en": "anonymous joining allowed"},
        "target_id": {"ko": "대상 ID (보드·투표·델파이)", "en": "target id (board, poll, study)"},
    }
    references: ClassVar[dict[str, str]] = {"session_id": "sessions"}
    noun: ClassVar[str] = "live_state"
    exported: ClassVar[bool] = False

    id: RecordId = "live"
    activity: str | None = Field(default=None, max_length=64)
    session_id: RecordId | None = None
    allow_anonymous: bool = False
    target_id: RecordId | None = None
    """The board, poll or Delphi study the activity runs on (which table depends on the
    activity, so it is checked by :func:`set_live`, not declared as a reference)."""


RECORDS: tuple[type[Record], ...] = (AccessToken, LiveState)


def token_hash(token: str) -> str:
    """What the store keeps of a token. Tokens are 192 random bits, so a plain hash is enough."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def issue_facilitator_token(store: Store, name: str = "진행자") -> str:
    """A fresh facilitator token; earlier ones stop working (``separ serve`` prints it)."""
    token = _new_token()
    with store.transaction() as tx:
        for old in tx.find(AccessToken, role=TokenRole.facilitator):
            tx.delete(AccessToken, old.id)
        tx.add(
            AccessToken(token_hash=token_hash(token), role=TokenRole.facilitator, display_name=name)
        )
    return token


def issue_projector_token(store: Store) -> str:
    """A fresh view-only projector key; earlier ones stop working (``separ serve`` makes
    one at every start). The projector's link may be seen by the room, so it must not be
    the facilitator's."""
    token = _new_token()
    with store.transaction() as tx:
        for old in tx.find(AccessToken, role=TokenRole.projector):
            tx.delete(AccessToken, old.id)
        tx.add(
            AccessToken(
                token_hash=token_hash(token), role=TokenRole.projector, display_name="프로젝터"
            )
        )
    return token


def _token_row(store: Store, token: str | None) -> AccessToken | None:
    if not token or len(token) > 128:
        return None
    wanted = token_hash(token)
    found = store.list(AccessToken, token_hash=wanted)
    if not found or not hmac.compare_digest(found[0].token_hash, wanted):
        return None
    return found[0]


def can_project(store: Store, token: str | None) -> bool:
    """Whether ``token`` may open the projector page: the projector key or the facilitator's."""
    row = _token_row(store, token)
    return row is not None and row.role in (TokenRole.projector, TokenRole.facilitator)


def actor_for(store: Store, token: str | None) -> Actor | None:
    """The Actor a token stands for, or None for a missing, malformed or unknown token.

    A projector key stands for nobody: it can only view (:func:`can_project`)."""
    row = _token_row(store, token)
    if row is None or row.role == TokenRole.projector:
        return None
    if row.role == TokenRole.facilitator:
        return Actor.facilitator_actor(row.display_name)
    if row.role == TokenRole.card:  # a card proves a name; it opens no page by itself
        return None
    return Actor(participant_id=row.participant_id, display_name=row.display_name, token_id=row.id)


def live_state(store: Store) -> LiveState:
    """The room's rules; a store nobody has set up yet has the defaults (nothing live)."""
    found = store.list(LiveState, id="live")
    return found[0] if found else LiveState()


def _clean_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise SeparError("join_name_needed")
    cleaned = " ".join(name.split())
    if len(cleaned) > NAME_MAX:
        raise SeparError("join_name_too_long", limit=NAME_MAX)
    return cleaned


ANONYMOUS_DIGITS = 10
"""Hex digits of an anonymous display name: 40 random bits, so two phones in a room never
share one (with 4 digits, 16 bits, they did: check-ins are shown by display name)."""


def join(
    store: Store, name: object = None, *, anonymous: bool = False, address: str | None = None
) -> str:
    """A new participant token for a phone that joins with ``name`` (or anonymously).

    A typed name always makes a new participant, even when it is a listed name: a name is
    not proof of who someone is. A listed person joins with their roster card
    (:func:`claim_card`), or the facilitator merges the new participant into the listed
    one (:func:`separ.duplicates.merge_participants`). ``name`` is typed ``object``
    because it comes from a browser: anything may arrive. ``address`` is the phone's network
    address: joins from one address are limited (:func:`separ.limits.spend_join`), counted
    in this transaction so that every server process shares the count; None (the CLI,
    a facilitator's tools) is not limited.
    """
    token = _new_token()
    with store.transaction() as tx:
        if address is not None:
            spend_join(tx, address)
        rules = tx.find(LiveState, id="live")
        state = rules[0] if rules else LiveState()
        if anonymous:
            if not state.allow_anonymous:
                raise SeparError("join_anonymous_closed")
            tx.add(
                AccessToken(
                    token_hash=token_hash(token),
                    display_name=f"{ANONYMOUS_PREFIX}-{secrets.token_hex(ANONYMOUS_DIGITS // 2)}",
                )
            )
            return token
        cleaned = _clean_name(name)
        person = tx.add(Participant(name=cleaned, notes=JOINED_NOTE))
        tx.add(
            AccessToken(
                token_hash=token_hash(token), participant_id=person.id, display_name=person.name
            )
        )
    return token


def listed(person: Participant) -> bool:
    """Whether ``person`` is on the roster (imported or entered before the day), not a
    participant a phone made by typing a name (until merged into a listed one)."""
    return person.notes != JOINED_NOTE


def _card_holders(tx: Transaction) -> list[Participant]:
    """Who gets a roster card: everyone listed, not phones that joined by typing."""
    return [p for p in tx.find(Participant) if listed(p)]


def _new_card(tx: Transaction, person: Participant) -> str:
    for old in tx.find(AccessToken, role=TokenRole.card, participant_id=person.id):
        tx.delete(AccessToken, old.id)
    code = _new_token()
    tx.add(
        AccessToken(
            token_hash=token_hash(code),
            role=TokenRole.card,
            participant_id=person.id,
            display_name=person.name,
        )
    )
    return code


def issue_cards(store: Store, actor: Actor) -> list[tuple[Participant, str]]:
    """A fresh roster card code for every listed participant (earlier cards stop working):
    facilitators only. The codes are shown once, on the printed cards (``separ cards``)."""
    require_facilitator(actor)
    with store.transaction() as tx:
        return [(person, _new_card(tx, person)) for person in _card_holders(tx)]


def reissue_card(store: Store, actor: Actor, participant_id: str) -> str:
    """A new card code for one listed participant; the old card and every phone that
    joined with it stop working (a lost card). Facilitators only: the dashboard's
    "카드 다시 발급" button calls this and shows the new code's QR (:func:`card_url`)."""
    require_facilitator(actor)
    with store.transaction() as tx:
        person = tx.get(Participant, participant_id)
        if person not in _card_holders(tx):
            raise SeparError("card_not_listed", value=person.name)
        _end_phones(tx, person.id)
        return _new_card(tx, person)


def revoke_card(store: Store, actor: Actor, participant_id: str) -> None:
    """Cancel one participant's card and log out every phone that joined with it."""
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Participant, participant_id)
        for old in tx.find(AccessToken, role=TokenRole.card, participant_id=participant_id):
            tx.delete(AccessToken, old.id)
        _end_phones(tx, participant_id)


def _end_phones(tx: Transaction, participant_id: str) -> None:
    for row in tx.find(AccessToken, role=TokenRole.participant, participant_id=participant_id):
        tx.delete(AccessToken, row.id)


def claim_card(store: Store, code: object, *, address: str | None = None) -> str:
    """A participant token for the person a roster card names: the card is the proof.
    ``address`` counts against the same per-address join limit as :func:`join`."""
    if not isinstance(code, str) or not code or len(code) > 128:
        raise SeparError("card_unknown")
    token = _new_token()
    with store.transaction() as tx:
        if address is not None:
            spend_join(tx, address)
        found = tx.find(AccessToken, token_hash=token_hash(code), role=TokenRole.card)
        if not found or found[0].participant_id is None:
            raise SeparError("card_unknown")
        person = tx.get(Participant, found[0].participant_id)
        tx.add(
            AccessToken(
                token_hash=token_hash(token), participant_id=person.id, display_name=person.name
            )
        )
    return token


def card_url(join_url: str, code: str) -> str:
    """The link a card's QR code opens (the participant server's ``/card/<code>``)."""
    return join_url.rstrip("/") + "/card/" + code


def live_target(store: Store, activity: str, target_id: object = None) -> str | None:
    """The checked target of ``activity``: ``target_id`` if the activity can run on it now,
    else, when None is given, the newest one it can run on.

    Raises when the activity takes no target but got one, when the target is not of the
    activity's kind (a poll id for a board), when it is not ready (a draft poll, a closed
    Delphi round) or when there is nothing to run on at all.
    """
    from separ import stages

    found = stages.activity(activity)
    if found is None:
        raise SeparError("unknown_activity", value=str(activity))
    name = found.label["ko"]
    if found.targets is None:
        if target_id is not None:
            raise SeparError("live_target_unused", activity=name)
        return None
    candidates = stages.list_targets(activity, store)
    if target_id is None:
        ready = [t for t in candidates if t.refusal is None]
        if not ready:
            raise SeparError("live_target_missing", activity=name)
        return ready[-1].id
    chosen = next((t for t in candidates if t.id == target_id), None)
    if chosen is None:
        raise SeparError("live_target_unknown", activity=name, value=str(target_id)[:64])
    if chosen.refusal is not None:
        raise SeparError(chosen.refusal)
    return chosen.id


def set_live(
    store: Store,
    actor: Actor,
    activity: str | None,
    session_id: str | None = None,
    target_id: str | None = None,
) -> LiveState:
    """Put ``activity`` live for ``session_id`` on ``target_id`` (None stops it; a None
    target takes the activity's default): facilitators only."""
    from separ import stages

    require_facilitator(actor)
    if activity is not None and stages.activity(activity) is None:
        raise SeparError("unknown_activity", value=str(activity))
    target = None if activity is None else live_target(store, activity, target_id)
    with store.transaction() as tx:
        if session_id is not None:
            tx.get(Session, session_id)
        found = tx.find(LiveState, id="live")
        state = (found[0] if found else LiveState()).model_copy(
            update={"activity": activity, "session_id": session_id, "target_id": target}
        )
        (tx.update if found else tx.add)(state)
    return state


def set_join_rules(store: Store, actor: Actor, *, allow_anonymous: bool) -> LiveState:
    """Whether phones may join anonymously: facilitators only. (A listed name is joined
    with the person's roster card, never by typing it: there is no rule for that.)"""
    require_facilitator(actor)
    with store.transaction() as tx:
        found = tx.find(LiveState, id="live")
        state = (found[0] if found else LiveState()).model_copy(
            update={"allow_anonymous": bool(allow_anonymous)}
        )
        (tx.update if found else tx.add)(state)
    return state
