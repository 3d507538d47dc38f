"""The facilitator guides' screenshots, made from the real pages in headless Chromium.

The guides show what a facilitator sees; hand-made screenshots would drift from the
pages as the stages change. This module serves the workbooks in Voila and the live
participant/projector pages through ``separ serve`` on the Seosan sample. The stage
pages are apps with tabs: each shot opens its page, picks the board if it needs one, clicks
its tab, waits until the tab has finished drawing and checks that it shows what the guide
says it shows. The follow-up workbook runs on a copy of the
sample with an example Delphi panel imported from a sheet (the seeds report no panellist's
answers, so the sample ships none; the guide says the shot is an example).

In the suite the PNGs go to a temporary folder: the checkout stays clean. The guides'
images are regenerated on purpose, into ``facilitator_guides/img/``, by ``make
screenshots`` (``SEPAR_SCREENSHOTS=<folder>``), with the workbooks' clock pinned to
:data:`FIXED_DATE` (libfaketime) so that an image changes only when its page does::

    make screenshots
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from separ.workspace import import_file
from tests.conftest import ROOT, SAMPLES

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WORKBOOKS = ROOT / "workbooks"
SCREENSHOTS = os.environ.get("SEPAR_SCREENSHOTS")
"""Where ``make screenshots`` writes the guides' images; unset in the suite (a temp folder)."""
FIXED_DATE = "2022-11-15 10:00:00"
"""The workbooks' "today" in the guides' images (the follow-up date pickers show it)."""
DESK = {"width": 1280, "height": 860}
PHONE = {"width": 360, "height": 740}
PHONE_TOP = {"x": 0, "y": 0, "width": 360, "height": 360}
"""A phone page is short: the guides show its top, not a screen of white."""
TOKEN = "guide-screenshots"


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page's tab ``tab`` (None: the page as it opens) at 1366×768."""

    name: str
    tab: str | None
    expect: str = ""
    """Text the tab must show: the page really shows what the guide says."""
    board: str | None = None
    """On 01_context: the board picked first (the start of its title)."""


SHOTS: dict[str, list[Shot]] = {
    "01_context.ipynb": [
        Shot("context-board", "보드 정리", "숨긴 의견도 보기", board="서산시 환경분석(PEST)"),
        Shot("context-swot", "TOWS 전략 후보", "전략 추가", board="서산시 SWOT"),
    ],
    "02_assets.ipynb": [
        Shot("assets-curation", "자산 정리", "자산"),
        Shot("assets-network", "관계망"),
        Shot("assets-coverage", "포괄률·가입 권유", "(예비)사회적기업"),
    ],
    "03_voting.ipynb": [
        Shot("voting-control", "진행", "투표 시작"),
        Shot("voting-results", "결과", "세부 과제 중요 정도"),
    ],
    "04_roadmap.ipynb": [
        Shot("roadmap-checks", "계획 점검", "주관"),
        Shot("roadmap-diagram", "전략체계도"),
        Shot("roadmap-gantt", "추진 일정"),
        Shot("roadmap-roles", "역할분담·분과"),
        Shot("roadmap-edit", "계획 고치기", "전략과 과제"),
    ],
    "05_report.ipynb": [
        Shot("report-view", None, "HTML 내보내기"),
    ],
    "06_followup.ipynb": [
        Shot("followup-progress", "추진 현황", "진행중"),
        Shot("followup-review", "계획 대비 실적", "중단된 일과 사유"),
        Shot("followup-record", "현황 기록", "작은 성공"),
        Shot("followup-indicators", "지표", "I2-1-1"),
        Shot("followup-delphi", "델파이", "통과: SV1, SV6"),
    ],
}
"""The shots of the stage pages; the projector's board (``context-projector``) and a
phone's asset form (``assets-participant``) come from the live pages."""

DELPHI_EXAMPLE = """라운드,패널,그룹,문항 번호,문항,적합,중요도
{rows}"""
"""An example two-round panel for the follow-up shots (the hand-computed panel of
tests/test_delphi.py, on three sub-categories of seed 003's social-value model): five
panellists in two groups; SV6 is added in round 2."""
DELPHI_ITEMS = {
    "SV1": "지역문제 해결/ 의제발굴과 사업화",
    "SV5": "이해관계자와 협치 구축",
    "SV6": "지역 네트워크 및 생태계구축",
}
DELPHI_GROUP = {"A": "네트워크", "B": "네트워크", "C": "네트워크", "D": "서산시", "E": "서산시"}
DELPHI_ANSWERS = {  # round: item: panellist: (importance 1-7, suitable)
    1: {
        "SV1": dict(A=(5, 1), B=(6, 1), C=(7, 1), D=(4, 0), E=(6, 1)),
        "SV5": dict(A=(3, 0), B=(4, 1), C=(2, 0), D=(6, 1), E=(5, 1)),
    },
    2: {
        "SV1": dict(A=(6, 1), B=(6, 1), C=(6, 1), D=(5, 1), E=(6, 1)),
        "SV5": dict(A=(4, 0), B=(4, 1), C=(3, 1), D=(5, 1), E=(5, 1)),
        "SV6": dict(A=(7, 1), B=(6, 1), C=(6, 1), D=(7, 1), E=(5, 1)),
    },
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    end = time.monotonic() + 90
    while time.monotonic() < end:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=3):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("Voila did not start:\n" + log.read_text(errors="replace"))


@pytest.fixture(scope="module")
def seosan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("guides") / "seosan"
    import_file(folder, SAMPLES["seosan"]).close()
    return folder


@pytest.fixture(scope="module")
def seosan_followup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Seosan sample with the example Delphi panel, loaded the way the guide says."""
    from typer.testing import CliRunner

    from separ import cli

    folder = tmp_path_factory.mktemp("followup") / "seosan"
    import_file(folder, SAMPLES["seosan"]).close()
    rows = [
        f"{round_},패널 {who},{DELPHI_GROUP[who]},{code},{DELPHI_ITEMS[code]},"
        f"{'예' if ok else '아니오'},{score}"
        for round_, items in DELPHI_ANSWERS.items()
        for code, answers in items.items()
        for who, (score, ok) in answers.items()
    ]
    sheet = folder.parent / "델파이 응답.csv"
    sheet.write_text(DELPHI_EXAMPLE.format(rows="\n".join(rows)) + "\n", encoding="utf-8-sig")
    cli._load_commands()
    result = CliRunner().invoke(
        cli.app,
        ["delphi", "import", str(folder), str(sheet), "--study", "사회적가치 지표 델파이 (예시)"],
    )
    assert result.exit_code == 0, (result.output, result.exception)
    assert "imported 25 answers" in result.output
    return folder


@pytest.fixture(scope="module")
def voila(seosan: Path) -> Iterator[str]:
    """Voila serving workbooks/ on the Seosan sample (the facilitator's view)."""
    yield from _voila(seosan)


@pytest.fixture(scope="module")
def voila_followup(seosan_followup: Path) -> Iterator[str]:
    """Voila on the Seosan sample with the example Delphi panel (06_followup only)."""
    yield from _voila(seosan_followup)


@pytest.fixture(scope="module")
def img(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the shots go to: $SEPAR_SCREENSHOTS (make screenshots) or a temp one."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path_factory.mktemp("guide-img")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pinned_clock() -> dict[str, str]:
    """Environment that starts the workbooks' clock at :data:`FIXED_DATE` (make screenshots).

    libfaketime's ``@`` form starts the clocks there and lets them run, so the servers'
    timers behave (leaving the monotonic clock unfaked makes Python's sleep fail).
    """
    if not SCREENSHOTS:
        return {}
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))
    if not found:
        pytest.fail(
            "make screenshots pins the date with libfaketime: sudo apt-get install libfaketime"
        )
    return {"LD_PRELOAD": found[0], "FAKETIME": f"@{FIXED_DATE}"}


def _voila(folder: Path) -> Iterator[str]:
    port = _free_port()
    log = folder.parent / "voila.log"
    env = {
        **os.environ,
        "SEPAR_WORKSHOP": str(folder),
        **pinned_clock(),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        ),
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "voila",
                str(WORKBOOKS),
                "--no-browser",
                "--Voila.ip=127.0.0.1",
                f"--Voila.port={port}",
                "--Voila.port_retries=0",
                f"--Voila.token={TOKEN}",
                "--VoilaConfiguration.show_tracebacks=True",
            ],
            cwd=str(WORKBOOKS),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/?token={TOKEN}", proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def chromium(browser: Any) -> Any:
    """The e2e suite's Chromium (one per worker, tests/e2e/conftest.py)."""
    return browser


LAPTOP = {"width": 1366, "height": 768}
"""The facilitator's screen in the guides (issue 17: every page fits 1366×768)."""


def _settled(page: Any) -> None:
    """Wait until the page stops changing: its text, height and images the same for two
    looks a second apart (figures arrive after the widgets, as images)."""
    last = None
    for _ in range(90):
        now = page.evaluate(
            "[document.body.innerText.length, document.body.scrollHeight,"
            " [...document.images].filter(i => i.complete).length]"
        )
        if now == last:
            return
        last = now
        page.wait_for_timeout(1000)


TAB_DRAWN = """() => [...document.querySelectorAll('.widget-tab-contents > *')]
  .some(c => !c.classList.contains('lm-mod-hidden') && c.getBoundingClientRect().height > 80)"""
"""The open tab shows something (an empty tab's frame is about 30 px tall)."""


def _open_tab(page: Any, title: str) -> None:
    tab = page.locator(".lm-TabBar-tab:visible").filter(
        has_text=re.compile(rf"^\s*{re.escape(title)}\s*$")
    )
    tab.first.click()


def _pick_board(page: Any, prefix: str) -> None:
    select = page.locator(
        ".widget-dropdown:visible:has(> .widget-label:text-is('보드'))"
    ).first.locator("select")
    labels = select.evaluate("s => [...s.options].map(o => o.label)")
    select.select_option(
        label=next(label for label in labels if label.replace("\xa0", " ").startswith(prefix))
    )


@pytest.mark.parametrize("notebook", sorted(SHOTS))
def test_workbook_screenshots(
    notebook: str, chromium: Any, img: Path, request: pytest.FixtureRequest
) -> None:
    voila = request.getfixturevalue(
        "voila_followup" if notebook == "06_followup.ipynb" else "voila"
    )
    context = chromium.new_context(viewport=LAPTOP, device_scale_factor=1)
    page = context.new_page()
    page.goto(
        f"{voila}/voila/render/{notebook}?token={TOKEN}", timeout=180_000, wait_until="load"
    )  # Voila streams the page: "load" follows the last cell
    page.locator(".lm-TabBar-tab:visible, .widget-button:visible").first.wait_for(timeout=180_000)
    _settled(page)
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.split("\n")[0]
    for shot in SHOTS[notebook]:
        if shot.board:
            _pick_board(page, shot.board)
        if shot.tab:
            _open_tab(page, shot.tab)
            # a tab is built when first opened: wait for its content, not for a time
            page.wait_for_function(TAB_DRAWN, timeout=120_000)
        if shot.expect:
            page.get_by_text(shot.expect).locator("visible=true").first.wait_for(timeout=120_000)
        _settled(page)
        target = img / f"{shot.name}.png"
        page.screenshot(path=str(target))
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    context.close()


def test_live_screenshots(chromium: Any, img: Path, tmp_path: Path) -> None:
    """The live pages (``separ serve``): the dashboard, a phone joining and checking in,
    the projector. Skipped until the live server (``separ.live``) is part of separ."""
    if importlib.util.find_spec("separ.live") is None:
        pytest.skip("separ.live is not importable yet (the live server stage)")
    from separ.actors import Actor
    from separ.store import Store
    from separ.tokens import set_live
    from tests.e2e.conftest import start_serve, stop_serve  # type: ignore[import-not-found]

    folder = tmp_path / "seosan"
    import_file(folder, SAMPLES["seosan"]).close()
    served = start_serve(folder)
    try:
        phone = chromium.new_context(viewport=PHONE, device_scale_factor=1).new_page()
        phone.goto(served.participant)
        phone.get_by_role("button", name="참여하기").wait_for(timeout=60_000)
        phone.get_by_placeholder("이름").fill("김민수")
        phone.screenshot(path=str(img / "live-join.png"), clip=PHONE_TOP)
        phone.get_by_role("button", name="참여하기").click()
        phone.get_by_text("진행자가 활동을 시작하면").wait_for(timeout=30_000)

        dash = chromium.new_context(viewport=DESK, device_scale_factor=1).new_page()
        dash.goto(served.facilitator)
        dash.get_by_role("button", name="참여자 화면에 띄우기").wait_for(timeout=90_000)
        selects = dash.locator("select")
        selects.nth(0).select_option(label="체크인")
        selects.nth(2).select_option(label="1회차 (2021-06-23)")  # nth(1): the target, hidden
        dash.get_by_role("button", name="참여자 화면에 띄우기").click()
        dash.get_by_text("지금 화면: 체크인").wait_for(timeout=30_000)
        dash.screenshot(
            path=str(img / "live-dashboard.png"),
            clip={"x": 0, "y": 0, "width": DESK["width"], "height": 660},
        )

        phone.get_by_role("button", name="왔어요").wait_for(timeout=30_000)
        phone.get_by_placeholder("오늘 기대하는 것 (한 줄, 선택)").fill("실행계획 함께 세우기")
        phone.get_by_role("button", name="왔어요").click()
        phone.get_by_text("체크인했습니다").wait_for(timeout=30_000)
        phone.screenshot(path=str(img / "live-checkin.png"), clip=PHONE_TOP)

        projector = chromium.new_context(viewport=DESK, device_scale_factor=1).new_page()
        projector.goto(served.projector)
        projector.get_by_text("지금 1명이 왔어요").wait_for(timeout=30_000)
        assert "김민수" in projector.inner_text("body")
        projector.screenshot(path=str(img / "live-projector.png"))

        # the PEST board on the projector, and a phone's asset form, put live as 01 and 02
        # put them (the guides show what the room sees)
        with Store.open(served.folder) as store:
            set_live(store, Actor.facilitator_actor(), "context", None, "seosan-pest")
        projector.get_by_text("서산시 환경분석(PEST)").first.wait_for(timeout=30_000)
        projector.locator(".separ-note").first.wait_for(timeout=30_000)
        projector.screenshot(path=str(img / "context-projector.png"))
        with Store.open(served.folder) as store:
            set_live(store, Actor.facilitator_actor(), "assets")
        phone.get_by_text("자산을 하나씩 적어 주세요").wait_for(timeout=30_000)
        phone.screenshot(path=str(img / "assets-participant.png"))
        for name in (
            "live-join",
            "live-dashboard",
            "live-checkin",
            "live-projector",
            "context-projector",
            "assets-participant",
        ):
            assert (img / f"{name}.png").stat().st_size > 2_000
    finally:
        assert stop_serve(served) == []
