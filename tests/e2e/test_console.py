"""The facilitator's console and the projector in headless Chromium.

The projector test sets each live state through the domain (as the dashboard and the
phones would) and looks at the projector opened with the printed projector link, at
1920×1080 and 1280×720: nothing below the fold, body text ≥ 28 px at 1080p, the newest
note in view, Korean unbroken. Screenshots go to $SEPAR_SHOTS (else a temporary folder).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from separ import context as cx
from separ import polls
from separ.actors import Actor
from separ.store import Store
from separ.tokens import actor_for, join, set_live
from tests.e2e.conftest import Served

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FACILITATOR = Actor.facilitator_actor()
SCREENS = {"1080": {"width": 1920, "height": 1080}, "720": {"width": 1280, "height": 720}}
NAMES = ["김민수", "이영희", "박지훈", "최수진", "정하늘"]


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("SEPAR_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fits(page: Any) -> None:
    """Nothing of the page lies below the fold or beside it."""
    size = page.viewport_size
    assert page.evaluate("document.documentElement.scrollHeight") <= size["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


def _smallest_text(page: Any, selector: str) -> float:
    sizes = page.eval_on_selector_all(
        selector, "els => els.filter(e => e.offsetParent !== null)"
                  ".map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes, f"nothing shown for {selector}"
    return float(min(sizes))


def _in_view(page: Any, text: str) -> bool:
    """Whether the element holding ``text`` is inside the viewport and not clipped away."""
    return bool(page.evaluate(
        """text => {
          const el = [...document.querySelectorAll('.separ-note, .separ-card, li, td')]
            .find(e => e.textContent.includes(text));
          if (!el) return false;
          const r = el.getBoundingClientRect();
          let box = el.parentElement;
          while (box && getComputedStyle(box).overflow !== 'hidden') box = box.parentElement;
          const c = box ? box.getBoundingClientRect() : {top: 0, bottom: innerHeight};
          return r.top >= Math.max(0, c.top) - 1 && r.bottom <= Math.min(innerHeight, c.bottom) + 1;
        }""", text))


def _look(pages: dict[str, Any], shots: Path, name: str, wait_text: str,
          body: str | None = None) -> None:
    for key, page in pages.items():
        page.get_by_text(wait_text).first.wait_for(timeout=30_000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / f"projector-{name}-{key}.png"))
        _fits(page)
        if body and key == "1080":
            assert _smallest_text(page, body) >= 28


def test_projector_states_fit_both_screens(served: Served, browser: Any, shots: Path) -> None:
    assert "?key=" in served.projector
    key = served.projector.rsplit("=", 1)[1]
    facilitator_token = served.facilitator.rsplit("=", 1)[1]
    assert key != facilitator_token
    with Store.open(served.folder) as store:
        assert actor_for(store, key) is None  # the projector key acts as nobody
        set_live(store, FACILITATOR, None)
        title = store.workshop().title
    pages = {}
    for name, size in SCREENS.items():
        page = browser.new_context(viewport=size).new_page()
        page.goto(served.projector)
        pages[name] = page
    _look(pages, shots, "idle", "QR을 찍어 참여하세요")
    for page in pages.values():
        text = page.inner_text("body")
        assert title in text and "127.0.0.1:" in text and facilitator_token not in page.content()
        qr = page.locator(".separ-idle img").bounding_box()
        assert qr is not None and qr["height"] >= 0.55 * page.viewport_size["height"]
    assert _smallest_text(pages["1080"], ".separ-call, .separ-address") >= 28

    with Store.open(served.folder) as store:
        phones = [actor_for(store, join(store, name)) for name in NAMES]
        set_live(store, FACILITATOR, "checkin", "s3")
        from separ.checkin import check_in

        for i, phone in enumerate(phones):
            assert phone is not None
            check_in(store, phone, f"오늘은 공동 판로 개척을 이야기하고 싶어요 {i + 1}")
    _look(pages, shots, "checkin", "5명이 왔어요", ".separ-card span")

    with Store.open(served.folder) as store:
        board = cx.add_board(store, FACILITATOR, "pest", "3회차 PEST 보드")
        for round_ in range(4):
            for i, phone in enumerate(phones):
                assert phone is not None
                cx.add_note(store, phone, board.id, ["political", "economic", "social",
                                                     "technological"][(i + round_) % 4],
                            f"의견 {round_ * 5 + i + 1}: 사회적경제 조직 간 공동 판로 개척과 "
                            "행정의 중간지원 역할 강화")
        set_live(store, FACILITATOR, "context", None, board.id)
    _look(pages, shots, "board", "의견 20개", ".separ-note")
    for page in pages.values():
        assert _in_view(page, "의견 20:") and _in_view(page, "의견 19:")

    with Store.open(served.folder) as store:
        poll = polls.create_poll(store, FACILITATOR, "핵심 세부과제 선정", "dots", dots=2,
                                 question="3년 안에 가장 먼저 할 과제는?",
                                 options=["공동 판로 개척", "중간지원조직 설립",
                                          "사회적경제 교육 확대", "공공구매 확대"])
        polls.open_poll(store, FACILITATOR, poll.id)
        set_live(store, FACILITATOR, "voting", None, poll.id)
        options = {o.label: o.id for o in store.list(polls.PollOption, poll_id=poll.id)}
        picks = [("공동 판로 개척", "공공구매 확대"), ("공동 판로 개척", "중간지원조직 설립"),
                 ("공동 판로 개척", "공공구매 확대"), ("사회적경제 교육 확대", "공공구매 확대"),
                 ("중간지원조직 설립", "공동 판로 개척")]
        for phone, (a, b) in zip(phones, picks, strict=True):
            assert phone is not None
            polls.submit_ballot(store, phone, poll.id, {options[a]: 1, options[b]: 1})
    _look(pages, shots, "vote", "5명 투표", ".separ-options li")
    for page in pages.values():
        text = page.inner_text("body")
        assert "3년 안에 가장 먼저 할 과제는?" in text and "중간지원조직 설립" in text

    with Store.open(served.folder) as store:
        polls.close_poll(store, FACILITATOR, poll.id)
        polls.reveal_results(store, FACILITATOR, poll.id)
    _look(pages, shots, "results", "1위", "table.separ-ranking td")
    for page in pages.values():
        rows = page.eval_on_selector_all(
            "table.separ-ranking tr", "rows => rows.map(r => r.innerText.split('\\t'))")
        # 공동 판로 개척 4 dots, 공공구매 확대 3, 중간지원조직 설립 2, 교육 1
        assert [r[:3] for r in rows[1:]] == [["1위", "공동 판로 개척", "4"],
                                           ["2위", "공공구매 확대", "3"],
                                           ["3위", "중간지원조직 설립", "2"],
                                           ["4위", "사회적경제 교육 확대", "1"]]
        assert page.eval_on_selector(
            "table.separ-ranking td", "e => getComputedStyle(e).wordBreak") == "keep-all"

    with Store.open(served.folder) as store:
        set_live(store, FACILITATOR, "assets")
    _look(pages, shots, "assets", "분류별 자산", "table.separ-ranking td")
    for page in pages.values():
        assert page.locator("img").count() == 1  # the corner QR; no unreadable network map

    with Store.open(served.folder) as store:
        set_live(store, FACILITATOR, "roadmap")
    _look(pages, shots, "roadmap", "과제 의견")
    for page in pages.values():
        page.context.close()
