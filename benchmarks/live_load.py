"""Load benchmark: N simulated phones against ``separ serve``, at the protocol level.

Each simulated participant does what a phone's page does -- GET the page, open the
kernel websocket, run the app, receive every widget state ("ready") -- then acts:

- ``--activity voting`` (the default): before the run the benchmark creates an approval
  poll over five options, opens it and puts "투표" live on it. Each phone waits for its
  ballot (the option toggles and "투표하기"), taps one option and "투표하기", and waits
  for its own confirmation ("투표가 저장되었습니다. 확인번호 …": "vote → own page").
  "Vote → projector" is the time from the vote click until the projector page (one
  more simulated page) shows a ballot count that includes this ballot. The projector
  shows only "지금까지 N명 투표" until results are revealed, so it cannot name a ballot;
  but the count only grows and SQLite serialises writes, so the k-th ballot committed
  (the k-th row of the ``ballots`` table, read after the run and matched to the
  receipt code each phone was shown) is included exactly when the projector shows
  N ≥ k. Each ballot's time is the first projector update with N ≥ k, minus its click.
- ``--activity checkin``: the phone types a line and taps "왔어요"; "→ projector" is
  until the projector lists that person's name.

Tokens are minted in the store beforehand (a join is one small transaction; the page
load is what scales).

    python benchmarks/live_load.py                     # the issue's scenarios, voting
    python benchmarks/live_load.py --runs 10 50/60     # N, or N/arrival-window-seconds
    python benchmarks/live_load.py --voila 10 50       # adds the bare-Voila baseline
    python benchmarks/live_load.py --activity checkin  # check-in instead of a vote

CPU-seconds and MB per participant are the participant server's own deltas (RSS after
everyone has acted, CPU over the whole run) divided by N. The 1-minute load average
is printed after each run (the machine may be shared). Only loopback is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sqlite3
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
OPTIONS = [
    "공동 판로 개척",
    "사회적경제 교육",
    "공유 공간 마련",
    "지역 네트워크 모임",
    "청년 일자리",
]
VOTE = "투표하기"
SAVED = "투표가 저장되었습니다"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def http_get(host: str, port: int, path: str) -> str:
    """A bare GET returning the Cookie header to send back (no thread pool, scales to 600)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode()
    )
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


class PollScreen(PageClient):
    """The projector page of a live poll: every ballot count it shows, with when."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counts: list[tuple[float, int]] = []

    def _handle(self, msg: dict[str, Any]) -> None:
        super()._handle(msg)
        value = msg.get("content", {}).get("data", {}).get("state", {}).get("value")
        if isinstance(value, str) and "separ-bigcount" in value:
            found = re.search(r"지금까지 (\d+)명 투표", value)
            if found:
                self.counts.append((time.perf_counter(), int(found.group(1))))

    def shown(self) -> int:
        return max((n for _, n in self.counts), default=0)

    def first_at_least(self, k: int) -> float | None:
        return next((t for t, n in self.counts if n >= k), None)


@dataclass
class Result:
    ready: list[float] = field(default_factory=list)
    vote: list[float] = field(default_factory=list)
    """Action -> projector (check-in: the name listed; voting: a count including it)."""
    confirm: list[float] = field(default_factory=list)
    """Vote -> the voter's own confirmation."""
    errors: list[str] = field(default_factory=list)
    clicks: dict[str, float] = field(default_factory=dict)
    """Receipt code -> when its vote was clicked (voting)."""


async def open_page(token: str, base: str, ready: Any, clients: list[PageClient]) -> PageClient:
    """A phone's page, returned once the server has sent the widgets ``ready`` looks for."""
    host, port = base.split("//")[1].split(":")
    cookie = await http_get(host, int(port), f"/?t={token}")
    page = PageClient(base, f"/?t={token}", cookie=cookie)
    clients.append(page)
    await page.connect()
    if not (await page.run_app(timeout=300) and await page.until(lambda: ready(page), 60)):
        raise RuntimeError("page not ready")
    return page


def ballot_ready(page: PageClient) -> bool:
    return bool(page.find(description=VOTE)) and all(
        page.find(_model_name="ToggleButtonModel", description=o) for o in OPTIONS
    )


async def voter(
    i: int, token: str, delay: float, base: str, result: Result, clients: list[PageClient]
) -> None:
    await asyncio.sleep(delay)
    start = time.perf_counter()
    try:
        page = await open_page(token, base, ballot_ready, clients)
        result.ready.append(time.perf_counter() - start)
        (toggle,) = page.find(_model_name="ToggleButtonModel", description=OPTIONS[i % 5])
        (button,) = page.find(description=VOTE)
        await page.set_state(toggle, value=True)
        clicked = time.perf_counter()
        await page.click(button)
        if not await page.until(lambda: SAVED in page.text(), 120):
            raise RuntimeError("vote not confirmed: " + page.text()[-120:])
        result.confirm.append(time.perf_counter() - clicked)
        found = re.search(r"확인번호 (?:<b[^>]*>)?([^<\s]+)", page.text())
        if not found:
            raise RuntimeError("no receipt code")
        result.clicks[found.group(1)] = clicked
    except Exception as exc:  # counted, not raised: the run goes on
        result.errors.append(f"{type(exc).__name__}: {exc}")


async def participant(
    i: int,
    token: str,
    delay: float,
    base: str,
    projector: Projector,
    result: Result,
    clients: list[PageClient],
) -> None:
    await asyncio.sleep(delay)
    start = time.perf_counter()
    try:
        page = await open_page(token, base, lambda p: bool(p.find(description="왔어요")), clients)
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


def start_serve(
    folder: Path, port: int, workers: str
) -> tuple[subprocess.Popen[str], dict[str, str]]:
    cmd = [
        sys.executable,
        "-c",
        "from separ.cli import main; main()",
        "serve",
        str(folder),
        "--port",
        str(port),
        "--no-browser",
        "--workers",
        workers,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
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


def start_bare(folder: Path, port: int) -> subprocess.Popen[str]:
    """The bare Solara page (``bare_solara_app.py``) on Solara's own server, one process,
    with the settings separ's server uses (production mode, no telemetry)."""
    code = (
        "import uvicorn; from solara.server.starlette import app; "
        f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='warning')"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SOLARA_APP": "benchmarks.bare_solara_app",
        "SOLARA_MODE": "production",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_THEME_SHOW_BANNER": "False",
        "BARE_SOLARA_DB": str(folder / "bare.db"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        cwd=str(folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    import urllib.request

    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("bare Solara did not start")


def server_processes(serve: subprocess.Popen[str]) -> list[Any]:
    """Every participant-server worker ``separ serve`` started."""
    import psutil

    found = [
        child
        for child in psutil.Process(serve.pid).children(recursive=True)
        if "separ.live.server" in " ".join(child.cmdline())
    ]
    if not found:
        raise RuntimeError("participant server process not found")
    return found


def prepare(folder: Path, activity: str, n: int) -> tuple[list[str], str | None]:
    """The Seosan sample with ``activity`` live (voting: a new open approval poll over
    five options) and ``n`` participant tokens; returns the tokens and the poll id."""
    from separ.actors import Actor
    from separ.polls import create_poll, open_poll
    from separ.store import Store
    from separ.tokens import join, set_live
    from separ.workspace import import_file

    import_file(folder, ROOT / "sample_data" / "seosan" / "workshop.json").close()
    fac = Actor.facilitator_actor()
    poll_id = None
    with Store.open(folder) as store:
        if activity == "voting":
            poll_id = create_poll(store, fac, "부하 시험 투표", "approval", options=OPTIONS).id
            open_poll(store, fac, poll_id)
            set_live(store, fac, "voting", None, poll_id)
        else:
            set_live(store, fac, "checkin", "s1")
        tokens = [join(store, f"참가자{i:04d}") for i in range(n)]
    return tokens, poll_id


def commit_order(folder: Path, poll_id: str) -> list[str]:
    """The poll's ballot ids in the order they were committed (SQLite's rowid order:
    writes are serialised, and nothing is replaced or deleted in this run)."""
    with sqlite3.connect(folder / "workshop.db") as db:
        rows = db.execute(
            "SELECT id FROM ballots WHERE poll_id = ? ORDER BY rowid", (poll_id,)
        ).fetchall()
    return [row[0] for row in rows]


PROFILE: Path | None = None
"""Where ``--profile`` puts py-spy's collapsed stacks of each server process (None: off)."""


def start_profiles(procs: list[Any], label: str) -> list[tuple[subprocess.Popen[bytes], Path]]:
    """py-spy sampling each server process (all threads, no code change) until stopped."""
    if PROFILE is None:
        return []
    PROFILE.mkdir(parents=True, exist_ok=True)
    spies = []
    for proc in procs:
        out = PROFILE / f"{label}-{proc.pid}.txt"
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "-p",
                str(proc.pid),
                "--format",
                "raw",
                "-o",
                str(out),
                "--rate",
                "50",
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        spies.append((spy, out))
    time.sleep(1.0)  # attached before the first phone arrives
    return spies


def stop_profiles(spies: list[tuple[subprocess.Popen[bytes], Path]], label: str) -> None:
    """Stop the samplers and print the top entries: own time and time inside (inclusive)."""
    from collections import Counter

    own: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    total = 0
    for spy, out in spies:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
        for line in out.read_text().splitlines() if out.exists() else []:
            stack, _, count = line.rpartition(" ")
            frames = [
                f.split(" (")[0] + " (" + f.split(" (")[1].split("/")[-1] if " (" in f else f
                for f in stack.split(";")[1:]
            ]  # drop the thread
            n = int(count)
            total += n
            if frames:
                own[frames[-1]] += n
            for frame in set(frames):
                inside[frame] += n
    if not total:
        return
    idle = (
        "select (",
        "wait (",
        "_worker (",
        "run_forever (",
        "_run_once (",
        "get (",
        "sleep (",
        "poll (",
        "_bootstrap",
    )
    print(f"profile {label}: {total} samples")
    print("  own:", "; ".join(f"{f} {100 * n / total:.1f}%" for f, n in own.most_common(12)))
    busy = [(f, n) for f, n in inside.most_common(80) if not f.startswith(idle)]
    print("  inclusive:", "; ".join(f"{f} {100 * n / total:.1f}%" for f, n in busy[:25]))


def usage(procs: list[Any]) -> tuple[int, float]:
    """RSS and user+system CPU-seconds summed over the server's processes."""
    return (sum(p.memory_info().rss for p in procs), sum(sum(p.cpu_times()[:2]) for p in procs))


async def run(
    n: int, window: float, port: int, activity: str, server: str = "separ", workers: str = "auto"
) -> dict[str, Any]:
    """One row: ``server`` is "separ" (``separ serve``) or "bare" (the bare Solara page,
    voting only, no projector)."""
    folder = Path(tempfile.mkdtemp(prefix="separ-load-")) / "ws"
    result = Result()
    clients: list[PageClient] = []
    delays = [window * i / n for i in range(n)] if window else [0.0] * n
    if server == "bare":
        bare = start_bare(folder, port)
        base = f"http://127.0.0.1:{port}"
        try:
            import psutil

            procs = [psutil.Process(bare.pid)]
            spies = start_profiles(procs, f"bare-{n}")
            rss0, cpu0 = usage(procs)
            await asyncio.gather(
                *(voter(i, f"bare{i}", d, base, result, clients) for i, d in enumerate(delays))
            )
            rss1, cpu1 = usage(procs)
            stop_profiles(spies, f"bare Solara, {n}")
            load = os.getloadavg()[0]
            for client in clients:
                await client.close()
        finally:
            bare.terminate()
            bare.wait(timeout=60)
        return {
            "n": n,
            "window": window,
            "result": result,
            "load": load,
            "workers": 1,
            "mb": (rss1 - rss0) / n / 1e6,
            "cpu": (cpu1 - cpu0) / n,
        }
    tokens, poll_id = prepare(folder, activity, n)
    serve, urls = start_serve(folder, port, workers)
    try:
        procs = server_processes(serve)
        base = urls["participant"].rstrip("/")
        screen_path = "/projector?" + urls["projector"].split("?", 1)[1]
        projector: PageClient = (
            PollScreen(base, screen_path) if activity == "voting" else Projector(base, screen_path)
        )
        await projector.connect()
        if not await projector.run_app():
            raise RuntimeError("projector page did not start")
        spies = start_profiles(procs, f"separ-{n}")
        rss0, cpu0 = usage(procs)
        pairs = list(enumerate(zip(tokens, delays, strict=True)))
        if isinstance(projector, PollScreen):
            await asyncio.gather(*(voter(i, t, d, base, result, clients) for i, (t, d) in pairs))
            screen = projector
            confirmed = len(result.clicks)
            if not await screen.until(lambda: screen.shown() >= confirmed, 120):
                result.errors.append(f"projector stopped at {screen.shown()} of {confirmed}")
            assert poll_id is not None
            for k, ballot_id in enumerate(commit_order(folder, poll_id), start=1):
                shown = screen.first_at_least(k)
                if ballot_id in result.clicks and shown is not None:
                    result.vote.append(shown - result.clicks[ballot_id])
            if len(result.vote) < confirmed:
                result.errors.append(
                    f"{confirmed - len(result.vote)} confirmed ballots never "
                    "matched a projector count"
                )
        else:
            assert isinstance(projector, Projector)
            await asyncio.gather(
                *(participant(i, t, d, base, projector, result, clients) for i, (t, d) in pairs)
            )
        rss1, cpu1 = usage(procs)
        stop_profiles(spies, f"separ serve, {n}")
        load = os.getloadavg()[0]
        for client in clients:
            await client.close()
        await projector.close()
    finally:
        # SIGTERM, not SIGINT: a benchmark started in the background (nohup, &) passes on
        # an ignored SIGINT, and `separ serve` would never see it
        serve.terminate()
        serve.wait(timeout=60)
    return {
        "n": n,
        "window": window,
        "result": result,
        "load": load,
        "workers": len(procs),
        "mb": (rss1 - rss0) / n / 1e6,
        "cpu": (cpu1 - cpu0) / n,
    }


def span(values: list[float]) -> str:
    return f"{pct(values, 0.5):.3f} / {pct(values, 0.95):.3f}" if values else "—"


def report(label: str, row: dict[str, Any]) -> None:
    r: Result = row["result"]
    if label == "separ serve":
        label += f" ({row['workers']} worker{'s' if row['workers'] > 1 else ''})"
    arrivals = f"over {row['window']:.0f} s" if row["window"] else "at once"
    print(
        f"| {label} | {row['n']} {arrivals} | {pct(r.ready, 0.5):.2f} / {pct(r.ready, 0.95):.2f} "
        f"| {span(r.confirm)} | {span(r.vote)} | {len(r.ready)} / {len(r.errors)} "
        f"| {row['mb']:.2f} MB, {row['cpu']:.3f} CPU-s | {row['load']:.1f} |",
        flush=True,
    )
    if r.errors:
        print("   errors:", sorted(set(r.errors))[:3], flush=True)


def parse(spec: str) -> tuple[int, float]:
    n, _, window = spec.partition("/")
    return int(n), float(window or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", nargs="*", default=["10", "50", "150", "150/60", "300/60", "600"])
    parser.add_argument(
        "--voila",
        nargs="*",
        type=int,
        default=[],
        help="also run the bare Voila baseline for these N",
    )
    parser.add_argument("--activity", choices=["voting", "checkin"], default="voting")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--workers", default="auto", help="separ serve --workers")
    parser.add_argument(
        "--no-bare",
        action="store_true",
        help="skip the bare Solara page run beside each voting row",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="sample the servers with py-spy; stacks go into this folder",
    )
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile
    print(f"activity: {args.activity}")
    print(
        "| server | arrivals | ready p50 / p95 (s) | action → own page p50 / p95 (s) "
        "| action → projector p50 / p95 (s) | ready / failed | per participant "
        "| load avg (1 min) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    ratios = []
    for spec in args.runs:
        n, window = parse(spec)
        ours = asyncio.run(run(n, window, args.port, args.activity, "separ", args.workers))
        report("separ serve", ours)
        if args.activity == "voting" and not args.no_bare:
            bare = asyncio.run(run(n, window, args.port + 5, args.activity, "bare"))
            report("bare Solara", bare)
            ratios.append((spec, ours, bare))
    for spec, ours, bare in ratios:
        o, b = ours["result"], bare["result"]
        print(
            f"separ / bare Solara, {spec}: ready p95 {pct(o.ready, 0.95) / pct(b.ready, 0.95):.2f}x"
            f", CPU per phone {ours['cpu'] / bare['cpu']:.2f}x"
            f", vote → own page p95 {pct(o.confirm, 0.95) / pct(b.confirm, 0.95):.2f}x",
            flush=True,
        )
    if args.voila:
        from benchmarks.voila_baseline import run_voila

        for n in args.voila:
            report("bare Voila", asyncio.run(run_voila(n, args.port + 10)))


if __name__ == "__main__":
    main()
