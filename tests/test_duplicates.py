"""Same-name participants flagged, and a merge that keeps one ballot per poll (the later),
all attendance, and an audit note."""

from __future__ import annotations

import pytest

from separ.actors import Actor
from separ.checkin import Checkin, check_in
from separ.duplicates import merge_participants, same_name_groups, without_organisation
from separ.errors import SeparError
from separ.model import Attendance, Organisation, Participant, Session, Workshop
from separ.polls import (
    PollBallot,
    PollOption,
    create_poll,
    my_ballot,
    open_poll,
    submit_ballot,
)
from separ.store import Store
from separ.tokens import actor_for, join, set_live

FAC = Actor.facilitator_actor()


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    with s.transaction() as tx:
        tx.add(Workshop(title="T", region="서산시"))
        tx.add(Session(id="s1", round=1))
        tx.add(Session(id="s2", round=2))
        tx.add(Organisation(id="o1", name="서산두레협동조합"))
        tx.add(Participant(id="p1", name="홍길동", organisation_id="o1"))
        tx.add(Participant(id="p2", name="김철수"))
    return s


def _options(store: Store, poll_id: str) -> list[str]:
    return [o.id for o in store.list(PollOption, order_by="position", poll_id=poll_id)]


def test_same_names_are_flagged(store: Store) -> None:
    assert same_name_groups(store) == []
    assert [p.id for p in without_organisation(store)] == ["p2"]
    join(store, "홍 길동")  # typed on a phone: a second 홍길동 (spaces ignored)
    join(store, "김철수")
    groups = same_name_groups(store)
    assert sorted(sorted(p.name for p in g) for g in groups) == [
        ["김철수", "김철수"],
        ["홍 길동", "홍길동"],
    ]
    # phones that typed a name have no organisation: the tie survey is closed to them
    assert sorted(p.name for p in without_organisation(store)) == ["김철수", "김철수", "홍 길동"]


def test_merge_keeps_the_later_ballot_all_attendance_and_notes_it(store: Store) -> None:
    listed = Actor(participant_id="p1", display_name="홍길동")
    token = join(store, "홍길동")
    phone = actor_for(store, token)
    assert phone is not None and phone.participant_id not in (None, "p1")
    drop_id = phone.participant_id or ""

    first = create_poll(store, FAC, "우선순위", "approval", options=["가", "나"])
    second = create_poll(store, FAC, "두 번째", "approval", options=["다", "라"])
    a, b = _options(store, first.id)
    c, _d = _options(store, second.id)
    open_poll(store, FAC, first.id)
    open_poll(store, FAC, second.id)
    submit_ballot(store, listed, first.id, {a: 1})  # earlier
    submit_ballot(store, phone, first.id, {b: 1})  # later: this one stays
    submit_ballot(store, phone, second.id, {c: 1})  # only the phone voted here
    set_live(store, FAC, "checkin", "s1")
    check_in(store, listed, "종이 명단으로 왔어요")
    check_in(store, phone, "폰으로 왔어요")
    store.add(Attendance(session_id="s2", participant_id=drop_id))  # came to round 2 as well

    report = merge_participants(store, FAC, "p1", drop_id)

    assert [p.id for p in store.list(Participant, name="홍길동")] == ["p1"]
    assert report.ballots_dropped == 1
    ballots = store.list(PollBallot)
    assert sorted((bl.poll_id, bl.voter_key) for bl in ballots) == sorted(
        [(first.id, "p1"), (second.id, "p1")]
    )
    assert my_ballot(store, listed, first.id) == {(b, None): 1.0}  # the later ballot
    assert my_ballot(store, listed, second.id) == {(c, None): 1.0}
    rows = store.list(Attendance, participant_id="p1")
    assert sorted(r.session_id for r in rows) == ["s1", "s2"]  # all attendance, one per session
    # both checked in to s1: one attendance row stays, with the kept one's line
    assert [(ch.session_id, ch.name, ch.line) for ch in store.list(Checkin)] == [
        ("s1", "홍길동", "종이 명단으로 왔어요")
    ]
    kept = store.get(Participant, "p1")
    assert kept.notes is not None and f"병합: 홍길동 ({drop_id})" in kept.notes
    assert "지운 중복 투표지 1장" in kept.notes and kept.organisation_id == "o1"
    # the phone that joined by typing is now p1's phone
    again = actor_for(store, token)
    assert again is not None and again.participant_id == "p1"


def test_only_a_facilitator_merges_and_never_into_itself(store: Store) -> None:
    before = store.revision()
    with pytest.raises(SeparError):
        merge_participants(store, Actor(participant_id="p1", display_name="홍길동"), "p1", "p2")
    with pytest.raises(SeparError) as err:
        merge_participants(store, FAC, "p1", "p1")
    assert err.value.key == "merge_same"
    with pytest.raises(SeparError):
        merge_participants(store, FAC, "p1", "p404")
    assert store.revision() == before and len(store.list(Participant)) == 2


def test_a_roster_only_poll_refuses_typed_names_until_merged(store: Store) -> None:
    from separ.polls import limit_to_roster

    token = join(store, "홍길동")
    typed = actor_for(store, token)
    assert typed is not None
    poll = create_poll(store, FAC, "명단 한정", "approval", options=["가", "나"])
    a, b = _options(store, poll.id)
    limit_to_roster(store, FAC, poll.id)
    open_poll(store, FAC, poll.id)
    with pytest.raises(SeparError) as err:
        submit_ballot(store, typed, poll.id, {a: 1})
    assert err.value.key == "poll_roster_only" and store.list(PollBallot) == []
    # the facilitator checks with the person and merges: the same phone now votes as p1
    merge_participants(store, FAC, "p1", typed.participant_id or "")
    phone = actor_for(store, token)
    assert phone is not None and phone.participant_id == "p1"
    submit_ballot(store, phone, poll.id, {b: 1})
    assert [bl.voter_key for bl in store.list(PollBallot)] == ["p1"]
    anonymous = create_poll(store, FAC, "무기명", "approval", options=["가", "나"], anonymous=True)
    with pytest.raises(SeparError) as err:
        limit_to_roster(store, FAC, anonymous.id)
    assert err.value.key == "poll_roster_anonymous"
