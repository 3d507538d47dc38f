"""Every stage page in Voila at 1366×768, opened from the facilitator link `separ serve`
prints: it loads, shows its tabs in the workshop's language, holds no pandas table or
True/False, and its screenshot is kept for a person to look at (SEPAR_SHOTS, default
/tmp/separ-stage-pages).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import Served

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SHOTS = Path(os.environ.get("SEPAR_SHOTS", "/tmp/separ-stage-pages"))
LAPTOP = {"width": 1366, "height": 768}
PAGES = {
    "01_context": ["보드 정리", "투표로 보내기", "그림과 표"],
    "02_assets": ["자산 정리", "관계망", "실태조사 표"],
    "03_voting": ["진행", "결과", "로드맵으로 옮기기"],
    "04_roadmap": ["참여자 의견·분과 신청", "계획 고치기", "투표 결과 가져오기"],
    "05_report": ["HTML 내보내기", "PDF 내보내기"],
    "06_followup": ["추진 현황", "델파이", "워크숍 비교"],
}


def _settle(page: Any, step: int = 1000) -> None:
    """Wait until the page's widgets stop changing (Voila runs the cells, then draws):
    the same count of widgets, text and images twice ``step`` ms apart."""
    page.wait_for_selector(".jupyter-widgets", timeout=180_000)
    last = None
    for _ in range(90_000 // step):
        now = page.evaluate(
            "[document.querySelectorAll('.jupyter-widgets').length,"
            " document.body.innerText.length, document.images.length]"
        )
        if now == last:
            break
        last = now
        page.wait_for_timeout(step)


TAB_DRAWN = """() => [...document.querySelectorAll('.widget-tab-contents > *')]
  .some(c => !c.classList.contains('lm-mod-hidden') && c.getBoundingClientRect().height > 80)"""
"""The open tab shows something (an empty tab's frame is about 30 px tall)."""


@pytest.mark.parametrize("name", list(PAGES))
def test_stage_page_in_voila(served: Served, browser: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = served.facilitator.replace("00_live.ipynb", f"{name}.ipynb")
    assert url != served.facilitator
    context = browser.new_context(viewport=LAPTOP, device_scale_factor=1, locale="ko-KR")
    page = context.new_page()
    page.goto(url, timeout=180_000)
    _settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    body = page.inner_text("body")
    assert "Traceback" not in body
    for words in PAGES[name]:
        assert words in body, (name, words)
    assert page.locator("table.dataframe").count() == 0
    cells = page.locator("td").all_inner_texts()
    assert not {c.strip() for c in cells} & {"True", "False", "None", "NaN"}, name
    assert not re.search(r"(?m)^\s*(\[\]|\{')", body)
    # every tab in view, as the facilitator clicks through it (sections build on first
    # opening; tabs inside a closed accordion, like 05's write-up editor, are not in view)
    tabs = page.locator(".lm-TabBar-tab:visible")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        # a tab builds on first opening; a short one (a note, a button) never passes
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(TAB_DRAWN, timeout=10_000)
        _settle(page, step=400)
        page.screenshot(path=str(SHOTS / f"{name}-tab{i + 1}.png"))
        shown = page.inner_text("body")
        assert "Traceback" not in shown
        cells = page.locator("td").all_inner_texts()
        assert not {c.strip() for c in cells} & {"True", "False", "None", "NaN"}, (name, i)
    context.close()


def test_ballot_count_follows_the_phones_without_a_reload(served: Served, browser: Any) -> None:
    """03_voting in Voila: ballots written by phones (here straight into the store) show
    up on the open page within seconds -- no "투표 0장" while people vote."""
    from separ import polls
    from separ.actors import Actor
    from separ.model import Participant
    from separ.workspace import open_workshop

    store = open_workshop(served.folder)
    fac = Actor.facilitator_actor()
    poll = polls.create_poll(store, fac, "실시간 개수", "approval", options=["가", "나"])
    polls.open_poll(store, fac, poll.id)
    context = browser.new_context(viewport=LAPTOP, device_scale_factor=1)
    page = context.new_page()
    page.goto(served.facilitator.replace("00_live.ipynb", "03_voting.ipynb"), timeout=180_000)
    _settle(page)
    page.get_by_text("상태: 투표 중 · 투표 0장").wait_for(timeout=30_000)
    first = store.list(polls.PollOption, poll_id=poll.id)[0].id
    people = store.list(Participant)[:2]
    for person in people:
        polls.submit_ballot(store, Actor(person.id, person.name), poll.id, {first: 1})
    page.get_by_text("상태: 투표 중 · 투표 2장").wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "03_voting_live_count.png"))
    store.close()
    context.close()
