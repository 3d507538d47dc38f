"""Every stage page in Voila at 1366×768, opened from the facilitator link `separ serve`
prints: it loads, shows its tabs in the workshop's language, holds no pandas table or
True/False, and its screenshot is kept for a person to look at (SEPAR_SHOTS, default
/tmp/separ-stage-pages).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Served

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


def _settle(page: Any) -> None:
    """Wait until the page's widgets stop changing (Voila runs the cells, then draws)."""
    page.wait_for_selector(".jupyter-widgets", timeout=180_000)
    last = None
    for _ in range(90):
        now = page.evaluate("[document.querySelectorAll('.jupyter-widgets').length,"
                            " document.body.innerText.length, document.images.length]")
        if now == last:
            break
        last = now
        page.wait_for_timeout(1000)


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
    context.close()
