"""How long switching the live activity takes to reach every phone.

Five simulated phones and the projector page (``separ.live.client.PageClient``) are open on
``separ serve`` with the Seosan sample. The facilitator's side is played by writing the
live state (``set_live``) straight into the store, as the dashboard does. For each
activity, twice over (the first switch to an activity imports its view; the second
does not), the time runs from the commit until each phone's page has swapped its
view: the message that sets the page slot's ``children`` to the new view, which the
server sends only after every widget of that view has been sent.

    python benchmarks/live_switch.py                 # separ serve --workers auto
    python benchmarks/live_switch.py --workers 1
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.live_load import pct, start_serve  # noqa: E402
from separ.live.client import PageClient  # noqa: E402

PHONES = 5
ORDER = ["checkin", "context", "assets", "voting", "roadmap", "delphi"]


class Phone(PageClient):
    """A page noting when each ``children`` update arrived."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.swaps: list[float] = []

    def _handle(self, msg: dict[str, Any]) -> None:
        super()._handle(msg)
        data = msg.get("content", {}).get("data", {})
        if data.get("method") == "update" and "children" in data.get("state", {}):
            self.swaps.append(time.perf_counter())


def prepare(folder: Path) -> tuple[list[str], dict[str, str | None]]:
    """The Seosan sample, five phones' tokens, and a target for every activity."""
    from benchmarks.live_load import OPTIONS
    from separ.actors import Actor
    from separ.live.activities import known
    from separ.polls import create_poll, open_poll
    from separ.store import Store
    from separ.tokens import join, set_live
    from separ.workspace import import_file

    import_file(folder, ROOT / "sample_data" / "seosan" / "workshop.json").close()
    fac = Actor.facilitator_actor()
    with Store.open(folder) as store:
        poll = create_poll(store, fac, "전환 시험 투표", "approval", options=OPTIONS).id
        open_poll(store, fac, poll)
        targets: dict[str, str | None] = {}
        for kind, activity in known().items():
            if kind not in ORDER:
                continue
            usable = [t.id for t in activity.list_targets(store) if t.refusal is None]
            if activity.targets is not None and not usable:
                continue  # nothing to run it on in the sample (Delphi): not measured
            targets[kind] = poll if kind == "voting" else (usable[0] if usable else None)
        set_live(store, fac, None)
        tokens = [join(store, f"전환{i}") for i in range(PHONES)]
    return tokens, targets


async def main(workers: str, rounds: int) -> None:
    from separ.actors import Actor
    from separ.store import Store
    from separ.tokens import set_live

    folder = Path(tempfile.mkdtemp(prefix="separ-switch-")) / "ws"
    tokens, targets = prepare(folder)
    serve, urls = start_serve(folder, 8940, workers)
    fac = Actor.facilitator_actor()
    try:
        base = urls["participant"].rstrip("/")
        projector = PageClient(base, "/projector?" + urls["projector"].split("?", 1)[1])
        await projector.connect()
        assert await projector.run_app()  # refreshed first on every change (live_priority)
        phones = [Phone(base, f"/?t={t}") for t in tokens]
        for phone in phones:
            await phone.connect()
            assert await phone.run_app()
        await asyncio.sleep(1.0)
        print(f"separ serve --workers {workers}: {PHONES} phones")
        print("| activity | round | every phone p50 / max (s) |")
        print("|---|---|---|")
        everything: list[float] = []
        for round_ in range(1, rounds + 1):
            for kind in [k for k in ORDER if k in targets]:
                marks = [len(p.swaps) for p in phones]
                with Store.open(folder) as store:
                    set_live(
                        store, fac, kind, "s1" if kind == "checkin" else None, targets.get(kind)
                    )
                start = time.perf_counter()
                ok = [
                    await p.until(lambda p=p, m=m: len(p.swaps) > m, 30)
                    for p, m in zip(phones, marks, strict=True)
                ]
                took = [
                    p.swaps[m] - start
                    for p, m in zip(phones, marks, strict=True)
                    if len(p.swaps) > m
                ]
                everything += took
                missing = f" ({ok.count(False)} never swapped)" if not all(ok) else ""
                print(
                    f"| {kind} | {round_} | {pct(took, 0.5):.2f} / {max(took):.2f}{missing} |",
                    flush=True,
                )
                await asyncio.sleep(3.0)  # a facilitator switches minutes apart
        print(
            f"all switches: p50 {pct(everything, 0.5):.2f} s, p95 {pct(everything, 0.95):.2f} s,"
            f" max {max(everything):.2f} s"
        )
        for phone in [*phones, projector]:
            await phone.close()
    finally:
        serve.terminate()
        serve.wait(timeout=60)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="auto")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.workers, args.rounds))
