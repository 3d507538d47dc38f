"""What a join costs the participant server: reads shared per store revision, assets
hashed once, a page's first messages."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from separ.live import runtime
from separ.live.runtime import Hub, RevisionCache


def test_revision_cache_reads_once_per_revision_and_never_goes_back() -> None:
    cache = RevisionCache()
    reads: list[int] = []

    def read(value: int) -> int:
        reads.append(value)
        return value

    assert cache.get(3, "live", lambda: read(1)) == 1
    assert cache.get(3, "live", lambda: read(2)) == 1  # same revision: no read
    assert cache.get(4, "live", lambda: read(3)) == 3  # the store moved: read again
    assert cache.get(3, "live", lambda: read(4)) == 4  # a late reader of an old revision
    assert cache.get(4, "live", lambda: read(5)) == 3  # ...does not replace the newer value
    assert reads == [1, 3, 4]


def test_shared_outside_a_sweep_follows_the_pollers_revision(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    revision = [7]
    hub = Hub(lambda: revision[0], interval=3600)
    monkeypatch.setattr(runtime, "_hub", hub)
    monkeypatch.setattr(runtime, "_cache", RevisionCache())
    reads = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert runtime.shared("k", read) == 1  # no revision seen yet: a plain read
    assert runtime.shared("k", read) == 2
    hub.revision = 7
    assert [runtime.shared("k", read) for _ in range(50)] == [3] * 50  # 50 joins, one read
    hub.revision = 8
    assert runtime.shared("k", read) == 4
    hub.notify()  # inside a sweep: read once for that sweep, whatever the cache holds
    assert len(reads) == 4


def test_asset_hashes_are_read_once_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import solara.util

    from separ.live.server import cache_asset_hashes

    calls: list[Path] = []
    original = solara.util.get_file_hash

    def counting(path: Path, algorithm: str = "md5") -> tuple[bytes, str]:
        calls.append(path)
        result: tuple[bytes, str] = original(path, algorithm)
        return result

    monkeypatch.setattr(solara.util, "get_file_hash", counting)
    cache_asset_hashes()
    cache_asset_hashes()  # idempotent: not wrapped twice
    css = tmp_path / "a.css"
    css.write_text("body { color: red }")
    first = solara.util.get_file_hash(css)
    assert solara.util.get_file_hash(css) == first
    assert len(calls) == 1
    css.write_text("body { color: blue; }")
    later = time.time() + 5
    os.utime(css, (later, later))
    second = solara.util.get_file_hash(css)
    assert second[0] == b"body { color: blue; }" and second[1] != first[1]
    assert len(calls) == 2


def test_a_slow_projector_does_not_hold_the_phones_back() -> None:
    """The poller refreshes the projector in its own lane: phones do not wait for it."""
    import threading

    release, entered = threading.Event(), threading.Event()
    done: list[str] = []

    class Projector:
        live_priority = 0

        def on_change(self) -> None:
            entered.set()
            release.wait(10)  # a first matplotlib import, a big figure
            done.append("projector")

    class Phone:
        def on_change(self) -> None:
            done.append("phone")

    hub = Hub(lambda: 0, interval=3600)
    projector, phone = Projector(), Phone()
    hub.subscribe(projector)
    hub.subscribe(phone)
    hub.notify(lanes=True)
    assert done == ["phone"]  # returned while the projector is still busy
    assert entered.wait(10)
    hub.notify(lanes=True)  # two more changes while it is busy: it catches up once
    hub.notify(lanes=True)
    release.set()
    end = time.monotonic() + 10
    while done.count("projector") < 2 and time.monotonic() < end:
        time.sleep(0.05)
    time.sleep(0.2)
    assert done.count("phone") == 3 and done.count("projector") == 2
    hub.stop()


@pytest.mark.slow
def test_a_phones_first_messages_carry_its_page_whole(tmp_path: Path) -> None:
    """The page arrives in its first messages: classes, style, name and view are not
    sent again as updates (each update is one more message per phone on a join burst)."""
    import asyncio

    from separ.live.client import PageClient
    from separ.tokens import join
    from tests.live_server import participant_server

    with participant_server(tmp_path / "ws") as server:
        with server.store() as store:
            token = join(store, "첫메시지")

        async def scenario() -> list[dict[str, object]]:
            page = PageClient(server.base, f"/?t={token}")
            await page.connect()
            assert await page.run_app()
            assert await page.until(lambda: bool(page.find(description="왔어요")))
            await asyncio.sleep(1.0)
            await page.close()
            return page.received

        received = asyncio.run(scenario())
    opened = {
        m["content"]["comm_id"]: m["content"]["data"].get("state", {})  # type: ignore[index]
        for m in received
        if m["header"]["msg_type"] == "comm_open"
    }  # type: ignore[index]
    (page_id,) = [
        cid for cid, state in opened.items() if "separ-participant" in state.get("_dom_classes", ())
    ]
    assert "separ-page" in opened[page_id]["_dom_classes"]
    updates = [
        m["content"]
        for m in received  # type: ignore[index]
        if m["header"]["msg_type"] == "comm_msg"  # type: ignore[index]
        and m["content"]["data"].get("method") == "update"
    ]  # type: ignore[index]
    (who_id,) = [cid for cid, s in opened.items() if "첫메시지 님" in str(s.get("value", ""))]
    assert "<style>" in opened[who_id]["value"]  # the style sheet travels in the same widget
    (slot_id,) = [
        cid for cid in opened if f"IPY_MODEL_{cid}" in opened[page_id]["children"] and cid != who_id
    ]
    assert opened[slot_id]["children"]  # the view is in the slot's first message
    assert not [u for u in updates if u["comm_id"] in (page_id, who_id, slot_id)]
