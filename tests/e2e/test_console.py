"""The facilitator's console, the phones and the projector in headless Chromium.

The console test is a session run by clicking: the facilitator opens the printed link once
and gets everywhere through the bar and the dashboard, five phones join, check in, write
notes and vote, and the projector follows. (One session rather than a module per stage: a
served workshop and its pages cost a tenth of a CPU-minute each to start, and the stages
build on each other as they do in the room.) The projector test sets each live
state through the domain (as the dashboard and the phones would) and looks at the projector
opened with the printed projector link, at 1920×1080 and 1280×720: nothing below the fold,
body text ≥ 28 px at 1080p, the newest note in view, Korean unbroken. Screenshots go to
$SEPAR_SHOTS (else a temporary folder).
"""

from __future__ import annotations

import contextlib
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from separ import context as cx
from separ import delphi, polls, roadmap
from separ.actors import Actor
from separ.checkin import Checkin
from separ.model import Attendance, Organisation, Participant
from separ.store import Store
from separ.tokens import AccessToken, TokenRole, actor_for, join, set_live
from tests.e2e.conftest import TAB_DRAWN, Served

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FACILITATOR = Actor.facilitator_actor()
SCREENS = {"1080": {"width": 1920, "height": 1080}, "720": {"width": 1280, "height": 720}}
NAMES = ["김민수", "이영희", "박지훈", "최수진", "정하늘"]
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 768}
NOTES = {
    "김민수": ("경제", "공동 판로가 없다"),
    "이영희": ("사회", "돌봄 수요가 늘었다"),
    "박지훈": ("정치", "중간지원조직 설립 논의"),
    "최수진": ("경제", "공공구매 확대 가능성"),
    "정하늘": ("기술", "온라인 판로 교육 필요"),
}
CHOSEN = [
    "공동 판로가 없다",
    "중간지원조직 설립 논의",
    "공공구매 확대 가능성",
    "온라인 판로 교육 필요",
]
VOTES = {
    "김민수": CHOSEN[:2],
    "이영희": CHOSEN[:1],
    "박지훈": [CHOSEN[0], CHOSEN[2]],
    "최수진": [CHOSEN[2]],
    "정하늘": [CHOSEN[0], CHOSEN[1], CHOSEN[3]],
}
"""Approval ballots: 공동 판로가 없다 4, 중간지원조직 설립 논의 2, 공공구매 확대 가능성 2,
온라인 판로 교육 필요 1."""
ROSTER_NAME = "이원돈"
"""A listed person of the sample: a new card, and a typed duplicate merged into them."""


@pytest.fixture(scope="module")
def serve_workers() -> int:
    """Two participant processes, as ``separ serve`` starts on a 2-core laptop: a phone's
    page may reconnect to the other one (see :func:`_tap`)."""
    return 2


def _nav(page: Any, name: str, ready: str) -> None:
    """Click a stage in the bar and wait until its page has finished loading (Voila streams
    the page while the kernel runs its cells: "load" comes after the last one)."""
    with page.expect_navigation(wait_until="load", timeout=180_000):
        page.locator(".separ-nav a", has_text=name).click()
    page.get_by_text(ready).first.wait_for(timeout=90_000)


def _go_live(dash: Any, activity: str, target: str | None = None) -> None:
    selects = dash.locator("select")
    selects.nth(0).select_option(label=activity)
    if target is not None:
        selects.nth(1).select_option(label=target)
    dash.get_by_role("button", name="참여자 화면에 띄우기").click()
    dash.get_by_text(f"지금 화면: {activity}" + (f" · {target}" if target else "")).wait_for(
        timeout=30_000
    )


def _tab(page: Any, title: str) -> None:
    """Open a section of a stage page (its tabs are Lumino tabs, not buttons)."""
    page.locator(".lm-TabBar-tab", has_text=title).first.click()


def _field(page: Any, kind: str, label: str) -> Any:
    """The visible control of an ipywidget by its description (``kind``: dropdown, text…)."""
    return (
        page.locator(f".widget-{kind}:visible:has(> .widget-label:text-is('{label}'))")
        .first.locator("select, input, textarea")
        .first
    )


def _pick(select: Any, prefix: str) -> None:
    """Choose the option whose label starts with ``prefix`` (labels carry counts; the
    dropdown shows spaces as no-break spaces)."""
    labels = select.evaluate("s => [...s.options].map(o => o.label)")
    found = [label for label in labels if label.replace("\xa0", " ").startswith(prefix)]
    assert found, f"no {prefix!r} among {labels}"
    select.select_option(label=found[0])


def _tap(phone: Any, act: Callable[[], None], done: str) -> None:
    """Do ``act`` (type, tap) and wait for the phone to confirm it. Taps that reached the
    server while the page was reconnecting (its websocket landed on the other worker) are
    refused on the rebuilt page with "다시 해 주세요": a person does it again, so does this."""
    act()
    try:
        phone.get_by_text(done).first.wait_for(timeout=60_000)
    except PlaywrightTimeout:
        if not phone.get_by_text("다시 해 주세요").is_visible():
            raise
        act()
        phone.get_by_text(done).first.wait_for(timeout=60_000)


def _join(browser: Any, served: Served, name: str, seen: list[str]) -> Any:
    """A phone joins through the plain join form; it is in once its page names the person.
    Every address it asks for goes into ``seen``."""
    context = browser.new_context(viewport=PHONE)
    context.on("request", lambda request: seen.append(request.url))
    phone = context.new_page()
    phone.goto(served.participant)
    phone.get_by_placeholder("이름").fill(name)
    phone.get_by_role("button", name="참여하기").click()
    phone.get_by_text(f"{name} 님").wait_for(timeout=60_000)
    return phone


def _outside(seen: list[str], served: Served) -> list[str]:
    """Addresses asked for outside the served workshop (a room may have no internet)."""
    local = served.origins
    return [u for u in seen if not u.startswith(local) and not u.startswith(("data:", "blob:"))]


def _no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_session_run_by_clicking(served: Served, browser: Any, shots: Path) -> None:
    """Issue 17's run, by clicking from the one printed link: five phones join before
    anything is live and follow the facilitator without a reload; check-in, shown on the
    dashboard and the projector; PEST notes from the phones, the chosen notes into a poll
    (01's carry with its preview), the vote (started and put live on 03, counted on the
    dashboard and the projector as the phones vote, no tally before the reveal; closed,
    revealed on the projector and the phones), its top three into the roadmap (03's carry),
    a new poll made with 03's form, the report exported into the workshop folder, back on
    the dashboard a roster card issued and a typed duplicate merged. On the
    way every stage page is opened through the bar and each of its tabs clicked (see
    :func:`_visit`, :func:`_every_tab`). No page asks for anything outside the served
    workshop."""
    seen: list[str] = []
    phones = {}
    for name in NAMES:  # before anything is live: they wait
        phone = _join(browser, served, name, seen)
        phone.get_by_text("진행자가 활동을 시작하면").wait_for(timeout=30_000)
        # the phone is its person through the room's HttpOnly cookie, not the address
        assert "?t=" not in phone.url
        cookies = phone.context.cookies()
        assert any(c["name"].startswith("separ_") and c["httpOnly"] for c in cookies)
        phones[name] = phone

    facilitator = browser.new_context(viewport=LAPTOP)
    facilitator.on("request", lambda request: seen.append(request.url))
    dash = facilitator.new_page()
    dash.goto(served.facilitator)  # the one and only address the facilitator opens
    dash.get_by_role("button", name="참여자 화면에 띄우기").wait_for(timeout=90_000)
    token = served.facilitator.rsplit("=", 1)[1]
    dash.wait_for_function("!location.search.includes('token')", timeout=30_000)
    assert token not in dash.url and token not in dash.inner_text("body")
    dash.screenshot(path=str(shots / "console-dashboard-1366.png"))
    room_context = browser.new_context(viewport=SCREENS["1080"])
    room_context.on("request", lambda request: seen.append(request.url))
    room = room_context.new_page()
    room.goto(served.projector)

    # check-in: the phones follow by themselves; their lines reach the dashboard and the
    # projector without a reload
    _go_live(dash, "체크인")
    room.get_by_text("지금 0명이 왔어요").wait_for(timeout=30_000)
    for name, phone in phones.items():

        def check_in(phone: Any = phone, name: str = name) -> None:
            phone.get_by_placeholder("오늘 기대하는 것 (한 줄, 선택)").fill(f"{name}의 기대")
            phone.get_by_role("button", name="왔어요").click()

        _tap(phone, check_in, "체크인했습니다")
        _no_horizontal_scroll(phone)
    dash.get_by_text("5명 체크인").wait_for(timeout=30_000)
    assert "정하늘 — 정하늘의 기대" in dash.inner_text("body")
    room.get_by_text("지금 5명이 왔어요").wait_for(timeout=30_000)
    board = room.inner_text("body")
    assert all(name in board and f"{name}의 기대" in board for name in NAMES)
    room.screenshot(path=str(shots / "console-projector-checkin-1080.png"))
    # a reload keeps the person and shows the check-in already made
    first = phones[NAMES[0]]
    first.reload()
    first.get_by_text(f"{NAMES[0]} 님").wait_for(timeout=30_000)
    first.get_by_text("체크인했습니다").wait_for(timeout=30_000)
    expected = first.get_by_placeholder("오늘 기대하는 것 (한 줄, 선택)").input_value()
    assert expected == f"{NAMES[0]}의 기대"
    with Store.open(served.folder) as store:
        checkins = store.list(Checkin)
        rows = {r.id: r for r in store.list(Attendance)}
    assert sorted(c.name for c in checkins) == sorted(NAMES)
    assert all(rows[c.attendance_id].participant_id for c in checkins)

    # PEST notes from the five phones
    _go_live(dash, "환경분석 보드(PEST·SWOT)", "서산시 환경분석(PEST)")
    for name, (category, note) in NOTES.items():
        phone = phones[name]

        def send(phone: Any = phone, category: str = category, note: str = note) -> None:
            # a category is one of the board's radio group (separ_aria.js)
            phone.get_by_role("radio", name=category, exact=True).click()
            phone.get_by_placeholder("의견").fill(note)
            phone.get_by_role("button", name="보내기").click()

        _tap(phone, send, "보냈습니다")
    with Store.open(served.folder) as store:
        texts = {n.text for n in cx.board_notes(store, "seosan-pest")}
    assert {note for _, note in NOTES.values()} <= texts

    # the chosen notes into a new poll, on 01_context: pick, look at the preview, send
    visited: dict[str, tuple[int, int]] = {}
    _visit(dash, "환경분석", "투표로 보내기", token, shots, visited)
    _field(dash, "dropdown", "보드").select_option(label="서산시 환경분석(PEST)")
    _tab(dash, "투표로 보내기")
    labels = {note: f"[{category}] {note}" for category, note in NOTES.values()}
    dash.locator("select[multiple]:visible").select_option(label=[labels[note] for note in CHOSEN])
    _field(dash, "text", "새 투표 제목").fill("먼저 풀 과제")
    _field(dash, "dropdown", "방식").select_option(label="찬성 투표")
    preview = dash.locator("table:visible", has_text="미리보기")
    preview.get_by_text(CHOSEN[-1]).wait_for(timeout=30_000)
    assert all(note in preview.inner_text() for note in CHOSEN)
    assert "돌봄 수요가 늘었다" not in preview.inner_text()
    dash.get_by_role("button", name="투표 선택지로 보내기").click()
    dash.get_by_text("「먼저 풀 과제」에 선택지 4개를 보냈습니다").wait_for(timeout=30_000)
    _every_tab(dash, "01_context", shots)
    _visit(dash, "자산·관계망", "관계망", token, shots, visited)
    _every_tab(dash, "02_assets", shots)

    # the vote on 03_voting: start it, put it on the phones, ballots counted live
    _visit(dash, "투표", "투표 시작", token, shots, visited)
    _pick(_field(dash, "dropdown", "투표"), "먼저 풀 과제")
    dash.get_by_role("button", name="투표 시작").click()
    dash.get_by_text("상태: 투표 중").wait_for(timeout=30_000)
    dash.get_by_role("button", name="참여자 화면에 띄우기").click()
    for name, chosen in VOTES.items():
        phone = phones[name]
        phone.get_by_role("button", name="투표하기").wait_for(timeout=60_000)

        def vote(phone: Any = phone, chosen: list[str] = chosen) -> None:
            for label in chosen:
                phone.get_by_role("button", name=label, exact=True).click()
            phone.get_by_role("button", name="투표하기").click()

        _tap(phone, vote, "투표가 저장되었습니다")
        _no_horizontal_scroll(phone)
    # counted on the open 03 page and on the projector as they come, without a reload
    dash.get_by_text("상태: 투표 중 · 투표 5장").wait_for(timeout=30_000)
    room.get_by_text("5명 투표").wait_for(timeout=30_000)
    listed = room.inner_text("body")
    assert all(re.search(rf"(?m)^\d\. {re.escape(c)}$", listed) for c in CHOSEN)  # numbered
    assert "1위" not in listed  # no tally before the reveal

    # close and reveal (closed first: no confirmation asked); the projector shows the ranking
    dash.get_by_role("button", name="투표 마감").click()
    dash.get_by_text("상태: 마감").wait_for(timeout=30_000)
    dash.get_by_role("button", name="결과 공개").click()
    dash.get_by_text("결과를 공개했습니다").first.wait_for(timeout=30_000)
    room.locator("table.separ-ranking").wait_for(timeout=60_000)
    rows = room.eval_on_selector_all(
        "table.separ-ranking tr", "rows => rows.map(r => r.innerText.split('\\t'))"
    )
    assert [r[:3] for r in rows[1:]] == [
        ["1위", CHOSEN[0], "4"],
        ["2위", CHOSEN[1], "2"],
        ["2위", CHOSEN[2], "2"],
        ["4위", CHOSEN[3], "1"],
    ]
    room.screenshot(path=str(shots / "console-projector-results-1080.png"))
    phone = phones[NAMES[1]]
    phone.get_by_text(f"1위 {CHOSEN[0]}").wait_for(timeout=30_000)
    _no_horizontal_scroll(phone)
    phone.screenshot(path=str(shots / "console-phone-results-360.png"))

    # the top three (1위 and the two tied 2위) into the roadmap as tasks, from 03's carry panel
    _tab(dash, "로드맵으로 옮기기")
    _pick(_field(dash, "dropdown", "투표"), "먼저 풀 과제")
    carry = dash.locator("table:visible", has_text="미리보기")
    carry.get_by_text(CHOSEN[2]).wait_for(timeout=30_000)
    assert CHOSEN[3] not in carry.inner_text()
    dash.get_by_role("button", name="로드맵으로 옮기기").click()
    dash.get_by_text("3개를 옮겼습니다.").wait_for(timeout=30_000)
    with Store.open(served.folder) as store:
        poll = next(p for p in store.list(polls.Poll) if p.title == "먼저 풀 과제")
        carried = {t.title for t in store.list(roadmap.Task) if t.priority_poll_id == poll.id}
    assert carried == set(CHOSEN[:3])
    _every_tab(dash, "03_voting", shots)
    _make_a_poll(dash)
    _visit(dash, "로드맵", "계획 점검", token, shots, visited)
    _every_tab(dash, "04_roadmap", shots)

    # the report, exported from its page into the workshop folder
    _visit(dash, "보고서", "HTML 내보내기", token, shots, visited)
    dash.get_by_role("button", name="HTML 내보내기").click()
    dash.get_by_text("내려받기").wait_for(timeout=120_000)
    dash.screenshot(path=str(shots / "console-report-1366.png"))
    assert token not in dash.url
    written = served.folder / "reports" / "report.html"
    assert written.is_file()
    assert CHOSEN[0] in written.read_text(encoding="utf-8")
    _every_tab(dash, "05_report", shots)
    _visit(dash, "워크숍 이후", "델파이", token, shots, visited)
    _every_tab(dash, "06_followup", shots)

    # back on the dashboard: a listed person's new card, and a typed duplicate merged
    with Store.open(served.folder) as store:
        listed = next(p for p in store.list(Participant) if p.name == ROSTER_NAME)
        join(store, ROSTER_NAME)  # typed on a phone: a second one, no organisation
    _visit(dash, "진행판", "참여자 화면에 띄우기", token, shots, visited)
    _card_and_merge(dash, served, listed, shots)

    assert sorted(visited) == [
        "00_live",
        "01_context",
        "02_assets",
        "03_voting",
        "04_roadmap",
        "05_report",
        "06_followup",
    ]
    assert {stem: n for stem, n in visited.items() if n != (0, 0)} == {}
    assert _outside(seen, served) == []
    for context in {p.context for p in (dash, room, *phones.values())}:
        context.close()


def _visit(
    page: Any, name: str, ready: str, token: str, shots: Path, visited: dict[str, tuple[int, int]]
) -> None:
    """A stage page through the bar: the bar on top with the page's own entry marked, the
    token never back in the address bar; ``visited`` gets the page's count of pandas tables
    and of True/False cells (both must be 0: the facilitator reads tables, not dumps)."""
    _nav(page, name, ready)
    current = page.locator(".separ-nav a[aria-current=page]").inner_text()
    assert current.split("\n")[0] == name
    box = page.locator(".separ-nav").bounding_box()
    assert box is not None and box["y"] == 0 and box["height"] <= 80
    page.wait_for_function("!location.search.includes('token')", timeout=30_000)
    assert token not in page.url
    stem = page.url.rsplit("/", 1)[1].split(".")[0]
    page.screenshot(path=str(shots / f"facilitator-{stem}-1366.png"))
    visited[stem] = (
        page.locator("table.dataframe").count(),
        page.eval_on_selector_all(
            "td", "cells => cells.filter(c => /^(True|False)$/.test(c.innerText.trim())).length"
        ),
    )


def _card_and_merge(dash: Any, served: Served, listed: Participant, shots: Path) -> None:
    """The dashboard's roster section: a listed person's new card QR shown large, and their
    typed duplicate flagged and merged after the confirmation."""
    with Store.open(served.folder) as store:
        org = (
            store.get(Organisation, listed.organisation_id).name if listed.organisation_id else "-"
        )
    dash.get_by_text("명단 · 카드 · 중복").click()
    dash.get_by_text("이름이 같은 참여자", exact=True).wait_for(timeout=30_000)
    person = dash.get_by_label("명단의 사람")
    _pick(person, f"{listed.name} ({org})")
    dash.get_by_role("button", name="새 카드 발급하고 QR 보이기").click()
    qr = dash.get_by_alt_text(f"{listed.name} 님의 참여 QR 코드")
    qr.wait_for(timeout=30_000)
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 300  # scannable from the laptop's screen
    qr.scroll_into_view_if_needed()
    dash.screenshot(path=str(shots / "roster-card-qr-1366.png"))
    with Store.open(served.folder) as store:
        assert len(store.list(AccessToken, role=TokenRole.card, participant_id=listed.id)) == 1

    merge = dash.get_by_role("button", name="합치기…")
    merge.scroll_into_view_if_needed()
    merge.click()
    dash.get_by_text("되돌릴 수 없습니다").wait_for(timeout=30_000)
    dash.screenshot(path=str(shots / "roster-merge-confirm-1366.png"))
    dash.get_by_role("button", name="합치기 확인").click()
    dash.get_by_text("합쳤습니다").wait_for(timeout=30_000)
    with Store.open(served.folder) as store:
        same = [p for p in store.list(Participant) if p.name == listed.name]
        assert [p.id for p in same] == [listed.id]


def _make_a_poll(page: Any) -> None:
    """03's form: a new approval poll with three options, made and started."""
    title = "먼저 할 일"
    _tab(page, "진행")  # the form is under the running of polls
    page.locator(".jupyter-widget-Collapse-header", has_text="투표 만들기").click()
    create = page.get_by_role("button", name="투표 만들기")
    create.wait_for(timeout=30_000)
    _field(page, "text", "제목").fill(title)
    _field(page, "dropdown", "방식").select_option(label="찬성 투표")
    page.get_by_placeholder("선택지 (한 줄에 하나)").fill(
        "공동 판로 개척\n사회적경제 교육\n공유 공간"
    )
    create.click()
    page.get_by_text(f"만들었습니다: {title}").wait_for(timeout=30_000)
    page.get_by_role("button", name="투표 시작").click()
    page.get_by_text("상태: 투표 중 · 투표 0장").wait_for(timeout=30_000)


STAGE_TABS = {
    "01_context": ["보드 정리", "투표로 보내기", "그림과 표"],
    "02_assets": ["자산 정리", "관계망", "실태조사 표"],
    "03_voting": ["진행", "결과", "로드맵으로 옮기기"],
    "04_roadmap": ["참여자 의견·분과 신청", "계획 고치기", "투표 결과 가져오기"],
    "05_report": ["HTML 내보내기", "PDF 내보내기"],
    "06_followup": ["추진 현황", "델파이", "워크숍 비교"],
}
"""What each stage page shows in Korean (its tabs and buttons)."""


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


def _every_tab(page: Any, stem: str, shots: Path) -> None:
    """The stage page's words, then every tab in view clicked as the facilitator would:
    its titles are in the workshop's language, and no tab shows a traceback, a pandas table
    or True/False (sections build on first opening; tabs inside a closed accordion, like
    05's write-up editor, are not in view)."""
    _settle(page)
    body = page.inner_text("body")
    assert "Traceback" not in body
    for words in STAGE_TABS[stem]:
        assert words in body, (stem, words)
    assert not re.search(r"(?m)^\s*(\[\]|\{')", body)
    tabs = page.locator(".lm-TabBar-tab:visible")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        # a tab builds on first opening; a short one (a note, a button) never passes
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(TAB_DRAWN, timeout=10_000)
        _settle(page, step=400)
        page.screenshot(path=str(shots / f"{stem}-tab{i + 1}.png"))
        assert "Traceback" not in page.inner_text("body"), (stem, i)
        cells = page.locator("td").all_inner_texts()
        assert not {c.strip() for c in cells} & {"True", "False", "None", "NaN"}, (stem, i)
        assert page.locator("table.dataframe").count() == 0, (stem, i)


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
        selector,
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes, f"nothing shown for {selector}"
    return float(min(sizes))


def _in_view(page: Any, text: str) -> bool:
    """Whether the element holding ``text`` is inside the viewport and not clipped away."""
    return bool(
        page.evaluate(
            """text => {
          const el = [...document.querySelectorAll('.separ-note, .separ-card, li, td')]
            .find(e => e.textContent.includes(text));
          if (!el) return false;
          const r = el.getBoundingClientRect();
          let box = el.parentElement;
          while (box && getComputedStyle(box).overflow !== 'hidden') box = box.parentElement;
          const c = box ? box.getBoundingClientRect() : {top: 0, bottom: innerHeight};
          return r.top >= Math.max(0, c.top) - 1 && r.bottom <= Math.min(innerHeight, c.bottom) + 1;
        }""",
            text,
        )
    )


def _look(
    pages: dict[str, Any], shots: Path, name: str, wait_text: str, body: str | None = None
) -> None:
    for key, page in pages.items():
        page.get_by_text(wait_text).first.wait_for(timeout=30_000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / f"projector-{name}-{key}.png"))
        _fits(page)
        if body and key == "1080":
            assert _smallest_text(page, body) >= 28


def test_projector_states_fit_both_screens(
    served: Served, browser: Any, shots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cx, "NOTE_RATE", cx.RateLimit(1000, 1.0))  # 36 notes in a minute
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
        for round_ in range(7):
            for i, phone in enumerate(phones):
                assert phone is not None
                cx.add_note(
                    store,
                    phone,
                    board.id,
                    ["political", "economic", "social", "technological"][(i + round_) % 4],
                    f"의견 {round_ * 5 + i + 1}: 사회적경제 조직 간 공동 판로 개척과 "
                    "행정의 중간지원 역할 강화",
                )
        set_live(store, FACILITATOR, "context", None, board.id)
    _look(pages, shots, "board", "의견 35개", ".separ-note")
    for page in pages.values():
        # nine notes a column do not fit: the newest stay in view, the oldest give way
        assert _in_view(page, "의견 35:") and _in_view(page, "의견 34:")
        assert not _in_view(page, "의견 1:")

    with Store.open(served.folder) as store:
        set_live(store, FACILITATOR, "context", None, "seosan-swot")
    _look(pages, shots, "swot", "서산시 SWOT", ".separ-note")

    with Store.open(served.folder) as store:
        poll = polls.create_poll(
            store,
            FACILITATOR,
            "핵심 세부과제 선정",
            "dots",
            dots=2,
            question="3년 안에 가장 먼저 할 과제는?",
            options=[
                "공동 판로 개척",
                "중간지원조직 설립",
                "사회적경제 교육 확대",
                "공공구매 확대",
            ],
        )
        polls.open_poll(store, FACILITATOR, poll.id)
        set_live(store, FACILITATOR, "voting", None, poll.id)
        options = {o.label: o.id for o in store.list(polls.PollOption, poll_id=poll.id)}
        picks = [
            ("공동 판로 개척", "공공구매 확대"),
            ("공동 판로 개척", "중간지원조직 설립"),
            ("공동 판로 개척", "공공구매 확대"),
            ("사회적경제 교육 확대", "공공구매 확대"),
            ("중간지원조직 설립", "공동 판로 개척"),
        ]
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
            "table.separ-ranking tr", "rows => rows.map(r => r.innerText.split('\\t'))"
        )
        # 공동 판로 개척 4 dots, 공공구매 확대 3, 중간지원조직 설립 2, 교육 1
        assert [r[:3] for r in rows[1:]] == [
            ["1위", "공동 판로 개척", "4"],
            ["2위", "공공구매 확대", "3"],
            ["3위", "중간지원조직 설립", "2"],
            ["4위", "사회적경제 교육 확대", "1"],
        ]
        assert (
            page.eval_on_selector("table.separ-ranking td", "e => getComputedStyle(e).wordBreak")
            == "keep-all"
        )

    with Store.open(served.folder) as store:
        set_live(store, FACILITATOR, "assets")
    _look(pages, shots, "assets", "분류별 자산", "table.separ-ranking td")
    for page in pages.values():
        assert page.locator("img").count() == 1  # the corner QR; no unreadable network map

    with Store.open(served.folder) as store:
        set_live(store, FACILITATOR, "roadmap")
    _look(pages, shots, "roadmap", "과제 의견")

    with Store.open(served.folder) as store:
        study = delphi.create_study(store, FACILITATOR, "사회적가치 지표 델파이", scale=5)
        first = delphi.add_item(store, FACILITATOR, study.id, "1-1", "사회적경제 기업 수")
        delphi.add_item(store, FACILITATOR, study.id, "1-2", "공공구매 실적")
        for phone in phones[:3]:
            assert phone is not None
            delphi.add_panellist(
                store,
                FACILITATOR,
                study.id,
                phone.display_name,
                participant_id=phone.participant_id,
            )
        delphi.set_round(store, FACILITATOR, study.id, 1, True)
        set_live(store, FACILITATOR, "delphi", None, study.id)
        assert phones[0] is not None
        delphi.respond(store, phones[0], study.id, first.id, True, 4)
    _look(pages, shots, "delphi", "패널 3명 중 1명 응답", ".separ-card")
    for page in pages.values():
        page.context.close()


def test_serve_prints_a_terminal_qr_and_saves_a_png(served: Served) -> None:
    assert (served.folder / "join-qr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any("█" in line for line in served.output)
    assert served.facilitator.startswith(served.origins[1] + "/voila/render/00_live.ipynb?token=")


def test_facilitator_link_without_token_builds_no_controls(served: Served, browser: Any) -> None:
    bare = served.facilitator.split("?", 1)[0]
    context = browser.new_context(viewport=SCREENS["1080"])
    page = context.new_page()
    page.goto(bare)
    page.get_by_text("진행자 권한이 필요합니다").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="참여자 화면에 띄우기").count() == 0
    assert page.locator("select").count() == 0 and page.locator("input").count() == 0
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
