"""Limits at the protocol level, no browser: a 5 MB widget state, a text field over the
limit, a comm flood and a 200-comment burst are refused, and the server's memory stays
within a stated bound."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import psutil
import pytest

from separ.limits import LIMITS
from separ.live.client import PageClient
from separ.live.guard import MAX_COMM_OPENS, MAX_FIELD
from separ.roadmap import TaskComment
from separ.tokens import join, set_live
from tests.live_server import FACILITATOR, Running, participant_server

pytestmark = pytest.mark.slow

RSS_BOUND_MB = 30
"""What 20 pages sending 5 MB states (100 MB in all) may add to the server's memory,
reconnections' virtual kernels included (measured ~10 MB on the shared 2-core machine)."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with participant_server(tmp_path_factory.mktemp("limits") / "seosan") as running:
        yield running


def _token(server: Running, name: str) -> str:
    with server.store() as store:
        return join(store, name)


async def _page(server: Running, token: str, ready: str) -> PageClient:
    page = PageClient(server.base, f"/?t={token}")
    await page.connect()
    assert await page.run_app()
    assert await page.until(lambda: bool(page.find(description=ready)))
    return page


async def _closed(page: PageClient, timeout: float = 15) -> bool:
    end = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < end:
        if page.ws.close_code is not None:
            return True
        await asyncio.sleep(0.05)
    return False


def _rss_mb(server: Running) -> float:
    return float(psutil.Process(server.proc.pid).memory_info().rss) / 2**20


def test_big_states_and_fields_close_the_connection_and_memory_stays_bounded(
    server: Running,
) -> None:
    async def scenario() -> None:
        token = _token(server, "큰메시지")
        warm = await _page(server, token, "왔어요")  # the page's code is loaded once
        await warm.close()
        before = _rss_mb(server)
        for _ in range(20):
            page = await _page(server, token, "왔어요")
            (text,) = page.find(placeholder="오늘 기대하는 것 (한 줄, 선택)")
            # 5 MB of UTF-8; the server may close while the frame is still going out
            with contextlib.suppress(Exception):
                await page.set_state(text, value="가" * (5 * 2**20 // 3))
            assert await _closed(page)
            await page.close()
        grown = _rss_mb(server) - before
        print(f"server RSS {before:.0f} MB -> +{grown:.1f} MB after 20 × 5 MB states")
        assert grown < RSS_BOUND_MB

        # a field just over the limit, in a message under the frame limit: refused too
        page = await _page(server, token, "왔어요")
        (text,) = page.find(placeholder="오늘 기대하는 것 (한 줄, 선택)")
        await page.set_state(text, value="a" * (MAX_FIELD + 1))
        assert await _closed(page)
        await page.close()

        # comm opens beyond what a page needs: refused
        page = await _page(server, token, "왔어요")
        for i in range(MAX_COMM_OPENS + 2):
            if page.ws.close_code is not None:
                break
            await page.send("comm_open", {"comm_id": f"x{i}", "target_name": "nothing", "data": {}})
        assert await _closed(page)
        await page.close()

        # the server still serves an honest page
        page = await _page(server, token, "왔어요")
        assert page.ws.close_code is None
        await page.close()

    asyncio.run(scenario())


def test_a_200_comment_burst_is_refused_in_the_store(server: Running) -> None:
    with server.store() as store:
        set_live(store, FACILITATOR, "roadmap")
    per_minute, _ = LIMITS["comment"]

    async def scenario() -> None:
        token = _token(server, "폭주")
        # four tabs of one person (each under the per-connection message rate): the limit
        # is the person's, counted in the store, not a tab's
        tabs = [await _page(server, token, "의견 보내기") for _ in range(4)]
        for n in range(200):
            tab = tabs[n % 4]
            (box,) = tab.find(placeholder="이 과제에 대한 의견")
            (send,) = tab.find(description="의견 보내기")
            await tab.set_state(box, value=f"의견 {n}")
            await tab.click(send)
        assert await tabs[3].until(lambda: "1분에" in tabs[3].text(), timeout=60)
        assert all(tab.ws.close_code is None for tab in tabs)
        for tab in tabs:
            await tab.close()

    asyncio.run(scenario())
    with server.store() as store:
        comments = [c for c in store.list(TaskComment) if c.author == "폭주"]
        set_live(store, FACILITATOR, "checkin", "s1")
    assert len(comments) == per_minute
