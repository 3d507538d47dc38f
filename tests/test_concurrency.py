"""Many processes writing one workshop at once: nothing is lost, nothing is doubled."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from separ import Organisation, Session, Store, Workshop

WRITERS = 20
PER_WRITER = 25


def _writer(folder: str, db: str | None, n: int) -> None:
    with Store.open(folder, db) as store:
        for i in range(PER_WRITER):
            store.add(Organisation(id=f"w{n}-{i}", name=f"조직 {n}-{i}"))
            # read-modify-write inside one transaction: a lost update would drop a line
            with store.transaction() as tx:
                session = tx.get(Session, "s1")
                session.outcomes = [*session.outcomes, f"{n}-{i}"]
                tx.update(session)


@pytest.mark.slow
def test_twenty_processes_write_at_once(tmp_path: Path, db_url: str | None) -> None:
    folder = tmp_path / "ws"
    with Store.open(folder, db_url, create=True) as store:
        store.add(Workshop(title="동시 쓰기", region="서산시"))
        store.add(Session(id="s1", round=1))
    # separate processes with their own connections, as participant servers are; forked
    # where the system can (each spawned writer re-imported separ: ~2.5 CPU-s × 20)
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    procs = [ctx.Process(target=_writer, args=(str(folder), db_url, n)) for n in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=240)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    with Store.open(folder, db_url) as store:
        ids = {o.id for o in store.list(Organisation)}
        outcomes = store.get(Session, "s1").outcomes
    expected = {f"w{n}-{i}" for n in range(WRITERS) for i in range(PER_WRITER)}
    assert ids == expected
    assert sorted(outcomes) == sorted(f"{n}-{i}" for n in range(WRITERS) for i in range(PER_WRITER))
