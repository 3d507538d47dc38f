"""How long counting takes: 1,000 ranked ballots over 30 options, by each method.

Run: ``PYTHONPATH=src python benchmarks/tally.py``. Prints seconds (best of 3);
asserts nothing. Half the ballots rank every option, half rank only their top 1–10.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from separ import tally

VOTERS = 1000
OPTIONS = 30


def ballots(seed: int = 7) -> list[tally.Ballot]:
    rng = random.Random(seed)
    names = [f"o{i:02d}" for i in range(OPTIONS)]
    out = []
    for v in range(VOTERS):
        order = names[:]
        rng.shuffle(order)
        if v % 2:
            order = order[: rng.randint(1, 10)]
        out.append(tally.Ballot(f"v{v}", tuple(tally.Mark(o, r + 1) for r, o in enumerate(order))))
    return out


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    options = [f"o{i:02d}" for i in range(OPTIONS)]
    votes = ballots()
    print(f"{VOTERS} ranked ballots over {OPTIONS} options (best of 3)")
    for name, fn in [
        ("validate only", lambda: [tally.check(tally.Rules("borda"), options, b) for b in votes]),
        ("borda", lambda: tally.borda(options, votes)),
        ("schulze", lambda: tally.schulze(options, votes)),
        ("irv", lambda: tally.irv(options, votes)),
        ("plurality", lambda: tally.plurality(options, votes)),
        ("robustness (all four)", lambda: tally.robustness(tally.Rules("borda"), options, votes)),
    ]:
        print(f"  {name:<24} {best_of(fn):8.3f} s")


def projector(voters: int = 60, n_options: int = 10) -> None:
    """Ballot submitted -> projector refreshed (store write, recount, table, chart), p95."""
    import tempfile

    from separ.actors import Actor
    from separ.model import Participant, Workshop
    from separ.polls import PollOption, create_poll, open_poll, reveal_results, submit_ballot
    from separ.store import Store
    from separ.ui.voting import ResultsView

    fac = Actor.facilitator_actor()
    with tempfile.TemporaryDirectory() as folder, Store.open(folder, create=True) as store:
        with store.transaction() as tx:
            tx.add(Workshop(title="bench", region="서산시"))
            for i in range(voters):
                tx.add(Participant(id=f"p{i}", name=f"참여자{i}"))
        poll = create_poll(
            store, fac, "벤치마크", "borda", options=[f"선택지 {i}" for i in range(n_options)]
        )
        ids = [o.id for o in store.list(PollOption, order_by="position")]
        open_poll(store, fac, poll.id)
        reveal_results(store, fac, poll.id)
        screen = ResultsView(store, fac, poll.id)
        rng = random.Random(1)
        times = []
        for i in range(voters):
            order = ids[:]
            rng.shuffle(order)
            start = time.perf_counter()
            submit_ballot(
                store, Actor(f"p{i}", "x"), poll.id, {o: r + 1 for r, o in enumerate(order[:5])}
            )
            screen.refresh()
            times.append(time.perf_counter() - start)
        times.sort()
        p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
        print(
            f"projector: ballot -> refreshed results, {voters} voters x {n_options} options "
            f"(SQLite folder): p50 {p50:.3f} s, p95 {p95:.3f} s"
        )


if __name__ == "__main__":
    main()
    projector()
