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
        "계획 예산 538,000,000원 중 69,000,000원 집행(12.8%).",
    ]
    assert "예시 자료" in part.paragraphs[3]
    assert [len(df) for _, df in part.tables] == [4, 3, 3, 11]
    english = fr.progress_part(store, "en", dt.date(2022, 6, 30))
    assert english is not None and english.paragraphs[0].startswith("At 2022-06-30, of 14 tasks")
    indicators = fr.indicators_part(store, "ko")
    assert indicators is not None
    assert indicators.paragraphs == ["지표 6개 중 측정값이 있는 지표 3개."]
    assert fr.delphi_part(store, "ko") is None
    page = fr.yearly_report_html(store)
    # the same pipeline as the workshop report: numbered chapters, separ's template, no script
    assert page.count('<h1 class="chapter"') == 2 and page.count("data:image/png;base64,") == 3
    assert "1. 추진 현황 점검" in page and "〈표 1-1〉" in page and "[그림 2-1]" in page
    assert "Content-Security-Policy" in page and "<script" not in page
    assert "연간 추진 현황 보고" in page


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
    assert part.paragraphs == [
        "지표 델파이: 패널 5명, 문항 3개, 2라운드. 기준(적합 비율 ≥ 0.7, 중요도 중앙값 ≥ 5)을 "
        "통과한 문항 2개. ▼는 평균이 내려간 문항, 수렴(○)은 사분위 범위가 넓어지지 않은 문항."
    ]
    # one table per round pair and group, everyone first, side by side
    assert [caption for caption, _ in part.tables] == [
        "지표 델파이: 1차·2차 비교 (전체)",
        "지표 델파이: 1차·2차 비교 (서울시)",
        "지표 델파이: 1차·2차 비교 (자치구)",
    ]
    everyone = part.tables[0][1]
    assert list(everyone.columns) == [
        "번호",
        "문항",
        "1차 적합(%)",
        "1차 중앙값",
        "1차 평균",
        "2차 적합(%)",
        "2차 중앙값",
        "2차 평균",
        "평균 변화",
        "수렴",
    ]
    # I1: 5 6 7 4 6 -> 5 6 6 6 6 (mean 5.6 -> 5.8, IQR 1 -> 0); I2: 3 4 2 6 5 -> 4 4 3 5 5
    # (4.0 -> 4.2, IQR 2 -> 1); I3 is new in round 2
    assert everyone.values.tolist() == [
        ["I1", "지표 I1", "80.0", "6.0", "5.60", "100.0", "6.0", "5.80", "▲ 0.20", "○"],
        ["I2", "지표 I2", "60.0", "4.0", "4.00", "80.0", "4.0", "4.20", "▲ 0.20", "○"],
        ["I3", "지표 I3 (신규)", "", "", "", "100.0", "6.0", "6.20", "", ""],
    ]
    seoul = part.tables[1][1]
    # D, E: I1 4 6 -> 5 6 (5.0 -> 5.5); I2 6 5 -> 5 5 (5.5 -> 5.0, the mean fell)
    assert seoul["평균 변화"].tolist()[:2] == ["▲ 0.50", "▼ 0.50"]
    assert [caption for caption, _ in part.figures] == [
        "지표 델파이: 라운드별 중요도 분포",
        "지표 델파이: 1차→2차 사분위 범위 변화",
    ]
    for _, frame in part.tables:
        assert not {"True", "False", "None", "nan"} & {str(v) for v in frame.values.ravel()}
