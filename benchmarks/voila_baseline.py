"""The baseline of live_load.py: the same kind of page as a bare Voila notebook (a kernel each).

``voila benchmarks/voila_vote.ipynb``; each simulated participant GETs the page (Voila
starts a kernel and runs the notebook), opens the kernel websocket, asks for the widget
states on the control channel ("ready"), clicks "투표" and waits for the confirming
label ("vote": here the confirmation on the voter's own page, there is no projector).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.live_load import Result
from separ.live.client import PageClient, get_cookie

NOTEBOOK = Path(__file__).resolve().parent / "voila_vote.ipynb"


class VoilaPage(PageClient):
    def __init__(self, base: str, kernel_id: str, cookie: str) -> None:
        super().__init__(base, "/", cookie=cookie, kernel_id=kernel_id)

    async def connect(self) -> None:
        import websockets

        host = self.base.split("//", 1)[1]
        url = f"ws://{host}/api/kernels/{self.kernel_id}/channels?session_id={self.page_id}"
        self.ws = await websockets.connect(url, additional_headers={"Cookie": self.cookie or ""},
                                           max_size=None, open_timeout=300)
        self._reader = asyncio.create_task(self._read())

    def _handle(self, msg: dict[str, Any]) -> None:
        super()._handle(msg)
        data = msg.get("content", {}).get("data", {})
        if data.get("method") == "update_states":
            for model_id, entry in data["states"].items():
                self.states.setdefault(model_id, {}).update(entry["state"])


async def voter(base: str, result: Result, delay: float) -> None:
    await asyncio.sleep(delay)
    start = time.perf_counter()
    try:
        cookie, _ = await asyncio.to_thread(get_cookie, base + "/")
        html = await asyncio.to_thread(lambda: _page(base, cookie))
        found = re.search(r'"?kernelId"?\s*[:=]\s*"([0-9a-f-]{36})"', html)
        if not found:
            raise RuntimeError("no kernel id in the page")
        page = VoilaPage(base, found.group(1), cookie)
        await page.connect()
        await page.request_states()
        if not await page.until(lambda: bool(page.find(description="투표")), 300):
            raise RuntimeError("no widget states")
        result.ready.append(time.perf_counter() - start)
        clicked = time.perf_counter()
        await page.click(page.find(description="투표")[0])
        if not await page.until(lambda: bool(page.find(value="투표했습니다")), 120):
            raise RuntimeError("vote not confirmed")
        result.vote.append(time.perf_counter() - clicked)
        await page.close()
    except Exception as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}")


def _page(base: str, cookie: str) -> str:
    request = urllib.request.Request(base + "/", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=600) as reply:
        body: bytes = reply.read()
    return body.decode("utf-8")


async def run_voila(n: int, port: int) -> dict[str, Any]:
    import psutil

    folder = Path(tempfile.mkdtemp(prefix="separ-voila-"))
    env = {**os.environ, "SEPAR_BENCH_DB": str(folder / "votes.db")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(NOTEBOOK), "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1"], env=env, cwd=str(folder), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    server = psutil.Process(proc.pid)
    try:
        for _ in range(120):
            try:
                get_cookie(base + "/voila/static/")
                break
            except OSError as exc:
                if getattr(exc, "code", None):
                    break
                time.sleep(0.5)

        def family() -> list[Any]:
            return [server, *server.children(recursive=True)]

        cpu0 = sum(sum(p.cpu_times()[:2]) for p in family())
        rss0 = sum(p.memory_info().rss for p in family())
        result = Result()
        await asyncio.gather(*(voter(base, result, 0.0) for _ in range(n)))
        procs = family()
        rss1 = sum(p.memory_info().rss for p in procs)
        cpu1 = sum(sum(p.cpu_times()[:2]) for p in procs)
    finally:
        started = [server, *server.children(recursive=True)]
        os.killpg(proc.pid, signal.SIGTERM)
        _gone, alive = psutil.wait_procs(started, timeout=30)
        for leftover in alive:  # kernels run in sessions of their own
            leftover.kill()
    return {"n": n, "window": 0.0, "result": result, "mb": (rss1 - rss0) / n / 1e6,
            "cpu": (cpu1 - cpu0) / n}
