"""Report parts of the follow-up and the yearly progress report page."""

from __future__ import annotations

import datetime as dt

from separ.model import Workshop
from separ.report import followup_parts as fr
from separ.store import Store
from separ.workspace import open_workshop
from tests.conftest import SAMPLES
from tests.test_delphi import run_panel


def test_parts_of_the_seosan_example() -> None:
    store = open_workshop(SAMPLES["seosan"])
    part = fr.progress_part(store, "ko")
    assert part is not None
    assert part.paragraphs[:3] == [
        "2022-12-31 기준 14개 과제 중 미착수 1, 진행중 13, 완료 0, 중단 0.",
        "끝냈어야 하지만 끝나지 않은 일 3건, 중단된 일 3건.",
        "계획 예산 538,000,000원 중 69,000,000원 집행(12.8%)."]
    assert "예시 자료" in part.paragraphs[3]
    assert [len(df) for _, df in part.tables] == [4, 3, 3, 11]
    english = fr.progress_part(store, "en", dt.date(2022, 6, 30))
    assert english is not None and english.paragraphs[0].startswith("At 2022-06-30, of 14 tasks")
    indicators = fr.indicators_part(store, "ko")
    assert indicators is not None
    assert indicators.paragraphs == ["지표 6개 중 측정값이 있는 지표 3개."]
    assert fr.delphi_part(store, "ko") is None
    page = fr.yearly_report_html(store)
    assert page.count("<h2>") == 2 and page.count("data:image/png;base64,") == 3


def test_empty_workshop_has_no_parts() -> None:
    store = Store.memory()
    store.add(Workshop(title="<script>", region="r"))
    assert fr.progress_part(store) is None and fr.indicators_part(store) is None
    page = fr.yearly_report_html(store)
    assert "&lt;script&gt;" in page and "<script>" not in page


def test_delphi_part() -> None:
    store, _, _ = run_panel()
    part = fr.delphi_part(store, "ko")
    assert part is not None
    assert part.paragraphs == ["지표 델파이: 패널 5명, 문항 3개, 2라운드. 기준(적합 ≥ 0.7, "
                               "중요도 중앙값 ≥ 5)을 통과한 문항 2개."]
    assert len(part.figures) == 2 and len(part.tables[0][1]) == 15
