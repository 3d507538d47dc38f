"""A participant server restarted mid-session: the open phone page comes back by itself,
nothing submitted before is lost, and a tap made while it was down is refused visibly."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from separ.checkin import Checkin
from separ.tokens import join
from tests.e2e.conftest import shot
from tests.live_server import free_port, participant_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LINE = "오늘 기대하는 것 (한 줄, 선택)"


def _tap_until_saved(page: Any, line: str) -> None:
    """Type and tap until the page shows the line saved. A remounting page may still swap
    its widgets once under load; like a person whose first tap went nowhere, tap again
    (check-ins update, never duplicate)."""
    for attempt in range(3):
        page.get_by_placeholder(LINE).fill(line)
        page.get_by_role("button", name="왔어요").click()
        try:
            page.get_by_text(f"“{line}”").wait_for(timeout=15_000)
            return
        except Exception:
            if attempt == 2:
                raise


def test_open_page_recovers_after_a_server_restart(browser: Any, tmp_path: Path) -> None:
    """One restart, one open phone: checked in before; taps while the server is down (never
    lost without a word: refused on the phone once it is back); reconnects on its own and
    checks in again."""
    folder = tmp_path / "ws"
    port = free_port()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    with participant_server(folder, port=port) as first:
        with first.store() as store:
            token = join(store, "다시연결")
        page.goto(f"{first.base}/?t={token}")
        page.get_by_placeholder(LINE).fill("처음")
        page.get_by_role("button", name="왔어요").click()
        page.get_by_text("체크인했습니다").wait_for(timeout=30_000)
    # the server is gone; the person types and taps anyway (the tap reaches the button
    # under Solara's "disconnected" overlay, as one made just before the page noticed)
    page.wait_for_function("solara.debug.connectionStatus != 'connected'", timeout=30_000)
    page.get_by_placeholder(LINE).fill("끊긴 동안")
    page.get_by_role("button", name="왔어요").dispatch_event("click")
    with participant_server(folder, port=port) as second:
        # the page reconnects on its own (Solara's backoff) and runs the app again at its URL
        end = time.monotonic() + 90
        while time.monotonic() < end and page.evaluate(
            "solara.debug.reconnectCount < 1 || solara.debug.connectionStatus != 'connected'"
        ):
            page.wait_for_timeout(500)
        page.get_by_text("저장되지 않았습니다").wait_for(timeout=90_000)
        page.get_by_text("다시연결 님").wait_for(timeout=30_000)
        shot(page, "participant-tap-refused-after-restart-360")
        with second.store() as store:  # nothing submitted was lost, the refused tap not saved
            assert [c.line for c in store.list(Checkin)] == ["처음"]
        _tap_until_saved(page, "다시 왔어요")
        shot(page, "participant-after-restart-360")
        with second.store() as store:
            assert [c.line for c in store.list(Checkin)] == ["다시 왔어요"]
    page.close()
