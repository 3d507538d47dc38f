"""Never trust the browser: a client speaking the widget protocol directly, no browser.

Each forged action is refused, nothing is written, and the other participant's page
and data are untouched. Two participants resuming at once each get only their own
widget states (the control-channel leak of ipywidgets under Solara, closed in
separ.live.server).
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from separ.checkin import Checkin
from separ.live.client import PageClient, get_cookie
from separ.tokens import actor_for, join
from tests.live_server import Running, participant_server, worker_servers

pytestmark = pytest.mark.slow

LINE_PLACEHOLDER = "오늘 기대하는 것 (한 줄, 선택)"


@pytest.fixture(scope="module", params=[1, 2], ids=["one process", "two workers"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    """One participant server, or two workers sharing its port (``serve --workers 2``)."""
    folder = tmp_path_factory.mktemp("proto") / "seosan"
    if request.param == 1:
        with participant_server(folder) as running:
            yield running
    else:
        with worker_servers(folder, workers=2) as workers:
            yield workers[0]


def _token(server: Running, name: str) -> str:
    with server.store() as store:
        return join(store, name)


async def _page(server: Running, token: str) -> PageClient:
    page = PageClient(server.base, f"/?t={token}")
    await page.connect()
    assert await page.run_app()
    assert await page.until(lambda: bool(page.find(description="왔어요")))
    return page


def _checkins(server: Running) -> dict[str, str | None]:
    with server.store() as store:
        return {c.name: c.line for c in store.list(Checkin)}


def test_forged_actions_are_refused_and_touch_nobody_else(server: Running) -> None:
    async def scenario() -> None:
        victim = await _page(server, _token(server, "피해자"))
        attacker = await _page(server, _token(server, "공격자"))
        (vtext,) = victim.find(placeholder=LINE_PLACEHOLDER)
        await victim.set_state(vtext, value="내 한 줄")
        await victim.click(victim.find(description="왔어요")[0])
        assert await victim.until(lambda: "체크인했습니다" in victim.text())
        victim_states = {k: dict(v) for k, v in victim.states.items()}
        with server.store() as store:
            before = store.revision()

        (text,) = attacker.find(placeholder=LINE_PLACEHOLDER)
        (button,) = attacker.find(description="왔어요")
        # None and a wrong type for the line: the trait refuses, the line stays ""
        await attacker.set_state(text, value=None)
        await attacker.set_state(text, value=["x"])
        # a line far over the limit (but under the websocket's field limit, which would
        # close the connection: tests/test_live_limits.py)
        await attacker.set_state(text, value="가" * 4000)
        await attacker.click(button)
        assert await attacker.until(lambda: "120자까지" in attacker.text()), attacker.text()[-600:]
        with server.store() as store:
            assert store.revision() == before
        # a disabled button, re-enabled and clicked a hundred times: one write at most
        await attacker.set_state(text, value="스팸")
        await attacker.set_state(button, disabled=True)
        for _ in range(100):
            await attacker.click(button)
        # the first click saved; the rest are refused by the rate, and the page keeps its ✓
        # (a double tap no longer replaces the confirmation with an error)
        assert await attacker.until(lambda: "체크인했습니다" in attacker.text())
        await asyncio.sleep(0.5)
        with server.store() as store:
            assert store.revision() == before + 1
        assert _checkins(server) == {"피해자": "내 한 줄", "공격자": "스팸"}

        # facilitator stops check-in: the old button's callback can no longer write
        from separ.tokens import set_live
        from tests.live_server import FACILITATOR

        with server.store() as store:
            set_live(store, FACILITATOR, None, "s1")
            after_stop = store.revision()
        assert await attacker.until(lambda: button not in attacker.states, timeout=10)
        await attacker.click(button)
        await attacker.set_state(text, value="늦은 글")
        await asyncio.sleep(0.5)
        with server.store() as store:
            assert store.revision() == after_stop
            set_live(store, FACILITATOR, "checkin", "s1")
        assert _checkins(server) == {"피해자": "내 한 줄", "공격자": "스팸"}
        # the victim's page saw only the facilitator's changes, never the attacker's text
        assert "스팸" not in victim.text() and "가" * 50 not in victim.text()
        assert vtext in victim_states
        await victim.close()
        await attacker.close()

    asyncio.run(scenario())


def test_a_forged_or_missing_token_gives_no_identity(server: Running) -> None:
    async def scenario() -> None:
        page = PageClient(server.base, "/?t=forged-token")
        await page.connect()
        assert await page.run_app()
        assert await page.until(lambda: "참여 링크가 올바르지 않습니다" in page.text())
        assert page.find(description="왔어요") == []
        await page.close()

    asyncio.run(scenario())


def test_two_pages_resuming_together_get_only_their_own_states(server: Running) -> None:
    async def scenario() -> None:
        a = await _page(server, _token(server, "가나"))
        b = await _page(server, _token(server, "다라"))
        await a.set_state(a.find(placeholder=LINE_PLACEHOLDER)[0], value="A의 비밀")
        await b.set_state(b.find(placeholder=LINE_PLACEHOLDER)[0], value="B의 비밀")
        await asyncio.sleep(0.3)
        # both open the control channel (B first, as in the measured leak), then both ask
        await b.request_states()
        await a.request_states()
        assert await a.until(lambda: len(a.control_replies) >= 1, timeout=15)
        assert await b.until(lambda: len(b.control_replies) >= 1, timeout=15)
        await asyncio.sleep(0.5)
        assert len(a.control_replies) == 1 and len(b.control_replies) == 1
        a_ids = set(a.control_replies[0]["states"])
        b_ids = set(b.control_replies[0]["states"])
        assert a_ids and b_ids and not a_ids & b_ids
        assert set(a.states) <= a_ids and set(b.states) <= b_ids
        a_dump, b_dump = str(a.control_replies[0]), str(b.control_replies[0])
        assert "A의 비밀" in a_dump and "B의 비밀" not in a_dump
        assert "B의 비밀" in b_dump and "A의 비밀" not in b_dump
        await a.close()
        await b.close()

    asyncio.run(scenario())


def test_session_cookie_is_http_only(server: Running) -> None:
    with urllib.request.urlopen(server.base + "/projector", timeout=30) as reply:
        cookies = reply.headers.get_all("Set-Cookie") or []
    session = [c for c in cookies if c.startswith("solara-session-id=")]
    assert session and all("HttpOnly" in c for c in session)


def test_a_kernel_is_closed_only_by_its_own_session(server: Running) -> None:
    async def scenario() -> tuple[str, str, str]:
        page = PageClient(server.base, f"/?t={_token(server, '마바')}")
        await page.connect()
        assert await page.run_app()
        return page.kernel_id, page.page_id, page.cookie or ""

    kernel, page_id, cookie = asyncio.run(scenario())
    url = f"{server.base}/_solara/api/close/{kernel}?session_id={page_id}"
    stranger, _ = get_cookie(server.base + "/projector")
    codes = set()
    for headers in [{}, {"Cookie": stranger}] * 8:  # with two workers, both get asked
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(
                urllib.request.Request(url, method="POST", headers=headers), timeout=10
            )
        codes.add(refused.value.code)
    assert 403 in codes and codes <= {403, 404}  # 404: another worker, which has no such kernel
    for _ in range(30):  # the owner's request closes it once it reaches the kernel's worker
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, method="POST", headers={"Cookie": cookie}), timeout=10
            ) as reply:
                assert reply.status == 200
                break
        except urllib.error.HTTPError as elsewhere:
            assert elsewhere.code == 404
    else:
        raise AssertionError("the owner could not close its kernel")


def test_tokens_resolve_only_server_side(server: Running, tmp_path: Path) -> None:
    token = _token(server, "사아")
    with server.store() as store:
        actor = actor_for(store, token)
        assert actor is not None and actor.display_name == "사아"
        assert actor_for(store, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
