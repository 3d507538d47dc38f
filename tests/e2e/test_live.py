"""The live room in headless Chromium: a facilitator, five phones and the projector."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest

from separ.checkin import Checkin
from separ.model import Attendance
from separ.store import Store
from tests.e2e.conftest import Served, shot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1920, "height": 1080}
NAMES = ["김민수", "이영희", "박지훈", "최수진", "정하늘"]
LINES = ["서로 배우고 싶어요", "", "지역 의제 정리", "새 얼굴 만나기", "실행계획!"]


def _watch(context: Any, seen: list[str]) -> None:
    context.on("request", lambda request: seen.append(request.url))


def _outside(seen: list[str], served: Served) -> list[str]:
    local = served.origins
    return [u for u in seen if not u.startswith(local) and not u.startswith(("data:", "blob:"))]


def _no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_checkin_with_five_phones(served: Served, browser: Any) -> None:
    seen: list[str] = []
    # five phones join before anything is live: they wait, then follow without a reload
    phones = []
    for name in NAMES:
        context = browser.new_context(viewport=PHONE)
        _watch(context, seen)
        page = context.new_page()
        page.goto(served.participant)
        page.get_by_placeholder("이름").fill(name)
        page.get_by_role("button", name="참여하기").click()
        page.get_by_text("진행자가 활동을 시작하면").wait_for(timeout=30_000)
        # the phone is its person through the room's HttpOnly cookie, not the address
        assert "?t=" not in page.url
        assert any(c["name"].startswith("separ_") and c["httpOnly"] for c in context.cookies())
        phones.append(page)
    shot(phones[0], "participant-waiting-360")

    facilitator = browser.new_context(viewport=WIDE)
    _watch(facilitator, seen)
    dash = facilitator.new_page()
    dash.goto(served.facilitator)
    dash.get_by_role("button", name="참여자 화면에 띄우기").wait_for(timeout=60_000)
    selects = dash.locator("select")
    selects.nth(0).select_option(label="체크인")
    selects.nth(2).select_option(label="1회차 (2021-06-23)")  # nth(1): the target, hidden
    dash.get_by_role("button", name="참여자 화면에 띄우기").click()
    dash.get_by_text("지금 화면: 체크인").wait_for(timeout=30_000)
    shot(dash, "facilitator-1920")

    projector_context = browser.new_context(viewport=WIDE)
    _watch(projector_context, seen)
    projector = projector_context.new_page()
    projector.goto(served.projector)
    projector.get_by_text("지금 0명이 왔어요").wait_for(timeout=30_000)

    for page, line in zip(phones, LINES, strict=True):
        button = page.get_by_role("button", name="왔어요")
        button.wait_for(timeout=30_000)  # the page followed the facilitator by itself
        if line:
            page.get_by_placeholder("오늘 기대하는 것 (한 줄, 선택)").fill(line)
        button.click()
        page.get_by_text("체크인했습니다").wait_for(timeout=30_000)
        _no_horizontal_scroll(page)
    shot(phones[0], "participant-checked-in-360")

    projector.get_by_text("지금 5명이 왔어요").wait_for(timeout=30_000)
    board = projector.inner_text("body")
    for name, line in zip(NAMES, LINES, strict=True):
        assert name in board and line in board
    shot(projector, "projector-1920")

    # a reload keeps the identity and shows the check-in already made
    phones[0].reload()
    phones[0].get_by_text("김민수 님").wait_for(timeout=30_000)
    phones[0].get_by_text("체크인했습니다").wait_for(timeout=30_000)
    assert phones[0].get_by_placeholder("오늘 기대하는 것 (한 줄, 선택)").input_value() == LINES[0]

    # the same pages at the other size
    phones[1].set_viewport_size(WIDE)
    shot(phones[1], "participant-1920")
    projector.set_viewport_size(PHONE)
    shot(projector, "projector-360")
    dash.set_viewport_size(PHONE)
    shot(dash, "facilitator-360")
    join = browser.new_context(viewport=PHONE)
    _watch(join, seen)
    first = join.new_page()
    first.goto(served.participant)
    first.get_by_role("button", name="참여하기").wait_for(timeout=30_000)
    _no_horizontal_scroll(first)
    shot(first, "participant-join-360")

    assert _outside(seen, served) == []
    with Store.open(served.folder) as store:
        checkins = store.list(Checkin, session_id="s1")
        rows = {r.id: r for r in store.list(Attendance, session_id="s1")}
    assert sorted(c.name for c in checkins) == sorted(NAMES)
    assert all(rows[c.attendance_id].participant_id for c in checkins)
    for context in (facilitator, projector_context, join, *(p.context for p in phones)):
        context.close()


def test_serve_prints_a_terminal_qr_and_saves_a_png(served: Served) -> None:
    assert (served.folder / "join-qr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any("█" in line for line in served.output)
    assert served.facilitator.startswith(served.origins[1] + "/voila/render/00_live.ipynb?token=")


def test_facilitator_link_without_token_builds_no_controls(served: Served, browser: Any) -> None:
    bare = served.facilitator.split("?", 1)[0]
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.goto(bare)
    page.get_by_text("진행자 권한이 필요합니다").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="참여자 화면에 띄우기").count() == 0
    assert page.locator("select").count() == 0 and page.locator("input").count() == 0
    shot(page, "facilitator-no-token-1920")
    projector = context.new_page()
    projector.goto(served.projector.split("?", 1)[0])
    projector.get_by_text("프로젝터 주소가 올바르지 않습니다").wait_for(timeout=30_000)
    assert "지금" not in projector.inner_text("body")
    context.close()
    # Voila itself refuses a wrong token: it sends the browser to its login form
    wrong = served.facilitator.rsplit("=", 1)[0] + "=not-the-token"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.build_opener(NoRedirect).open(wrong, timeout=10)
    assert refused.value.code == 302 and "/login" in refused.value.headers["Location"]
