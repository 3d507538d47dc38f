"""Tokens and the room's rules: identity comes only from a token the server checks."""

from __future__ import annotations

import pytest

from separ.actors import Actor
from separ.errors import SeparError
from separ.model import Participant, Session, Workshop
from separ.store import Store
from separ.tokens import (
    AccessToken,
    TokenRole,
    actor_for,
    issue_facilitator_token,
    join,
    live_state,
    set_join_rules,
    set_live,
    token_hash,
)

FACILITATOR = Actor.facilitator_actor()
PARTICIPANT = Actor(participant_id="p1", display_name="김")


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    s.add(Workshop(title="T", region="서산시"))
    s.add(Session(id="s1", round=1))
    return s


def test_join_creates_participant_and_stores_only_a_hash(store: Store) -> None:
    token = join(store, "  박  지민 ")
    actor = actor_for(store, token)
    assert actor is not None and not actor.facilitator
    assert actor.display_name == "박 지민"
    assert store.get(Participant, actor.participant_id or "").name == "박 지민"
    rows = store.list(AccessToken)
    assert [r.token_hash for r in rows] == [token_hash(token)]
    assert token not in repr(rows)


@pytest.mark.parametrize("bad", [None, "", "   ", 3, ["x"], "가" * 201])
def test_join_refuses_what_is_not_a_name(store: Store, bad: object) -> None:
    with pytest.raises(SeparError):
        join(store, bad)
    assert store.list(AccessToken) == [] and store.list(Participant) == []


def test_unknown_or_malformed_tokens_give_no_actor(store: Store) -> None:
    join(store, "김")
    for token in [None, "", "nope", "x" * 500]:
        assert actor_for(store, token) is None


def test_anonymous_joining_only_when_allowed(store: Store) -> None:
    with pytest.raises(SeparError) as err:
        join(store, anonymous=True)
    assert err.value.key == "join_anonymous_closed"
    set_join_rules(store, FACILITATOR, allow_anonymous=True, allow_name_match=False)
    actor = actor_for(store, join(store, anonymous=True))
    assert actor is not None and actor.participant_id is None
    assert actor.display_name.startswith("익명-")
    assert store.list(Participant) == []


def test_listed_name_is_claimed_only_when_the_facilitator_allows(store: Store) -> None:
    store.add(Participant(id="p1", name="이영희"))
    first = actor_for(store, join(store, "이영희"))
    assert first is not None and first.participant_id != "p1"
    set_join_rules(store, FACILITATOR, allow_anonymous=False, allow_name_match=True)
    second = actor_for(store, join(store, "이영희"))
    # two people of that name are now listed: ambiguous, so a new participant again
    assert second is not None and second.participant_id not in ("p1", first.participant_id)
    store.add(Participant(id="p9", name="최"))
    third = actor_for(store, join(store, "최"))
    assert third is not None and third.participant_id == "p9"


def test_facilitator_token_replaces_the_previous_one(store: Store) -> None:
    old = issue_facilitator_token(store)
    new = issue_facilitator_token(store)
    assert actor_for(store, old) is None
    actor = actor_for(store, new)
    assert actor is not None and actor.facilitator
    assert len(store.list(AccessToken, role=TokenRole.facilitator)) == 1


def test_only_a_facilitator_changes_the_live_state(store: Store) -> None:
    before = store.revision()
    with pytest.raises(SeparError):
        set_live(store, PARTICIPANT, "checkin", "s1")
    with pytest.raises(SeparError):
        set_join_rules(store, PARTICIPANT, allow_anonymous=True, allow_name_match=True)
    assert store.revision() == before and live_state(store).activity is None
    set_live(store, FACILITATOR, "checkin", "s1")
    state = live_state(store)
    assert (state.activity, state.session_id) == ("checkin", "s1")
    with pytest.raises(SeparError):
        set_live(store, FACILITATOR, "no-such-activity", "s1")
    with pytest.raises(SeparError):
        set_live(store, FACILITATOR, "checkin", "s404")
    assert live_state(store).session_id == "s1"
    set_live(store, FACILITATOR, None)
    assert live_state(store).activity is None
