"""Write limits counted in the store: per person, across tabs, pages and processes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from separ.actors import Actor
from separ.context import add_board, add_note
from separ.errors import SeparError
from separ.limits import (
    JOIN,
    JOINS_PER_MINUTE,
    LIMITS,
    WriteMark,
    joins_per_minute,
    spend,
    spend_join,
)
from separ.model import Participant, Workshop
from separ.store import Store
from separ.tokens import actor_for, claim_card, issue_cards, join

FAC = Actor.facilitator_actor()
T0 = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.timezone.utc)


def test_burst_and_total_limits_per_person(tmp_path: Path) -> None:
    per_minute, in_all = LIMITS["comment"]
    one = Store.open(tmp_path / "ws", create=True)
    two = Store.open(tmp_path / "ws")  # another server process on the same store
    person = Actor(participant_id=None, display_name="익명-0123456789")
    for n in range(per_minute):
        with (one if n % 2 else two).transaction() as tx:
            spend(tx, person, "comment", now=T0 + dt.timedelta(seconds=n))
    with pytest.raises(SeparError) as err, one.transaction() as tx:
        spend(tx, person, "comment", now=T0 + dt.timedelta(seconds=30))
    assert err.value.key == "write_too_fast" and err.value.params["limit"] == per_minute
    assert len(two.list(WriteMark)) == per_minute  # the refused write left no mark
    # someone else, another kind, or a minute later: allowed
    with one.transaction() as tx:
        spend(tx, Actor(participant_id="p2", display_name="둘"), "comment", now=T0)
        spend(tx, person, "asset", now=T0)
        spend(tx, person, "comment", now=T0 + dt.timedelta(seconds=61))
    # the total: a person's whole budget, whatever the pace
    moment = T0 + dt.timedelta(minutes=2)
    while len(one.list(WriteMark, who=person.display_name, kind="comment")) < in_all:
        moment += dt.timedelta(minutes=1)
        with one.transaction() as tx:
            spend(tx, person, "comment", now=moment)
    with pytest.raises(SeparError) as err, one.transaction() as tx:
        spend(tx, person, "comment", now=moment + dt.timedelta(days=1))
    assert err.value.key == "write_too_many"
    with one.transaction() as tx:  # the facilitator is never limited
        for _ in range(in_all + 5):
            spend(tx, FAC, "comment", now=moment)
    one.close()
    two.close()


def test_anonymous_notes_are_limited_across_tabs() -> None:
    store = Store.memory()
    store.add(Workshop(title="T", region="서산시"))
    board = add_board(store, FAC, "pest", "PEST")
    per_minute, _ = LIMITS["note"]
    tabs = [Actor(participant_id=None, display_name="익명-aaaaaaaaaa") for _ in range(6)]
    made, refused = 0, 0
    for n in range(30):
        try:
            add_note(store, tabs[n % 6], board.id, "정치", f"메모 {n}")
            made += 1
        except SeparError as exc:
            assert exc.key in ("write_too_fast", "context_too_fast")
            refused += 1
    assert made <= per_minute and refused == 30 - made


def test_joins_per_address_are_counted_across_processes(tmp_path: Path) -> None:
    """Two store handles stand for two ``separ serve --workers`` processes: what one
    counted, the other sees. A refused join leaves nothing behind; a card counts too."""
    one = Store.open(tmp_path / "ws", create=True)
    two = Store.open(tmp_path / "ws")
    one.add(Workshop(title="T", region="서산시"))
    one.add(Participant(id="p1", name="이영희"))
    for n in range(JOINS_PER_MINUTE - 1):
        token = join(one if n % 2 else two, f"사람{n}", address="10.0.0.7")
        assert actor_for(one, token) is not None
    ((_person, code),) = issue_cards(one, FAC)
    assert actor_for(two, claim_card(two, code, address="10.0.0.7")) is not None
    for store in (one, two):
        with pytest.raises(SeparError) as err:
            join(store, "하나 더", address="10.0.0.7")
        assert err.value.key == "join_busy"
        with pytest.raises(SeparError) as err:
            claim_card(store, code, address="10.0.0.7")
        assert err.value.key == "join_busy"
    names = [p.name for p in two.list(Participant)]
    assert "하나 더" not in names and len(names) == JOINS_PER_MINUTE  # p1 + 9 typed names
    assert len(one.list(WriteMark, kind=JOIN)) == JOINS_PER_MINUTE
    # another address, or no address (the CLI, a facilitator's tools): not limited
    assert actor_for(one, join(two, "옆 사람", address="10.0.0.8")) is not None
    assert actor_for(one, join(two, "명단에서")) is not None
    one.close()
    two.close()


def test_join_marks_last_a_minute_and_keep_no_address(tmp_path: Path) -> None:
    with Store.open(tmp_path / "ws", create=True) as store:
        for n in range(JOINS_PER_MINUTE):
            with store.transaction() as tx:
                spend_join(tx, "192.168.0.23", now=T0 + dt.timedelta(seconds=n))
        with pytest.raises(SeparError), store.transaction() as tx:
            spend_join(tx, "192.168.0.23", now=T0 + dt.timedelta(seconds=59))
        marks = store.list(WriteMark, kind=JOIN)
        assert len({m.who for m in marks}) == 1 and "192.168" not in marks[0].who
        # a minute after the first: allowed again, and the expired marks are gone
        with store.transaction() as tx:
            spend_join(tx, "192.168.0.23", now=T0 + dt.timedelta(seconds=60))
        assert len(store.list(WriteMark, kind=JOIN)) == JOINS_PER_MINUTE
        with store.transaction() as tx:
            spend_join(tx, "192.168.0.99", now=T0 + dt.timedelta(minutes=5))
        assert len(store.list(WriteMark, kind=JOIN)) == 1


def test_a_room_behind_one_address_can_be_given_more_joins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `separ serve --joins-per-minute 40` hands the limit to its participant processes
    monkeypatch.setenv("SEPAR_JOINS_PER_MINUTE", "40")
    with Store.open(tmp_path / "ws", create=True) as store:
        for n in range(40):
            with store.transaction() as tx:
                spend_join(tx, "203.0.113.7", now=T0 + dt.timedelta(seconds=n))
        with pytest.raises(SeparError), store.transaction() as tx:
            spend_join(tx, "203.0.113.7", now=T0 + dt.timedelta(seconds=45))
    for unusable in ("0", "-3", "many", ""):
        monkeypatch.setenv("SEPAR_JOINS_PER_MINUTE", unusable)
        assert joins_per_minute() == JOINS_PER_MINUTE


def test_serve_offers_the_join_limit() -> None:
    from tests.separ_cli import run

    shown = run("serve", "--help")
    assert shown.returncode == 0 and "--joins-per-minute" in shown.stdout
    refused = run("serve", ".", "--joins-per-minute", "0")
    assert refused.returncode == 2
