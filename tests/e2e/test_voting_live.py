"""A live poll in headless Chromium: the facilitator makes and opens a poll in the voting
workbook, puts it on the phones from the dashboard, three phones vote, the projector shows
the count and, after the reveal, the tally."""

from __future__ import annotations

from typing import Any

import pytest

from separ.polls import Poll, PollBallot
from separ.store import Store
from tests.e2e.conftest import Served, shot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1920, "height": 1080}
TITLE = "먼저 할 일"
OPTIONS = ["공동 판로 개척", "사회적경제 교육", "공유 공간 마련"]
VOTES = {"김민수": OPTIONS[:2], "이영희": OPTIONS[:1], "박지훈": [OPTIONS[2], OPTIONS[0]]}
"""Approval ballots: 공동 판로 개척 3, 사회적경제 교육 1, 공유 공간 마련 1."""


def _no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_three_phones_vote_and_the_projector_shows_the_tally(served: Served, browser: Any) -> None:
    facilitator = browser.new_context(viewport=WIDE)
    work = facilitator.new_page()
    work.goto(served.facilitator.replace("00_live.ipynb", "03_voting.ipynb"))
    # the sample has polls already: the page opens on running them; open "투표 만들기"
    work.locator(".jupyter-widget-Collapse-header", has_text="투표 만들기").click(timeout=90_000)
    create = work.get_by_role("button", name="투표 만들기")
    create.wait_for(timeout=30_000)
    work.locator(".widget-text input").first.fill(TITLE)
    work.locator("select").first.select_option(label="찬성 투표")
    work.get_by_placeholder("선택지 (한 줄에 하나)").fill("\n".join(OPTIONS))
    create.click()
    work.get_by_text(f"만들었습니다: {TITLE}").wait_for(timeout=30_000)
    work.get_by_role("button", name="투표 시작").click()
    work.get_by_text("상태: 투표 중").wait_for(timeout=30_000)

    dash = facilitator.new_page()
    dash.goto(served.facilitator)
    go = dash.get_by_role("button", name="참여자 화면에 띄우기")
    go.wait_for(timeout=90_000)
    selects = dash.locator("select")
    selects.nth(0).select_option(label="투표")
    selects.nth(1).select_option(label=TITLE)
    go.click()
    dash.get_by_text(f"지금 화면: 투표 · {TITLE}").wait_for(timeout=30_000)
    shot(dash, "voting-facilitator-1920")

    projector_context = browser.new_context(viewport=WIDE)
    projector = projector_context.new_page()
    projector.goto(served.projector)
    projector.get_by_text("0명 투표").wait_for(timeout=30_000)

    phones = []
    for name, chosen in VOTES.items():
        page = browser.new_context(viewport=PHONE).new_page()
        page.goto(served.participant)
        page.get_by_placeholder("이름").fill(name)
        page.get_by_role("button", name="참여하기").click()
        vote = page.get_by_role("button", name="투표하기")
        vote.wait_for(timeout=30_000)
        for label in chosen:
            page.get_by_role("button", name=label, exact=True).click()
        vote.click()
        page.get_by_text("투표가 저장되었습니다").wait_for(timeout=30_000)
        _no_horizontal_scroll(page)
        phones.append(page)
    shot(phones[0], "voting-participant-voted-360")

    projector.get_by_text("3명 투표").wait_for(timeout=30_000)
    assert "1. 공동 판로 개척" in projector.inner_text("body")  # the options, in their order
    assert "1위" not in projector.inner_text("body")  # no tally before the reveal
    shot(projector, "voting-projector-hidden-1920")

    work.get_by_role("button", name="투표 마감").click()
    work.get_by_text("상태: 마감").wait_for(timeout=30_000)
    work.get_by_role("button", name="결과 공개").click()

    table = projector.locator("table")
    table.wait_for(timeout=30_000)
    rows = [
        r.split("\t")[:3]
        for r in projector.eval_on_selector_all(
            "table tr", "rows => rows.slice(1).map(r => r.innerText)"
        )
    ]
    assert rows == [
        ["1위", "공동 판로 개척", "3"],
        ["2위", "사회적경제 교육", "1"],
        ["2위", "공유 공간 마련", "1"],
    ]
    shot(projector, "voting-projector-results-1920")
    phones[1].get_by_text("1위 공동 판로 개척").wait_for(timeout=30_000)
    _no_horizontal_scroll(phones[1])
    shot(phones[1], "voting-participant-results-360")

    phones[2].set_viewport_size(WIDE)
    shot(phones[2], "voting-participant-1920")
    projector.set_viewport_size(PHONE)
    shot(projector, "voting-projector-360")

    with Store.open(served.folder) as store:
        poll = next(p for p in store.list(Poll) if p.title == TITLE)
        assert len(store.list(PollBallot, poll_id=poll.id)) == 3
    for context in (facilitator, projector_context, *(p.context for p in phones)):
        context.close()
