"""The facilitator guides' screenshots, made from the real pages in headless Chromium.

The guides show what a facilitator sees; hand-made screenshots would drift from the
pages as the stages change. This module serves the workbooks in Voila and the live
participant/projector pages through ``separ serve`` on the Seosan sample. The stage
pages are apps with tabs: each shot opens its page, picks the board if it needs one, clicks
its tab, waits until the tab has finished drawing and checks that it shows what the guide
says it shows. The follow-up workbook runs on a copy of the
sample with an example Delphi panel imported from a sheet (the seeds report no panellist's
answers, so the sample ships none; the guide says the shot is an example).

Each shot is the panel the guide talks about, captured at most :data:`PANEL` CSS pixels
wide at device scale 2, so that its type prints at 7 pt or more in the printed guide (a
desktop-wide capture shrunk to the 170 mm text width printed 13 px type at 3–5 pt). Before
a shot is taken the page itself is measured: the smallest visible text inside the capture,
form controls and figures included (a figure's PNG says how small its type is, see
``separ.ui.base.figure_png``). The capture's CSS size and that text go into the PNG as its
record (``separ.report.shots``), which the guide printer sizes the image from and
tests/test_guides.py checks; a shot whose text would print under 7 pt fails here, naming it.

The guides' images are regenerated on purpose, into ``facilitator_guides/img/``, by ``make
screenshots`` (``SEPAR_SCREENSHOTS=<folder>``), with the workbooks' clock pinned to
:data:`FIXED_DATE` (libfaketime) so that an image changes only when its page does::

    make screenshots

Only then does this module run: it costs about a tenth of the suite's CPU (eight Voila
pages at device scale 2 and a live server), and ``make test`` must stay fast on a 2-core
box. What the suite checks without it: every stage page and tab through the facilitator's
bar (tests/e2e/test_console.py), and the committed images' records -- each prints at 7 pt
or more, each image a guide names exists and is one this module makes
(tests/test_guides.py). A page that grew past its shot is found when the shots are
regenerated, which a change to a page the guides show calls for anyway.
"""

from __future__ import annotations

import glob
import importlib.util
import math
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from separ.report.shots import (
    FIGURE_TEXT_KEY,
    SHOT_KEY,
    ShotRecord,
    legible,
    png_size,
    smallest_pt,
    tallest_css_height,
    widest_css_width,
    with_png_text,
)
from separ.workspace import import_file
from tests.conftest import ROOT, SAMPLES
from tests.e2e.conftest import TAB_DRAWN

WORKBOOKS = ROOT / "workbooks"
SCREENSHOTS = os.environ.get("SEPAR_SCREENSHOTS")
"""Where ``make screenshots`` writes the guides' images; unset in the suite, which skips them."""

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(
        not SCREENSHOTS, reason="the guides' screenshots are made by `make screenshots`"
    ),
]
FIXED_DATE = "2022-11-15 10:00:00"
"""The workbooks' "today" in the guides' images (the follow-up date pickers show it)."""
SCALE = 2
"""Device pixels per CSS pixel: a capture printed 170 mm wide stays sharp (about 260 dpi)."""
PANEL = 880
"""The widest capture of page type: 13 px prints at 7.1 pt across the 170 mm text width."""
DESK = {"width": PANEL, "height": 900}
PROJECTOR = {"width": 1280, "height": 860}
"""The projector's page as the room sees it (its type is large enough to print this wide)."""
PHONE = {"width": 360, "height": 740}
PHONE_TOP = {"x": 0, "y": 0, "width": 360, "height": 360}
"""A phone page is short: the guides show its top, not a screen of white."""
TOKEN = "guide-screenshots"


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page's tab ``tab`` (None: the page as it opens), its panel only."""

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
def img() -> Path:
    """The folder the shots go to: $SEPAR_SCREENSHOTS (make screenshots)."""
    assert SCREENSHOTS
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pinned_clock() -> dict[str, str]:
    """Environment that starts the workbooks' clock at :data:`FIXED_DATE`.

    libfaketime's ``@`` form starts the clocks there and lets them run, so the servers'
    timers behave (leaving the monotonic clock unfaked makes Python's sleep fail).
    """
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


MEASURE = """async ({clip, key}) => {
  const inClip = r => r.width > 2 && r.height > 2
    && r.right + scrollX > clip.x && r.left + scrollX < clip.x + clip.width
    && r.bottom + scrollY > clip.y && r.top + scrollY < clip.y + clip.height;
  const shown = el => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    }
    return true;
  };
  const px = el => {
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement && el.getScreenCTM()) size *= Math.abs(el.getScreenCTM().a);
    return size;
  };
  let smallest = null;
  const see = (size, text) => {
    if (smallest === null || size < smallest[0]) smallest = [size, text.trim().slice(0, 40)];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('script, style, select, noscript, title, template')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if ([...range.getClientRects()].some(inClip) && shown(el)) see(px(el), node.textContent);
  }
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (!inClip(el.getBoundingClientRect()) || !shown(el)) continue;
    const text = el.tagName === 'SELECT'
      ? [...el.options].map(o => o.label).join(' ') : (el.value || el.placeholder || '');
    const textless = ['checkbox', 'radio', 'hidden', 'range', 'color', 'file', 'image'];
    if (text.trim() && !textless.includes(el.type)) see(px(el), text);
  }
  const unmeasured = [];
  for (const img of document.images) {
    const box = img.getBoundingClientRect();
    if (!inClip(box) || !shown(img) || !img.naturalWidth) continue;
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    const head = String.fromCharCode(...bytes.slice(0, 8));
    if (head === '\\x89PNG\\r\\n\\x1a\\n') {
      let at = 8, found = null;
      const view = new DataView(bytes.buffer);
      while (at + 8 <= bytes.length) {
        const length = view.getUint32(at);
        const kind = String.fromCharCode(...bytes.slice(at + 4, at + 8));
        if (kind === 'tEXt') {
          const body = String.fromCharCode(...bytes.slice(at + 8, at + 8 + length));
          const [name, value] = body.split('\\0');
          if (name === key) found = parseFloat(value);
        }
        if (kind === 'IEND' || kind === 'IDAT') break;
        at += 12 + length;
      }
      if (found === null) unmeasured.push(img.alt || img.src.slice(0, 60));
      else see(found * box.width / img.naturalWidth, img.alt || 'figure');
    } else if (new TextDecoder().decode(bytes).includes('<text')) {
      unmeasured.push(img.alt || img.src.slice(0, 60));
    }
  }
  return {smallest, unmeasured};
}"""
"""The smallest visible text inside ``clip`` (page coordinates), in CSS pixels as drawn: text,
form controls, and figures by the size their PNG records (a figure scaled down to the
column is scaled down here too). Pictures that may hold text but say nothing of it are
listed, so a shot cannot pass by not looking. Text in a box of 2 px or less is for screen
readers only (a live region clipped to 1 px) and is not in the picture."""

CONTENT_BOTTOM = """() => {
  let bottom = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement
        || node.parentElement.closest('script, style, noscript, title, template')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 2 && r.height > 2)
      bottom = Math.max(bottom, r.bottom + scrollY);
  }
  for (const el of document.querySelectorAll('img, input, select, textarea, button')) {
    const r = el.getBoundingClientRect();
    if (r.width > 2 && r.height > 2) bottom = Math.max(bottom, r.bottom + scrollY);
  }
  return bottom;
}"""
"""Where the page's visible content ends: a projector page is a screen of white below it."""


def _measure(page: Any, target: Path, box: dict[str, float]) -> ShotRecord:
    found = page.evaluate(MEASURE, {"clip": box, "key": FIGURE_TEXT_KEY})
    assert not found["unmeasured"], f"{target.name}: pictures of unknown type size {found}"
    assert found["smallest"], f"{target.name}: no text inside {box}"
    size, sample = found["smallest"]
    return ShotRecord(
        css_width=box["width"],
        css_height=box["height"],
        scale=SCALE,
        smallest_px=math.floor(float(size) * 100) / 100,
        smallest_text=sample,
    )


def capture(
    page: Any, target: Path, clip: dict[str, float] | Callable[[], dict[str, float]]
) -> ShotRecord:
    """Measure the page inside ``clip``, take the shot at :data:`SCALE`, write its record.

    ``clip`` given as a function is a panel of the page's width: when its smallest text
    would print under 7 pt the page is laid out narrower, as wide as that text allows
    (``widest_css_width``), and measured again. A fixed clip (a phone's top) is taken as
    it is. Fails before writing when the smallest text would print under 7 pt (the guide's
    rule, ``separ.report.shots``), naming that text.
    """
    for _ in range(3):
        area = clip() if callable(clip) else clip
        box = {key: float(round(area[key])) for key in ("x", "y", "width", "height")}
        record = _measure(page, target, box)
        narrower = widest_css_width(record.smallest_px)
        if legible(record) or not callable(clip) or narrower >= page.viewport_size["width"]:
            break
        page.set_viewport_size({"width": narrower, "height": page.viewport_size["height"]})
        _settled(page)
    assert legible(record), (
        f"{target.name}: {record.smallest_text!r} at {record.smallest_px} px would print "
        f"at {smallest_pt(record):.2f} pt"
    )
    data = page.screenshot(clip=box, full_page=True)
    assert png_size(data) == (box["width"] * SCALE, box["height"] * SCALE)
    target.write_bytes(with_png_text(data, SHOT_KEY, record.to_json()))
    return record


def page_clip(page: Any, top: Any, bottom: Any | None = None) -> dict[str, float]:
    """The page's full width from the top of ``top`` (a locator) down to the bottom of
    ``bottom`` (default: ``top``), no taller than the guide prints without shrinking."""
    width = float(page.viewport_size["width"])
    first = top.bounding_box()
    last = (bottom or top).bounding_box()
    scroll = float(page.evaluate("scrollY"))
    y = max(first["y"] + scroll - 8, 0.0)
    height = min(last["y"] + scroll + last["height"] + 8 - y, tallest_css_height(width))
    return {"x": 0.0, "y": y, "width": width, "height": height}


def top_of_page(page: Any) -> dict[str, float]:
    """The page's top, as wide as the window and no taller than the window or the guide
    prints without shrinking."""
    size = page.viewport_size
    content = float(page.evaluate(CONTENT_BOTTOM)) + 24
    height = min(size["height"], tallest_css_height(size["width"]), content)
    return {"x": 0.0, "y": 0.0, "width": size["width"], "height": height}


def down_to(page: Any, last: Any) -> dict[str, float]:
    """The page from its top down to ``last`` (a locator): a phone's form down to its
    button. Taller than a phone prints at its natural size, it is printed a little smaller,
    which its type allows (``separ.report.shots``: 13 px stays above 7 pt down to 0.72)."""
    box = last.bounding_box()
    bottom = box["y"] + float(page.evaluate("scrollY")) + box["height"] + 12
    return {"x": 0.0, "y": 0.0, "width": float(page.viewport_size["width"]), "height": bottom}


def below_the_bar(page: Any) -> dict[str, float]:
    """A console page under its navigation bar. The bar's English glosses are 11 px, which
    would print at 7 pt only in a capture 757 px wide, where the dashboard's two columns
    (the plan on the right) fold into one; the guide describes the bar in words."""
    bar = page.locator(".separ-nav").bounding_box()
    y = bar["y"] + float(page.evaluate("scrollY")) + bar["height"]
    width = float(page.viewport_size["width"])
    return {"x": 0.0, "y": y, "width": width, "height": tallest_css_height(width)}


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


NATURAL_FIGURES = """() => {
  for (const img of document.querySelectorAll('.widget-image')) {
    if (img.getClientRects().length && img.naturalWidth > img.getBoundingClientRect().width + 1) {
      img.style.maxWidth = 'none';
      img.style.width = img.naturalWidth + 'px';
    }
  }
}"""
"""Figures at their own size, as on a screen wide enough for them. The tab's column shrinks
a projector-sized figure (16 in) to fit, and its type to 6–7 px, which no capture could
print at 7 pt; at its own size its type is 11–15 px and the shot shows its left part."""


OUTPUT = "xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][last()]"
"""The notebook cell's output a widget sits in: a stage page's controls start there."""


def _panel(page: Any, shot: Shot) -> dict[str, float]:
    """What a stage shot shows: the stage's controls (board picker, the button that puts it
    on the phones) and the open section (tab bar and tab), without the page's introduction;
    the page's own controls down to what they show when it has no tabs."""
    page.evaluate(NATURAL_FIGURES)
    if shot.tab is None:
        first = page.locator(".widget-toggle-buttons:visible, .widget-button:visible").first
        return page_clip(page, first.locator(OUTPUT), page.locator(".jp-OutputArea-output").last)
    tabs = page.locator(".widget-tab:visible").first
    return page_clip(page, tabs.locator(OUTPUT), tabs)


@pytest.mark.parametrize("notebook", sorted(SHOTS))
def test_workbook_screenshots(
    notebook: str, chromium: Any, img: Path, request: pytest.FixtureRequest
) -> None:
    voila = request.getfixturevalue(
        "voila_followup" if notebook == "06_followup.ipynb" else "voila"
    )
    context = chromium.new_context(viewport=DESK, device_scale_factor=SCALE)
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
        capture(page, img / f"{shot.name}.png", lambda shot=shot: _panel(page, shot))
        page.set_viewport_size(DESK)
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
        phone = chromium.new_context(viewport=PHONE, device_scale_factor=SCALE).new_page()
        phone.goto(served.participant)
        phone.get_by_role("button", name="참여하기").wait_for(timeout=60_000)
        phone.get_by_placeholder("이름").fill("김민수")
        capture(phone, img / "live-join.png", PHONE_TOP)
        phone.get_by_role("button", name="참여하기").click()
        phone.get_by_text("진행자가 활동을 시작하면").wait_for(timeout=30_000)

        dash = chromium.new_context(viewport=DESK, device_scale_factor=SCALE).new_page()
        dash.goto(served.facilitator)
        dash.get_by_role("button", name="참여자 화면에 띄우기").wait_for(timeout=90_000)
        selects = dash.locator("select")
        selects.nth(0).select_option(label="체크인")
        selects.nth(2).select_option(label="1회차 (2021-06-23)")  # nth(1): the target, hidden
        dash.get_by_role("button", name="참여자 화면에 띄우기").click()
        dash.get_by_text("지금 화면: 체크인").wait_for(timeout=30_000)
        capture(dash, img / "live-dashboard.png", lambda: below_the_bar(dash))

        phone.get_by_role("button", name="왔어요").wait_for(timeout=30_000)
        phone.get_by_placeholder("오늘 기대하는 것 (한 줄, 선택)").fill("실행계획 함께 세우기")
        phone.get_by_role("button", name="왔어요").click()
        phone.get_by_text("체크인했습니다").wait_for(timeout=30_000)
        capture(phone, img / "live-checkin.png", PHONE_TOP)

        projector = chromium.new_context(viewport=PROJECTOR, device_scale_factor=SCALE).new_page()
        projector.goto(served.projector)
        projector.get_by_text("지금 1명이 왔어요").wait_for(timeout=30_000)
        assert "김민수" in projector.inner_text("body")
        capture(projector, img / "live-projector.png", lambda: top_of_page(projector))

        # the PEST board on the projector, and a phone's asset form, put live as 01 and 02
        # put them (the guides show what the room sees)
        with Store.open(served.folder) as store:
            set_live(store, Actor.facilitator_actor(), "context", None, "seosan-pest")
        projector.get_by_text("서산시 환경분석(PEST)").first.wait_for(timeout=30_000)
        projector.locator(".separ-note").first.wait_for(timeout=30_000)
        capture(projector, img / "context-projector.png", lambda: top_of_page(projector))
        with Store.open(served.folder) as store:
            set_live(store, Actor.facilitator_actor(), "assets")
        phone.get_by_text("자산을 하나씩 적어 주세요").wait_for(timeout=30_000)
        send = phone.get_by_role("button", name="자산 보내기")
        capture(phone, img / "assets-participant.png", lambda: down_to(phone, send))
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
