"""The stages' report sections, read the way a reader of each sample's report meets them.

Numbers come from the seed report (and the samples that copy it), not from separ: the
Nonsan 3-1 budget of 41,800,000원 (L1851-1880), the Seosan vision (L2610), 〈표 3-17〉's
two misprinted percentages, the K5 MOU network of 2021-10-05 (L1245), and the grades of
Seosan's 〈표 4-22〉.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Callable

import pandas as pd
import pytest

from separ.model import Workshop
from separ.report import registry, tables
from separ.report.assembly import assemble
from separ.report.exporter import ReportExporter
from separ.report.notebook import to_notebook
from separ.report.stages import print_granularity
from separ.roadmap import Plan, load_plan
from separ.store import Store
from separ.workspace import open_workshop
from tests.conftest import SAMPLES, Report

STAGES = (
    "environment",
    "swot",
    "assets",
    "network",
    "surveys",
    "voting",
    "vision",
    "tasks",
    "roles",
    "committees",
    "schedule",
    "budget",
)
TITLES = {
    "environment": "환경분석 (PEST)",
    "swot": "SWOT 분석과 TOWS 전략",
    "assets": "지역 자산",
    "network": "조직 간 관계망",
    "surveys": "실태조사 요약",
    "voting": "투표·우선순위 결과",
    "vision": "비전과 전략체계도",
    "tasks": "과제별 실행계획",
    "roles": "주체별 역할분담",
    "committees": "분과 구성",
    "schedule": "추진 일정",
    "budget": "예산 요약",
}
FILLED = {
    "seosan": STAGES,
    # Nonsan held no recorded vote and its report has no role-division table.
    "nonsan": tuple(s for s in STAGES if s not in ("voting", "roles")),
}


@functools.cache
def built(sample: str) -> tuple[str, dict[str, pd.DataFrame], Plan]:
    """The sample's report as HTML, its tables by key, and its plan (made once per run)."""
    with open_workshop(SAMPLES[sample]) as store:
        page = ReportExporter().html(to_notebook(assemble(store)))
        by_key = {f.attrs["key"]: f for f in tables(store).values()}
        plan = load_plan(store)
    return page, by_key, plan


def test_every_stage_slot_is_registered() -> None:
    assert set(STAGES) <= set(registry.available())


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_filled_sections_appear_in_order_with_korean_titles(sample: str) -> None:
    page = built(sample)[0]
    positions = []
    for number, name in enumerate(FILLED[sample], start=5):  # after 서론 and the foundation
        heading = f"{number}. {TITLES[name]}"
        assert heading in page, heading
        positions.append(page.index(heading))
    assert positions == sorted(positions)
    for name in set(STAGES) - set(FILLED[sample]):
        assert f". {TITLES[name]}</h1>" not in page


def _row(frame: pd.DataFrame, label: str) -> str:
    """The 내용 cell of a task plan's 구분 row."""
    return str(frame.loc[frame.iloc[:, 0] == label].iloc[0, 1])


def test_nonsan_numbers() -> None:
    page, by_key, plan = built("nonsan")
    # 3-1 공공구매 사업단: 민 2,000,000 + 관 39,800,000 (L1851-1880)
    budget = _row(by_key["task.3-1"], "필요 예산")
    assert budget.endswith("합계 41,800,000원")
    assert "41,800,000" in page
    by_side = by_key["budget_by_side"]
    # the 공유회 line (2,000,000원 every year) counts for each of 2021, 2022 and 2023
    assert by_side.iloc[-1].tolist()[:2] == ["합계", 58_500_000 + 2 * 2_000_000]
    assert sum(b.amount for b in plan.budget) == 58_500_000
    # the K5: five organisations, each tied to the four others, ten MOUs
    assert "관계 10개" in page
    top = by_key["network_metrics"]
    assert len(top) == 5 and set(top["연결 수"]) == {4}
    assert "보성자원" in set(top["조직"])
    # 〈표 3-17〉: 18/45 is 40.0%, printed 40.4; 12/45 is 26.7%, printed 16.7
    # captioned by its title only: the survey's own number beside the report's reads as a typo
    assert "</span> 〈표 3-17〉" not in page  # (the annex keeps the code as a data column)
    assert "※ 사회적경제 네트워크에 대한 직접적인 지방정부의 지원: 18/45 = 40.0%" in page
    assert "12/45 = 26.7% 인데 표에는 16.7%" in page
    assert by_key["survey.〈표 3-17〉"]["불일치"].tolist().count("○") == 2
    # a monthly plan over two years prints by quarter, one strategy per figure
    assert print_granularity(plan) == "quarter"
    assert page.count('<figcaption><span class="label">[그림 13-') == 3  # one figure per strategy
    # no empty vision line, no "핵심목표 0개"
    assert "<p>비전:" not in page and "<p>3대 전략, 과제 10개.</p>" in page


def test_seosan_numbers() -> None:
    page, by_key, plan = built("seosan")
    assert (
        "비전: 민·관의 상호 협력과 실천을 기반으로 서산지역의 사회문제를 해결하고 살기 좋은 "
        "지역경제 공동체를 실현하는 사회적경제"
    ) in page
    ranking = by_key["poll.poll-seosan-importance"]
    # 〈표 4-22〉: eight tasks 상 (4), four 중상 (3), one 중 (2)
    assert ranking["점수"].tolist() == [4] * 8 + [3] * 4 + [2]
    assert ranking["순위"].tolist() == [1] * 8 + [9] * 4 + [13]
    assert ranking["선택지"].iloc[-1] == "⑧ 서산지역 경제단체와 연계"
    assert "참여 1명" in page
    assert len(by_key["strategy_tree"]) == 14
    assert len([k for k in by_key if k.startswith("task.")]) == 14
    roles = by_key["roles"]
    assert set(roles.columns[2:]) == {"서산시(사회적경제지원센터)", "서산사회적경제네트워크"}
    assert len(roles) == len({r.task_id for r in plan.roles})
    assert "21년 하반기부터 24년 상반기까지 반기 단위" in page
    year = by_key["budget_by_year"]
    # 538,000,000원 as listed; five lines (24,000,000원) are paid every year of 2022–2024
    assert year.iloc[-1, 1] == 538_000_000 + 2 * 24_000_000
    assert year.iloc[:, 0].tolist() == ["2022", "2023", "2024", "연도 미정", "합계"]
    assert "모든 예산의 재원: 미정." in page


def test_english_titles() -> None:
    with open_workshop(SAMPLES["seosan"]) as store:
        report = assemble(store, "en", sections=list(STAGES))
    assert [c.heading for c in report.chapters][:3] == [
        "1. Environment analysis (PEST)",
        "2. SWOT analysis and TOWS strategies",
        "3. Local assets",
    ]
    assert report.chapters[-1].heading == "12. Budget summary"
    with open_workshop(SAMPLES["seosan"]) as store:
        by_key = {f.attrs["key"]: f for f in tables(store, "en", ["budget", "voting"]).values()}
    assert list(by_key["budget_by_strategy"].columns) == ["Strategy", "Amount (KRW)", "Share (%)"]
    assert by_key["budget_by_strategy"].iloc[-1, 0] == "Total"
    assert by_key["poll.poll-seosan-importance"].columns[0] == "rank"


def test_sections_are_left_out_of_an_empty_workshop() -> None:
    store = Store.memory()
    store.add(Workshop(title="빈 워크숍", region="어딘가"))
    for name in STAGES:
        assert registry.builder(name)(store, "ko") is None, name
    assert [c.name for c in assemble(store).chapters if c.name in STAGES] == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_seosan_pdf_has_the_stage_sections(sample_reports: Callable[[str], Report]) -> None:
    result, paths = sample_reports("seosan")  # the report test's PDF: printed once per run
    assert result.returncode == 0, result.stderr
    text = subprocess.run(
        ["pdftotext", str(paths["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    for name in STAGES:
        assert TITLES[name] in text, name
    assert "지역경제 공동체를 실현하는 사회적경제" in text


FOLLOWUP = ("progress", "indicators", "delphi")


def test_followup_chapters_follow_the_plan_and_leave_out_example_records() -> None:
    from separ.report.followup_parts import progress_part

    with open_workshop(SAMPLES["seosan"]) as store:
        report = assemble(store)
        # the sample's 2022 review is an illustration: the yearly report shows it as one
        assert progress_part(store, "ko") is not None
        empty = Store.memory()
        empty.add(Workshop(title="빈 워크숍", region="어딘가"))
        assert [registry.builder(n)(empty, "ko") for n in FOLLOWUP] == [None, None, None]
    names = [c.name for c in report.chapters]
    # the 2021 workshop report never prints that invented review, only the indicator plan
    assert "progress" not in names
    assert names.index("budget") < names.index("indicators")
    assert "delphi" not in names  # the sample has no Delphi study
    page = built("seosan")[0]
    assert "예시" not in page and "2022-06-30" not in page
    assert "지표 6개 중 측정값이 있는 지표 0개." in page
    with open_workshop(SAMPLES["nonsan"]) as store:
        assert "progress" not in [c.name for c in assemble(store).chapters]
