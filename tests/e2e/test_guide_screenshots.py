"""The facilitator guides' screenshots, made from the real pages in headless Chromium.

The guides show what a facilitator sees; hand-made screenshots would drift from the
pages as the stages change. This module serves the workbooks in Voila and the live
participant/projector pages through ``separ serve`` on the Seosan sample, and checks that
each page shows what the guide says it shows. The follow-up workbook runs on a copy of the
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
    """One screenshot: from the workbook cell holding ``anchor`` take ``cells`` cells."""

    name: str
    anchor: str
    cells: int = 2
    expect: str = ""
    """Text the shot's cells must contain: the page really shows what the guide says."""
    max_height: int = 900


SHOTS: dict[str, list[Shot]] = {
    "01_context.ipynb": [
        Shot("context-board", "2. PEST 보드 정리", expect="숨긴 의견도 보기"),
        Shot("context-projector", "프로젝터 화면 / Projector", expect="서산시 환경분석(PEST)"),
        Shot("context-swot", "3. SWOT 보드와 TOWS 전략", cells=2, expect="[강점]"),
    ],
    "02_assets.ipynb": [
        Shot("assets-participant", "1. 참여자 화면 미리보기", expect="자산을 하나씩 적어 주세요"),
        Shot("assets-curation", "2. 자산 정리", expect="자산 목록"),
        Shot("assets-network", "3. 관계망", max_height=1000),
        Shot("assets-coverage", "4. 네트워크 포괄률", cells=3, expect="(예비)사회적기업"),
    ],
    "03_voting.ipynb": [
        Shot("voting-control", "투표 만들기와 진행", expect="투표 시작"),
        Shot("voting-results", "결과 (Results)", expect="세부 과제 중요 정도", max_height=1100),
    ],
    "04_roadmap.ipynb": [
        Shot("roadmap-checks", "1. 계획 점검", expect="주관"),
        Shot("roadmap-diagram", "2. 전략체계도", expect=""),
        Shot("roadmap-gantt", "3. 추진 일정", max_height=1000),
        Shot("roadmap-roles", "4. 주체별 역할분담과 분과", cells=3),
        Shot("roadmap-edit", "6. 계획 고치기와 목표 점검", expect="전략과 과제"),
    ],
    "05_report.ipynb": [
        Shot("report-view", "결과보고서", cells=4, max_height=1100),
    ],
    "06_followup.ipynb": [
        Shot("followup-progress", "1. 추진 현황 / Progress", cells=4, expect="진행중",
             max_height=1100),
        Shot("followup-review", "2. 계획 대비 실적", cells=3, expect="중단된 일과 사유",
             max_height=1300),
        Shot("followup-record", "3. 현황 기록", expect="작은 성공"),
        Shot("followup-indicators", "4. 지표 / Indicators", cells=3, expect="I2-1-1",
             max_height=1100),
        Shot("followup-delphi", "5. 델파이 / Delphi", cells=3, expect="통과: SV1, SV6",
             max_height=1300),
    ],
}

DELPHI_EXAMPLE = """라운드,패널,그룹,문항 번호,문항,적합,중요도
{rows}"""
"""An example two-round panel for the follow-up shots (the hand-computed panel of
tests/test_delphi.py, on three sub-categories of seed 003's social-value model): five
panellists in two groups; SV6 is added in round 2."""
DELPHI_ITEMS = {"SV1": "지역문제 해결/ 의제발굴과 사업화", "SV5": "이해관계자와 협치 구축",
                "SV6": "지역 네트워크 및 생태계구축"}
DELPHI_GROUP = {"A": "네트워크", "B": "네트워크", "C": "네트워크", "D": "서산시", "E": "서산시"}
DELPHI_ANSWERS = {  # round: item: panellist: (importance 1-7, suitable)
    1: {"SV1": dict(A=(5, 1), B=(6, 1), C=(7, 1), D=(4, 0), E=(6, 1)),
        "SV5": dict(A=(3, 0), B=(4, 1), C=(2, 0), D=(6, 1), E=(5, 1))},
    2: {"SV1": dict(A=(6, 1), B=(6, 1), C=(6, 1), D=(5, 1), E=(6, 1)),
        "SV5": dict(A=(4, 0), B=(4, 1), C=(3, 1), D=(5, 1), E=(5, 1)),
        "SV6": dict(A=(7, 1), B=(6, 1), C=(6, 1), D=(7, 1), E=(5, 1))},
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
    rows = [f"{round_},패널 {who},{DELPHI_GROUP[who]},{code},{DELPHI_ITEMS[code]},"
            f"{'예' if ok else '아니오'},{score}"
            for round_, items in DELPHI_ANSWERS.items()
            for code, answers in items.items() for who, (score, ok) in answers.items()]
    sheet = folder.parent / "델파이 응답.csv"
    sheet.write_text(DELPHI_EXAMPLE.format(rows="\n".join(rows)) + "\n", encoding="utf-8-sig")
    cli._load_commands()
    result = CliRunner().invoke(cli.app, ["delphi", "import", str(folder), str(sheet),
                                          "--study", "사회적가치 지표 델파이 (예시)"])
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
        pytest.fail("make screenshots pins the date with libfaketime: "
                    "sudo apt-get install libfaketime")
    return {"LD_PRELOAD": found[0], "FAKETIME": f"@{FIXED_DATE}"}


def _voila(folder: Path) -> Iterator[str]:
    port = _free_port()
    log = folder.parent / "voila.log"
    env = {**os.environ, "SEPAR_WORKSHOP": str(folder), **pinned_clock(),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                        os.environ.get("PYTHONPATH")]))}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "voila", str(WORKBOOKS), "--no-browser",
             "--Voila.ip=127.0.0.1", f"--Voila.port={port}", "--Voila.port_retries=0",
             f"--Voila.token={TOKEN}", "--VoilaConfiguration.show_tracebacks=True"],
            cwd=str(WORKBOOKS), env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
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


CELL_BOX = """([anchor, count]) => {
  const cells = [...document.querySelectorAll('.jp-Cell')]
    .filter(c => c.getBoundingClientRect().height > 1);
  const start = cells.findIndex(c => c.innerText.includes(anchor));
  if (start < 0) return null;
  const chosen = cells.slice(start, start + count);
  const boxes = chosen.map(c => c.getBoundingClientRect());
  const top = Math.min(...boxes.map(b => b.top));
  const bottom = Math.max(...boxes.map(b => b.bottom));
  const left = Math.min(...boxes.map(b => b.left));
  const right = Math.max(...boxes.map(b => b.right));
  return {x: left, y: top, width: right - left, height: bottom - top,
          text: chosen.map(c => c.innerText).join('\\n').replace(/\u00a0/g, ' ')};
}"""


def _settled(page: Any) -> None:
    """Wait until Voila has run every cell: the cell count and page height stop changing."""
    last = None
    for _ in range(120):
        now = page.evaluate("[document.querySelectorAll('.jp-Cell').length,"
                            " document.body.scrollHeight, document.images.length]")
        if now == last and now[0] > 0:
            break
        last = now
        page.wait_for_timeout(1000)
    # Voila's page scrolls inside a container: make the window as tall as the notebook so
    # every cell is on screen and can be clipped where it stands
    height = page.evaluate("Math.max(...[...document.querySelectorAll('.jp-Cell')]"
                           ".map(c => c.getBoundingClientRect().bottom))")
    page.set_viewport_size({"width": DESK["width"], "height": min(int(height) + 40, 16_000)})
    page.wait_for_timeout(1500)  # widget views and images finish drawing


@pytest.mark.parametrize("notebook", sorted(SHOTS))
def test_workbook_screenshots(notebook: str, chromium: Any, img: Path,
                              request: pytest.FixtureRequest) -> None:
    voila = request.getfixturevalue(
        "voila_followup" if notebook == "06_followup.ipynb" else "voila")
    context = chromium.new_context(viewport=DESK, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{voila}/voila/render/{notebook}?token={TOKEN}", timeout=180_000)
    page.wait_for_selector(".jp-Cell", timeout=180_000)
    _settled(page)
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.split("\n")[0]
    for shot in SHOTS[notebook]:
        box = page.evaluate(CELL_BOX, [shot.anchor, shot.cells])
        assert box is not None, f"{notebook}: no cell shows {shot.anchor!r}"
        assert shot.expect in box["text"], f"{shot.name}: {shot.expect!r} not shown"
        clip = {"x": box["x"], "y": box["y"], "width": box["width"],
                "height": min(box["height"], shot.max_height)}
        assert clip["height"] > 40 and clip["width"] > 300
        target = img / f"{shot.name}.png"
        page.screenshot(path=str(target), clip=clip)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    context.close()


def test_live_screenshots(chromium: Any, img: Path, tmp_path: Path) -> None:
    """The live pages (``separ serve``): the dashboard, a phone joining and checking in,
    the projector. Skipped until the live server (``separ.live``) is part of separ."""
    if importlib.util.find_spec("separ.live") is None:
        pytest.skip("separ.live is not importable yet (the live server stage)")
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
        dash.screenshot(path=str(img / "live-dashboard.png"),
                        clip={"x": 0, "y": 0, "width": DESK["width"], "height": 660})

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
        for name in ("live-join", "live-dashboard", "live-checkin", "live-projector"):
            assert (img / f"{name}.png").stat().st_size > 2_000
    finally:
        assert stop_serve(served) == []
