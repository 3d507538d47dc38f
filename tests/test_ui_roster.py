"""The dashboard's roster panel used as a facilitator would: choose, click, confirm; then
what the store holds and what the panel shows."""

from __future__ import annotations

import base64
from urllib.parse import unquote

import pytest

from separ.actors import Actor
from separ.errors import SeparError
from separ.model import Organisation, Participant, Workshop
from separ.polls import PollBallot, PollOption, create_poll, open_poll, roster_only, submit_ballot
from separ.store import Store
from separ.tokens import AccessToken, TokenRole, actor_for, claim_card, issue_cards, join
from separ.ui.roster import RosterPanel

FAC = Actor.facilitator_actor()
JOIN = "http://192.168.0.10:8765"


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    with s.transaction() as tx:
        tx.add(Workshop(title="T", region="서산시"))
        tx.add(Organisation(id="o1", name="서산두레협동조합"))
        tx.add(Participant(id="p1", name="홍길동", organisation_id="o1"))
        tx.add(Participant(id="p2", name="김철수", organisation_id="o1"))
    return s


def test_a_stranger_gets_only_the_refusal(store: Store) -> None:
    panel = RosterPanel(store, Actor("p1", "홍길동"), join_url=JOIN)
    assert len(panel.children) == 1 and "진행자" in panel.children[0].value


def test_show_a_card_qr_then_it_joins_as_that_person_and_revoke_ends_it(store: Store) -> None:
    old = dict((p.id, code) for p, code in issue_cards(store, FAC))["p1"]
    phone = claim_card(store, old)
    panel = RosterPanel(store, FAC, join_url=JOIN)
    labels = dict(panel.person.options)
    assert labels == {"김철수 (서산두레협동조합) ✓": "p2", "홍길동 (서산두레협동조합) ✓": "p1"}
    panel.person.value = "p1"
    panel.show_qr.click()
    assert "홍길동 님의 새 카드를 발급했습니다" in panel.status.value
    assert "alt='홍길동 님의 참여 QR 코드'" in panel.qr.value
    assert panel.hide_qr.layout.display is None
    panel.hide_qr.click()
    assert panel.qr.value == "" and panel.hide_qr.layout.display == "none"
    assert panel.show_qr.layout.display is None  # each button has its own layout
    panel.show_qr.click()
    # the QR is a picture (its link is checked in test_the_qr_holds_the_card_link); here:
    # the old card and the phone that used it no longer work, one new card exists for p1
    src = panel.qr.value.split("src='")[1].split("'")[0]
    assert base64.b64decode(src.split(",", 1)[1]).startswith(b"<?xml")
    assert actor_for(store, phone) is None
    with pytest.raises(SeparError):
        claim_card(store, old)
    cards = store.list(AccessToken, role=TokenRole.card, participant_id="p1")
    assert len(cards) == 1
    panel.revoke.click()
    assert "홍길동 님의 카드를 취소했습니다" in panel.status.value
    assert panel.qr.value == ""
    assert store.list(AccessToken, role=TokenRole.card, participant_id="p1") == []
    assert dict(panel.person.options) == {
        "김철수 (서산두레협동조합) ✓": "p2",
        "홍길동 (서산두레협동조합)": "p1",
    }


def test_the_qr_holds_the_card_link(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    import separ.ui.roster as roster

    real = roster.qr_svg_uri
    monkeypatch.setattr(roster, "qr_svg_uri", lambda url: made.append(url) or real(url))
    panel = RosterPanel(store, FAC, join_url=JOIN + "/")
    panel.person.value = "p2"
    panel.show_qr.click()
    assert len(made) == 1 and made[0].startswith(JOIN + "/card/")
    token = claim_card(store, unquote(made[0].rsplit("/", 1)[1]))
    found = actor_for(store, token)
    assert found is not None and found.participant_id == "p2"


def test_no_join_address_no_qr_and_no_new_card(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SEPAR_PARTICIPANT_URL", raising=False)
    panel = RosterPanel(store, FAC)
    panel.person.value = "p1"
    panel.show_qr.click()
    assert "참여 주소를 알 수 없어" in panel.status.value and panel.qr.value == ""
    assert store.list(AccessToken, role=TokenRole.card) == []


def _vote(store: Store, token: str, poll_id: str, option: str) -> None:
    actor = actor_for(store, token)
    assert actor is not None
    submit_ballot(store, actor, poll_id, {option: 1})


def test_same_name_flagged_merged_after_confirmation(store: Store) -> None:
    poll = create_poll(store, FAC, "우선순위", "approval", options="센터\n공간")
    open_poll(store, FAC, poll.id)
    first, second = [o.id for o in store.list(PollOption, order_by="position", poll_id=poll.id)]
    typed = join(store, "홍 길동")  # a listed name typed on a phone: a new participant
    typed_id = actor_for(store, typed).participant_id  # type: ignore[union-attr]
    listed_phone = claim_card(store, dict((p.id, c) for p, c in issue_cards(store, FAC))["p1"])
    _vote(store, listed_phone, poll.id, first)
    _vote(store, typed, poll.id, second)  # the later ballot
    panel = RosterPanel(store, FAC, join_url=JOIN)
    assert "홍길동" in panel.same.value and "휴대폰에서 이름 입력" in panel.same.value
    assert panel.merge_box.layout.display is None
    # people without an organisation: the typed one, with why
    assert "홍 길동" in panel.no_org.value and "김철수" not in panel.no_org.value
    panel.keep.value, panel.drop.value = "p1", typed_id
    panel.merge.click()
    assert panel.confirm_box.layout.display is None
    assert "되돌릴 수 없습니다" in panel.confirm_text.value
    assert len(store.list(Participant)) == 3  # nothing merged before the confirmation
    panel.confirm.click()
    assert "합쳤습니다" in panel.status.value and "지운 중복 투표지 1장" in panel.status.value
    assert {p.id for p in store.list(Participant)} == {"p1", "p2"}
    ballots = store.list(PollBallot, poll_id=poll.id)
    assert len(ballots) == 1  # one ballot per poll: the later one, now p1's
    assert actor_for(store, typed).participant_id == "p1"  # type: ignore[union-attr]
    assert "이름이 같은 참여자가 없습니다" in panel.same.value
    assert panel.merge_box.layout.display == "none"
    assert "(아직 없습니다)" in panel.no_org.value
    assert "병합: 홍 길동" in store.list(Participant, id="p1")[0].notes


def test_cancel_keeps_both(store: Store) -> None:
    join(store, "김철수")
    panel = RosterPanel(store, FAC, join_url=JOIN)
    assert panel.keep.value != panel.drop.value
    panel.merge.click()
    panel.cancel.click()
    assert panel.confirm_box.layout.display == "none"
    assert len(store.list(Participant)) == 3


def test_merge_into_itself_is_refused(store: Store) -> None:
    join(store, "김철수")
    panel = RosterPanel(store, FAC, join_url=JOIN)
    panel.drop.value = panel.keep.value
    panel.merge.click()
    assert "합칠 수 없습니다" in panel.status.value
    assert panel.confirm_box.layout.display == "none"


def test_roster_only_switch_for_a_named_poll(store: Store) -> None:
    named = create_poll(store, FAC, "우선순위", "approval", options="센터\n공간")
    create_poll(store, FAC, "비밀", "approval", options="가\n나", anonymous=True)
    panel = RosterPanel(store, FAC, join_url=JOIN, lang="en")
    assert dict(panel.poll.options) == {"우선순위": named.id}  # anonymous polls not offered
    assert panel.only.value is False
    panel.only.value = True
    panel.save.click()
    assert roster_only(store, named.id)
    assert "Only listed people vote now in: 우선순위" in panel.status.value
    join(store, "someone")  # a phone writes: the unsaved state of the box is left alone
    panel.refresh()
    assert panel.only.value is True
    panel.only.value = False
    panel.save.click()
    assert not roster_only(store, named.id)
