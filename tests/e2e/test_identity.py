"""One person, one voice, in headless Chromium at 360×740: the join link opened again stays
one participant, a roster card joins as its person and a typed name does not, two
same-name participants are flagged and merged to one ballot per poll, and an anonymous
ballot's receipt verifies after close while the export's order is not the voting order. (The
dashboard's roster section -- a card's QR shown large, a typed duplicate merged after the
confirmation -- is clicked through in tests/e2e/test_console.py's session.)"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from separ.actors import Actor
from separ.document import write_json
from separ.duplicates import merge_participants, same_name_groups
from separ.model import Participant
from separ.polls import (
    PollBallot,
    PollOption,
    close_poll,
    create_poll,
    open_poll,
)
from separ.store import Store
from separ.tokens import actor_for, card_url, issue_cards, set_live
from tests.e2e.conftest import Served, shot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
FAC = Actor.facilitator_actor()
RECEIPT = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}")


def _join(browser: Any, served: Served, name: str) -> Any:
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(served.participant)
    page.get_by_label("이름").fill(name)
    page.get_by_label("이름").press("Enter")  # Enter on the phone keyboard submits
    page.get_by_text(f"{name} 님").wait_for(timeout=30_000)
    return page


def _live_poll(served: Served, title: str, *, anonymous: bool) -> tuple[str, list[str]]:
    with Store.open(served.folder) as store:
        poll = create_poll(
            store, FAC, title, "approval", options=["공동 판로", "교육 공간"], anonymous=anonymous
        )
        open_poll(store, FAC, poll.id)
        set_live(store, FAC, "voting", None, poll.id)
        labels = [o.label for o in store.list(PollOption, order_by="position", poll_id=poll.id)]
    return poll.id, labels


def _vote(page: Any, label: str) -> str:
    vote = page.get_by_role("button", name="투표하기")
    vote.wait_for(timeout=30_000)
    page.get_by_role("button", name=label, exact=True).click()
    vote.click()
    page.get_by_text("투표가 저장되었습니다").wait_for(timeout=30_000)
    return str(page.inner_text("body"))


def test_the_same_phone_stays_one_participant(served: Served, browser: Any) -> None:
    page = _join(browser, served, "홍길동")
    shot(page, "identity-joined-360")
    cookies = page.context.cookies()
    room = [c for c in cookies if c["name"].startswith("separ_")]
    assert room and room[0]["httpOnly"] and room[0]["expires"] > 0
    assert "?t=" not in page.url  # no token in the address bar or the history
    for _ in range(3):  # the join link opened again: its own page, never the form
        page.goto(served.participant)
        page.get_by_text("홍길동 님").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="참여하기").count() == 0
    refused = page.context.request.post(
        served.participant + "join", form={"name": "홍길동"}, max_redirects=0
    )
    assert refused.status == 409 and "이미" in refused.text()
    with Store.open(served.folder) as store:
        assert len(store.list(Participant, name="홍길동")) == 1


def test_a_card_joins_as_its_person_a_typed_name_does_not_and_merge(
    served: Served, browser: Any
) -> None:
    with Store.open(served.folder) as store:
        cards = {person.name: (person, code) for person, code in issue_cards(store, FAC)}
    person, code = cards["이원돈"]
    carded = browser.new_context(viewport=PHONE).new_page()
    carded.goto(card_url(served.participant, code))
    carded.get_by_text("이원돈 님").wait_for(timeout=30_000)
    typed = _join(browser, served, "이원돈")
    with Store.open(served.folder) as store:
        tokens = {c["name"]: c["value"] for c in carded.context.cookies()}
        card_actor = actor_for(store, next(v for k, v in tokens.items() if k.startswith("separ_")))
        tokens = {c["name"]: c["value"] for c in typed.context.cookies()}
        typed_actor = actor_for(store, next(v for k, v in tokens.items() if k.startswith("separ_")))
    assert card_actor is not None and card_actor.participant_id == person.id
    assert typed_actor is not None and typed_actor.participant_id != person.id

    poll_id, labels = _live_poll(served, "판로 우선순위", anonymous=False)
    _vote(carded, labels[0])
    _vote(typed, labels[1])  # later
    with Store.open(served.folder) as store:
        flagged = [g for g in same_name_groups(store) if g[0].name == "이원돈"]
        assert len(flagged) == 1 and len(flagged[0]) == 2
        assert len(store.list(PollBallot, poll_id=poll_id)) == 2
        report = merge_participants(store, FAC, person.id, typed_actor.participant_id or "")
        ballots = store.list(PollBallot, poll_id=poll_id)
        assert report.ballots_dropped == 1 and [b.voter_key for b in ballots] == [person.id]
        assert not [g for g in same_name_groups(store) if g[0].name == "이원돈"]
    # the typed phone is now 이원돈's phone, and shows the later ballot as theirs
    typed.reload()
    typed.get_by_text("이원돈 님").wait_for(timeout=30_000)
    typed.get_by_role("button", name="다시 투표하기 (앞의 투표를 바꿉니다)").wait_for(
        timeout=30_000
    )
    typed.get_by_role("button", name=f"✓ {labels[1]}", exact=True).wait_for(timeout=30_000)
    assert typed.get_by_role("button", name=labels[0], exact=True).count() == 1
    for page in (carded, typed):
        page.context.close()


def test_an_anonymous_receipt_verifies_after_close(
    served: Served, browser: Any, tmp_path: Any
) -> None:
    poll_id, labels = _live_poll(served, "무기명 우선순위", anonymous=True)
    phones = [_join(browser, served, name) for name in ("가온", "나래", "다솜", "라온")]
    receipts = []
    for n, page in enumerate(phones):
        page.get_by_text("무기명 투표: 이름이 저장되지 않습니다").wait_for(timeout=30_000)
        found = RECEIPT.search(_vote(page, labels[n % 2]))
        assert found is not None
        receipts.append(found.group(0))
    shot(phones[0], "identity-anonymous-receipt-360")
    with Store.open(served.folder) as store:
        close_poll(store, FAC, poll_id)
        write_json(store, tmp_path / "ws.json")
    doc = json.loads((tmp_path / "ws.json").read_text(encoding="utf-8"))
    exported = [b["id"] for b in doc["ballots"] if b["poll_id"] == poll_id]
    assert exported == sorted(receipts)  # receipt order: nothing of the voting order
    assert all(
        b["voter_key"].startswith("anon-") for b in doc["ballots"] if b["poll_id"] == poll_id
    )
    check = phones[1].context.new_page()
    check.goto(served.participant + "verify")
    check.get_by_label("확인번호").fill(receipts[1].lower())
    check.get_by_label("확인번호").press("Enter")
    check.get_by_text(f"{receipts[1]}: 집계에 포함되었습니다").wait_for(timeout=30_000)
    assert f"{labels[1]}: 1" in check.inner_text("body")
    shot(check, "identity-verify-360")
    for page in phones:
        page.context.close()
