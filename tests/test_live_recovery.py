"""Nothing lost, nothing leaked: a server restart mid-session, and many joins and leaves."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from pathlib import Path

import pytest

from separ.checkin import Checkin
from separ.live.client import PageClient
from separ.tokens import join
from tests.live_server import free_port, participant_server

pytestmark = pytest.mark.slow

LINE = "오늘 기대하는 것 (한 줄, 선택)"


async def _ready(base: str, token: str) -> PageClient:
    page = PageClient(base, f"/?t={token}")
    await page.connect()
    assert await page.run_app()
    assert await page.until(lambda: bool(page.find(description="왔어요")))
    return page


def test_restart_mid_session_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    port = free_port()
    with participant_server(folder, port=port) as first:
        with first.store() as store:
            token = join(store, "재시작")

        async def before() -> None:
            page = await _ready(first.base, token)
            await page.set_state(page.find(placeholder=LINE)[0], value="끝까지")
            await page.click(page.find(description="왔어요")[0])
            assert await page.until(lambda: "체크인했습니다" in page.text())
            # the connection drops mid-action: a tap sent as the server goes away
            await page.click(page.find(description="왔어요")[0])

        asyncio.run(before())
    with participant_server(folder, port=port) as second:

        async def after() -> str:
            page = await _ready(second.base, token)  # the same link, after the restart
            assert await page.until(lambda: "체크인했습니다" in page.text())
            text = page.text()
            await page.close()
            return text

        shown = asyncio.run(after())
        assert "재시작 님" in shown and "끝까지" in shown
        with second.store() as store:
            assert [(c.name, c.line) for c in store.list(Checkin)] == [("재시작", "끝까지")]


def _kernels(base: str) -> int:
    with urllib.request.urlopen(base + "/resourcez", timeout=10) as reply:
        return int(json.loads(reply.read())["kernels"]["total"])


def test_no_kernel_outlives_the_cull_timeout(tmp_path: Path) -> None:
    with participant_server(tmp_path / "ws", env={"SOLARA_KERNEL_CULL_TIMEOUT": "2s",
                                                  "SEPAR_RESOURCEZ": "1"}) as srv:
        with srv.store() as store:
            tokens = [join(store, f"왔다감{i}") for i in range(40)]

        async def churn() -> None:
            # joins and leaves: closed tabs, vanished phones (no close request), reloads
            for chunk in range(0, len(tokens), 10):
                pages = [await _ready(srv.base, t) for t in tokens[chunk:chunk + 10]]
                for page in pages:
                    await page.close()

        asyncio.run(churn())
        assert _kernels(srv.base) > 0
        end = time.monotonic() + 30
        while _kernels(srv.base) and time.monotonic() < end:
            time.sleep(0.5)
        assert _kernels(srv.base) == 0
