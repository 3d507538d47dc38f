"""Load benchmark: N simulated phones against ``separ serve``, at the protocol level.

Each simulated participant does what a phone's page does -- GET the page, open the
kernel websocket, run the app, receive every widget state ("ready") -- then checks in
(types a line, taps "왔어요"), and we time until the projector page (one more
simulated page) shows that person's name ("vote-to-projector"). Tokens are minted in
the store beforehand (a join is one small transaction; the page load is what scales).

    python benchmarks/live_load.py                     # the issue's scenarios
    python benchmarks/live_load.py --runs 10 50/60     # N, or N/arrival-window-seconds
    python benchmarks/live_load.py --voila 10 50       # adds the bare-Voila baseline

CPU-seconds and MB per participant are the participant server's own deltas (RSS after
everyone is ready, CPU over the whole run) divided by N. Only loopback is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from separ.live.client import PageClient  # noqa: E402

LINE = "오늘 기대하는 것 (한 줄, 선택)"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def http_get(host: str, port: int, path: str) -> str:
    """A bare GET returning the Cookie header to send back (no thread pool, scales to 600)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
                 .encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    if not head.startswith("HTTP/1.1 200"):
        raise RuntimeError(head.splitlines()[0] if head else "no answer")
    cookies = re.findall(r"(?im)^set-cookie: ([^=]+=[^;]*)", head)
    return "; ".join(cookies)


class Projector(PageClient):
    """The projector page, noting when each participant's name first appears."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: dict[str, float] = {}
        self.events: dict[str, asyncio.Event] = {}

    def event(self, name: str) -> asyncio.Event:
        return self.events.setdefault(name, asyncio.Event())

    def _handle(self, msg: dict[str, Any]) -> None:
        super()._handle(msg)
        value = msg.get("content", {}).get("data", {}).get("state", {}).get("value")
        if isinstance(value, str) and "separ-card" in value:
            now = time.perf_counter()
            for name in re.findall(r"<b>(참가자\d+)</b>", value):
                if name not in self.seen:
                    self.seen[name] = now
                    self.event(name).set()


@dataclass
class Result:
    ready: list[float] = field(default_factory=list)
    vote: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def participant(i: int, token: str, delay: float, base: str, projector: Projector,
                      result: Result, clients: list[PageClient]) -> None:
    await asyncio.sleep(delay)
    host, port = base.split("//")[1].split(":")
    start = time.perf_counter()
    try:
        cookie = await http_get(host, int(port), f"/?t={token}")
        page = PageClient(base, f"/?t={token}", cookie=cookie)
        clients.append(page)
        await page.connect()
        if not (await page.run_app(timeout=300)
                and await page.until(lambda: bool(page.find(description="왔어요")), 60)):
            raise RuntimeError("page not ready")
        result.ready.append(time.perf_counter() - start)
        (text,) = page.find(placeholder=LINE)
        (button,) = page.find(description="왔어요")
        await page.set_state(text, value=f"줄 {i}")
        name = f"참가자{i:04d}"
        clicked = time.perf_counter()
        await page.click(button)
        try:
            await asyncio.wait_for(projector.event(name).wait(), timeout=120)
        except TimeoutError:
            raise RuntimeError("projector never showed the check-in") from None
        result.vote.append(projector.seen[name] - clicked)
    except Exception as exc:  # counted, not raised: the run goes on
        result.errors.append(f"{type(exc).__name__}: {exc}")


def start_serve(folder: Path, port: int) -> tuple[subprocess.Popen[str], dict[str, str]]:
    cmd = [sys.executable, "-c", "from separ.cli import main; main()", "serve", str(folder),
           "--port", str(port), "--no-browser"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, start_new_session=True)
    urls: dict[str, str] = {}
    assert proc.stdout is not None
    while len(urls) < 3:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("separ serve did not start")
        found = re.match(r"^(participant|facilitator|projector): (\S+)$", line.strip())
        if found:
            urls[found.group(1)] = found.group(2)
    return proc, urls


def server_process(serve: subprocess.Popen[str]) -> Any:
    import psutil

    for child in psutil.Process(serve.pid).children(recursive=True):
        if "separ.live.server" in " ".join(child.cmdline()):
            return child
    raise RuntimeError("participant server process not found")


async def run(n: int, window: float, port: int) -> dict[str, Any]:
    from separ.actors import Actor
    from separ.store import Store
    from separ.tokens import join, set_live
    from separ.workspace import import_file

    folder = Path(tempfile.mkdtemp(prefix="separ-load-")) / "ws"
    import_file(folder, ROOT / "sample_data" / "seosan" / "workshop.json").close()
    with Store.open(folder) as store:
        set_live(store, Actor.facilitator_actor(), "checkin", "s1")
        tokens = [join(store, f"참가자{i:04d}") for i in range(n)]
    serve, urls = start_serve(folder, port)
    try:
        proc = server_process(serve)
        base = urls["participant"].rstrip("/")
        projector = Projector(base, "/projector?" + urls["projector"].split("?", 1)[1])
        await projector.connect()
        assert await projector.run_app()
        rss0 = proc.memory_info().rss
        cpu0 = sum(proc.cpu_times()[:2])
        result = Result()
        clients: list[PageClient] = []
        delays = [window * i / n for i in range(n)] if window else [0.0] * n
        await asyncio.gather(*(participant(i, t, d, base, projector, result, clients)
                               for i, (t, d) in enumerate(zip(tokens, delays, strict=True))))
        rss1 = proc.memory_info().rss
        cpu1 = sum(proc.cpu_times()[:2])
        for client in clients:
            await client.close()
        await projector.close()
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)
    return {"n": n, "window": window, "result": result,
            "mb": (rss1 - rss0) / n / 1e6, "cpu": (cpu1 - cpu0) / n}


def report(label: str, row: dict[str, Any]) -> None:
    r: Result = row["result"]
    arrivals = f"over {row['window']:.0f} s" if row["window"] else "at once"
    print(f"| {label} | {row['n']} {arrivals} | {pct(r.ready, .5):.2f} / {pct(r.ready, .95):.2f} "
          f"| {pct(r.vote, .5):.3f} / {pct(r.vote, .95):.3f} | {len(r.ready)} / {len(r.errors)} "
          f"| {row['mb']:.2f} MB, {row['cpu']:.3f} CPU-s |", flush=True)
    if r.errors:
        print("   errors:", sorted(set(r.errors))[:3], flush=True)


def parse(spec: str) -> tuple[int, float]:
    n, _, window = spec.partition("/")
    return int(n), float(window or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", nargs="*", default=["10", "50", "150/60", "300/60", "600"])
    parser.add_argument("--voila", nargs="*", type=int, default=[],
                        help="also run the bare Voila baseline for these N")
    parser.add_argument("--port", type=int, default=8900)
    args = parser.parse_args()
    print("| server | arrivals | ready p50 / p95 (s) | check-in→projector p50 / p95 (s) "
          "| ok / failed | per participant |")
    print("|---|---|---|---|---|---|")
    for spec in args.runs:
        n, window = parse(spec)
        report("separ serve", asyncio.run(run(n, window, args.port)))
    if args.voila:
        from benchmarks.voila_baseline import run_voila

        for n in args.voila:
            report("bare Voila", asyncio.run(run_voila(n, args.port + 10)))


if __name__ == "__main__":
    main()
