"""Who is on the other end of a live page: server-side tokens and the room's rules.

A phone proves who it is with a random token the server handed it when it joined;
the store keeps only the token's SHA-256 (a copied database or export gives nobody a
working link). An :class:`~separ.actors.Actor` is made from a token checked here and
nowhere else: widget state never names a participant.

The room's rules live in one :class:`LiveState` row -- which activity is live, for
which session, whether people may join anonymously or claim an existing name -- and
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
from separ.model import Participant, Session
from separ.records import NAME_MAX, Choice, Name, Record, RecordId
from separ.store import Store


class TokenRole(Choice):
    participant = "participant"
    facilitator = "facilitator"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {"participant": {"ko": "참여자", "en": "participant"},
                "facilitator": {"ko": "진행자", "en": "facilitator"}}

ANONYMOUS_PREFIX = "익명"

add_messages({
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
})
add_nouns({"access_token": {"ko": "참여 토큰", "en": "access token"},
           "live_state": {"ko": "진행 상태", "en": "live state"}})


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
        "allow_name_match": {"ko": "기존 이름으로 참여 허용",
                             "en": "joining as a listed name allowed"},
        "target_id": {"ko": "대상 ID (보드·투표·델파이)", "en": "target id (board, poll, study)"},
    }
    references: ClassVar[dict[str, str]] = {"session_id": "sessions"}
    noun: ClassVar[str] = "live_state"
    exported: ClassVar[bool] = False

    id: RecordId = "live"
    activity: str | None = Field(default=None, max_length=64)
    session_id: RecordId | None = None
    allow_anonymous: bool = False
    allow_name_match: bool = False
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
        tx.add(AccessToken(token_hash=token_hash(token), role=TokenRole.facilitator,
                           display_name=name))
    return token


def actor_for(store: Store, token: str | None) -> Actor | None:
    """The Actor a token stands for, or None for a missing, malformed or unknown token."""
    if not token or len(token) > 128:
        return None
    wanted = token_hash(token)
    found = store.list(AccessToken, token_hash=wanted)
    if not found or not hmac.compare_digest(found[0].token_hash, wanted):
        return None
    row = found[0]
    if row.role == TokenRole.facilitator:
        return Actor.facilitator_actor(row.display_name)
    return Actor(participant_id=row.participant_id, display_name=row.display_name,
                 token_id=row.id)


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


def join(store: Store, name: object = None, *, anonymous: bool = False) -> str:
    """A new participant token for a phone that joins with ``name`` (or anonymously).

    A name creates a Participant, unless the facilitator allows claiming a listed
    name and exactly one listed participant has it. ``name`` is typed ``object``
    because it comes from a browser: anything may arrive.
    """
    token = _new_token()
    with store.transaction() as tx:
        rules = tx.find(LiveState, id="live")
        state = rules[0] if rules else LiveState()
        if anonymous:
            if not state.allow_anonymous:
                raise SeparError("join_anonymous_closed")
            digest = token_hash(token)
            tx.add(AccessToken(token_hash=digest,
                               display_name=f"{ANONYMOUS_PREFIX}-{digest[:4]}"))
            return token
        cleaned = _clean_name(name)
        listed = tx.find(Participant, name=cleaned) if state.allow_name_match else []
        if len(listed) == 1:
            person = listed[0]
        else:
            person = tx.add(Participant(name=cleaned, notes="separ serve: joined on the day"))
        tx.add(AccessToken(token_hash=token_hash(token), participant_id=person.id,
                           display_name=person.name))
    return token


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


def set_live(store: Store, actor: Actor, activity: str | None,
             session_id: str | None = None, target_id: str | None = None) -> LiveState:
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
            update={"activity": activity, "session_id": session_id, "target_id": target})
        (tx.update if found else tx.add)(state)
    return state


def set_join_rules(store: Store, actor: Actor, *, allow_anonymous: bool,
                   allow_name_match: bool) -> LiveState:
    """Whether phones may join anonymously or as a listed name: facilitators only."""
    require_facilitator(actor)
    with store.transaction() as tx:
        found = tx.find(LiveState, id="live")
        state = (found[0] if found else LiveState()).model_copy(
            update={"allow_anonymous": bool(allow_anonymous),
                    "allow_name_match": bool(allow_name_match)})
        (tx.update if found else tx.add)(state)
    return state
