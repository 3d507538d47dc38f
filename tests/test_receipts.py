"""Auditable anonymity: receipt codes, an export order that reveals nothing, verification
after close, and ``separ tally`` reproducing the count from the receipts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from separ.actors import Actor
from separ.document import write_json
from separ.model import Participant, Workshop
from separ.polls import (
    PollBallot,
    PollOption,
    close_poll,
    create_poll,
    open_poll,
    receipt_csv,
    receipt_rows,
    results,
    submit_ballot,
    verify_receipt,
)
from separ.store import Store
from tests.separ_cli import run as separ_run

FAC = Actor.facilitator_actor()
CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}$")


def person(n: int) -> Actor:
    return Actor(participant_id=f"p{n}", display_name=f"참여자{n}")


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    with s.transaction() as tx:
        tx.add(Workshop(title="무기명 연습", region="서산시"))
        for i in range(8):
            tx.add(Participant(id=f"p{i}", name=f"참여자{i}"))
    return s


def _vote(store: Store) -> tuple[str, list[str], list[str]]:
    """8 voters of a dot poll (2 dots); returns poll id, option ids, receipts by voting order."""
    poll = create_poll(
        store,
        FAC,
        "무기명 우선순위",
        "dots",
        options=["판로", "공간", "교육"],
        anonymous=True,
        dots=2,
    )
    opts = [o.id for o in store.list(PollOption, order_by="position", poll_id=poll.id)]
    open_poll(store, FAC, poll.id)
    codes = []
    for i in range(8):
        marks = {opts[0]: 2} if i < 3 else {opts[1]: 1, opts[2]: 1} if i < 6 else {opts[2]: 2}
        codes.append(submit_ballot(store, person(i), poll.id, marks).ballot_id)
    return poll.id, opts, codes


def test_an_anonymous_ballot_gets_a_random_receipt_kept_on_replace(store: Store) -> None:
    poll_id, opts, codes = _vote(store)
    assert all(CODE.match(c) for c in codes) and len(set(codes)) == 8
    again = submit_ballot(store, person(7), poll_id, {opts[0]: 1, opts[2]: 1})
    assert again.replaced and again.ballot_id == codes[7]
    # nothing of the person in the stored key
    for ballot in store.list(PollBallot):
        assert ballot.voter_key.startswith("anon-")
        assert not any(f"p{i}" in ballot.voter_key for i in range(8))
    assert verify_receipt(store, codes[0]) is None  # nothing to look up while voting


def test_closing_unlinks_and_the_order_no_longer_follows_voting(store: Store) -> None:
    poll_id, _opts, codes = _vote(store)
    keys_before = {b.voter_key for b in store.list(PollBallot)}
    close_poll(store, FAC, poll_id)
    stored = store.list(PollBallot)  # the table's own row order (what an export reads)
    assert [b.id for b in stored] == sorted(codes)
    assert not keys_before & {b.voter_key for b in stored}  # the hashed keys are gone


def test_export_order_is_receipt_order_and_tally_reproduces(store: Store, tmp_path: Path) -> None:
    poll_id, _opts, codes = _vote(store)
    close_poll(store, FAC, poll_id)
    write_json(store, tmp_path / "ws.json")
    doc = json.loads((tmp_path / "ws.json").read_text(encoding="utf-8"))
    exported = [b["id"] for b in doc["ballots"] if b["poll_id"] == poll_id]
    assert exported == sorted(codes) and exported != codes
    # anyone with a code sees it counted, with its marks
    check = verify_receipt(store, codes[4].lower().replace("-", " "))
    assert check is not None and check.code == codes[4]
    assert check.poll_title == "무기명 우선순위"
    assert check.marks == (("공간", None, 1.0), ("교육", None, 1.0))
    assert verify_receipt(store, "AAAA-AAAA-AA") is None
    assert verify_receipt(store, "x" * 5000) is None
    rows = receipt_rows(store, poll_id)
    assert [r.code for r in rows] == sorted(codes)
    # the stored count: 판로 3×2 = 6, 공간 3, 교육 3 + 2×2 = 7
    res = results(store, FAC, poll_id)
    assert {res.label(p.option): int(p.score) for p in res.result.ranking} == {
        "교육": 7,
        "판로": 6,
        "공간": 3,
    }
    # separ tally on the receipts CSV and on the exported workshop give the same ranking
    (tmp_path / "receipts.csv").write_text(receipt_csv(rows), encoding="utf-8")
    from_csv = separ_run(
        "tally",
        "--ballots",
        tmp_path / "receipts.csv",
        "--method",
        "dots",
        "--dots",
        "2",
        "--format",
        "json",
    )
    from_export = separ_run("tally", tmp_path / "ws.json", "--poll", poll_id, "--format", "json")
    for out in (from_csv, from_export):
        assert out.returncode == 0, out.stderr
        ranking = json.loads(out.stdout)["ranking"]
        assert [(r["option"], r["score"]) for r in ranking] == [
            ("교육", 7),
            ("판로", 6),
            ("공간", 3),
        ]


def test_the_phone_marks_an_anonymous_poll_and_shows_the_receipt(store: Store) -> None:
    from separ.live.entry import verify_page
    from separ.ui.voting import BallotView

    poll = create_poll(store, FAC, "무기명 찬반", "approval", options=["가", "나"], anonymous=True)
    open_poll(store, FAC, poll.id)
    view = BallotView(store, person(1), poll.id)
    assert "무기명 투표: 이름이 저장되지 않습니다" in view.header.value
    view.controls.children[0].value = True
    view.submit.click()
    # the message shows the receipt code and where to check it
    shown = re.search(CODE.pattern.strip("^$"), view.message.value)
    assert shown is not None and "/verify" in view.message.value
    assert "아직 마감되지 않았거나" in verify_page(store, shown.group(0)).decode()
    close_poll(store, FAC, poll.id)
    page = verify_page(store, shown.group(0)).decode()
    assert f"{shown.group(0)}: 집계에 포함되었습니다" in page and "<li>가: 1</li>" in page
    assert "참여자1" not in page and "<html lang='ko'>" in page
    named = create_poll(store, FAC, "기명", "approval", options=["가", "나"])
    assert "무기명" not in BallotView(store, person(1), named.id).header.value
