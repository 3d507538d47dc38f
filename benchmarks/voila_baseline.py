"""The baseline of live_load.py: the same kind of page as a bare Voila notebook (a kernel each).

``voila benchmarks/voila_vote.ipynb``; each simulated participant GETs the page (Voila
starts a kernel and runs the notebook), opens the kernel websocket, asks for the widget
states on the control channel ("ready"), clicks "투표" and waits for the confirming
label ("vote → own page"; there is no projector, so no "vote → projector").
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from benchmarks.live_load import Result
from separ.live.client import PageClient

NOTEBOOK = Path(__file__).resolve().parent / "voila_vote.ipynb"


class VoilaPage(PageClient):
    def __init__(self, base: str, kernel_id: str, cookie: str) -> None:
        super().__init__(base, "/", cookie=cookie, kernel_id=kernel_id)

    async def connect(self) -> None:
        import websockets

        host = self.base.split("//", 1)[1]
        url = f"ws://{host}/api/kernels/{self.kernel_id}/channels?session_id={self.page_id}"
        self.ws = await websockets.connect(
            url, additional_headers={"Cookie": self.cookie or ""}, max_size=None, open_timeout=300
        )
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
        cookie, html = await asyncio.to_thread(_page, base)
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
        result.confirm.append(time.perf_counter() - clicked)
        await page.close()
    except Exception as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}")


def _page(base: str) -> tuple[str, str]:
    """One page GET (Voila starts a kernel and runs the notebook): its cookies and HTML."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/", timeout=600) as reply:
        body: bytes = reply.read()
    return "; ".join(f"{c.name}={c.value}" for c in jar), body.decode("utf-8")


async def run_voila(n: int, port: int) -> dict[str, Any]:
    import psutil

    folder = Path(tempfile.mkdtemp(prefix="separ-voila-"))
    env = {**os.environ, "SEPAR_BENCH_DB": str(folder / "votes.db")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(NOTEBOOK),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ],
        env=env,
        cwd=str(folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    server = psutil.Process(proc.pid)
    try:
        for _ in range(240):  # wait for the port, without a page GET (each starts a kernel)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
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
    return {
        "n": n,
        "window": 0.0,
        "result": result,
        "load": os.getloadavg()[0],
        "mb": (rss1 - rss0) / n / 1e6,
        "cpu": (cpu1 - cpu0) / n,
    }
