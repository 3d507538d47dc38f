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
    with participant_server(
        tmp_path / "ws", env={"SOLARA_KERNEL_CULL_TIMEOUT": "2s", "SEPAR_RESOURCEZ": "1"}
    ) as srv:
        with srv.store() as store:
            tokens = [join(store, f"왔다감{i}") for i in range(40)]

        async def churn() -> None:
            # joins and leaves: closed tabs, vanished phones (no close request), reloads
            for chunk in range(0, len(tokens), 10):
                pages = [await _ready(srv.base, t) for t in tokens[chunk : chunk + 10]]
                for page in pages:
                    await page.close()

        asyncio.run(churn())
        assert _kernels(srv.base) > 0
        end = time.monotonic() + 30
        while _kernels(srv.base) and time.monotonic() < end:
            time.sleep(0.5)
        assert _kernels(srv.base) == 0


def test_a_tap_sent_while_reconnecting_is_refused_on_the_phone(tmp_path: Path) -> None:
    """A tap that reaches a kernel without its widgets (restart, another worker) is not
    lost silently: the rebuilt page says it was not saved."""
    folder = tmp_path / "ws"
    port = free_port()
    with participant_server(folder, port=port) as first:
        with first.store() as store:
            token = join(store, "끊김")

        async def before() -> tuple[PageClient, str, str]:
            page = await _ready(first.base, token)
            text, button = page.find(placeholder=LINE)[0], page.find(description="왔어요")[0]
            await page.close()
            return page, text, button

        old, text, button = asyncio.run(before())
    with participant_server(folder, port=port) as second:

        async def after() -> str:
            # the browser reconnects with the same kernel and sends what was tapped meanwhile
            page = PageClient(
                second.base,
                f"/?t={token}",
                cookie=old.cookie,
                kernel_id=old.kernel_id,
                page_id=old.page_id,
            )
            await page.connect()
            await page.set_state(text, value="잃어버린 줄")
            await page.click(button)
            assert await page.run_app()  # Solara remounts the app at the page's URL
            assert await page.until(lambda: "저장되지 않았습니다" in page.text())
            refused = page.text()
            # tapping again on the rebuilt page is saved as usual
            fresh = page.find(description="왔어요")[0]
            await page.click(fresh)
            assert await page.until(lambda: "체크인했습니다" in page.text())
            await page.close()
            return refused

        refused = asyncio.run(after())
        assert "끊긴 동안 입력하거나 누른 것은 저장되지 않았습니다. 다시 해 주세요." in refused
        with second.store() as store:
            assert [c.name for c in store.list(Checkin)] == ["끊김"]
            assert [c.line for c in store.list(Checkin)] != ["잃어버린 줄"]  # the lost line
