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
    card_url,
    claim_card,
    issue_cards,
    issue_facilitator_token,
    join,
    live_state,
    reissue_card,
    revoke_card,
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
    set_join_rules(store, FACILITATOR, allow_anonymous=True)
    actor = actor_for(store, join(store, anonymous=True))
    assert actor is not None and actor.participant_id is None
    assert actor.display_name.startswith("익명-")
    assert store.list(Participant) == []


def test_a_typed_listed_name_is_never_that_person(store: Store) -> None:
    store.add(Participant(id="p1", name="이영희"))
    typed = actor_for(store, join(store, "이영희"))
    # typing a listed name makes a new participant, never p1
    assert typed is not None and typed.participant_id not in (None, "p1")
    assert len(store.list(Participant, name="이영희")) == 2


def test_two_anonymous_phones_get_different_names(store: Store) -> None:
    set_join_rules(store, FACILITATOR, allow_anonymous=True)
    names = set()
    for _ in range(300):
        actor = actor_for(store, join(store, anonymous=True))
        assert actor is not None
        names.add(actor.display_name)
    assert len(names) == 300 and all(len(n) == len("익명-") + 10 for n in names)


def test_a_roster_card_claims_its_name_and_can_be_reissued(store: Store) -> None:
    store.add(Participant(id="p1", name="이영희"))
    store.add(Participant(id="p2", name="박민수"))
    joined = actor_for(store, join(store, "새얼굴"))
    assert joined is not None
    with pytest.raises(SeparError):
        issue_cards(store, PARTICIPANT)
    cards = {person.id: code for person, code in issue_cards(store, FACILITATOR)}
    assert sorted(cards) == ["p1", "p2"]  # a phone that joined on the day gets no card
    assert actor_for(store, cards["p1"]) is None  # a card alone opens no page
    phone = actor_for(store, claim_card(store, cards["p1"]))
    assert phone is not None and phone.participant_id == "p1"
    assert phone.display_name == "이영희"
    for bad in (None, "", "x" * 500, cards["p1"][:-1] + "?", 7):
        with pytest.raises(SeparError) as err:
            claim_card(store, bad)
        assert err.value.key == "card_unknown"
    # a lost card: re-issued, the old card and the phone that used it stop working
    phone_token = claim_card(store, cards["p2"])
    new = reissue_card(store, FACILITATOR, "p2")
    assert actor_for(store, phone_token) is None
    with pytest.raises(SeparError):
        claim_card(store, cards["p2"])
    again = actor_for(store, claim_card(store, new))
    assert again is not None and again.participant_id == "p2"
    with pytest.raises(SeparError) as err:
        reissue_card(store, FACILITATOR, joined.participant_id or "")
    assert err.value.key == "card_not_listed"
    revoke_card(store, FACILITATOR, "p1")
    with pytest.raises(SeparError):
        claim_card(store, cards["p1"])
    assert card_url("http://room:8866/", "abc") == "http://room:8866/card/abc"


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
        set_join_rules(store, PARTICIPANT, allow_anonymous=True)
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
