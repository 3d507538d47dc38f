"""A whole workshop from nothing to a PDF report with ``separ`` commands only (no Python API).

This is what a researcher scripts: create the workshop, add its meetings, run a weighted
(multi-criteria) vote on paper, close and reveal it, recount it, carry the top tasks into
the roadmap and print the report. Every step is a `separ` command under SEPAR_LANG=ko, run
in-process by tests/separ_cli.py (the same entry point, argv, streams and exit code).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.separ_cli import run

BALLOTS = [
    # 시급성 weighs 2, 실현가능성 1: score = (2·시급성 + 실현가능성) / 3
    "센터 운영/시급성=5, 센터 운영/실현가능성=2, 공공구매/시급성=3, 공공구매/실현가능성=3, "
    "공동 판로/시급성=2, 공동 판로/실현가능성=5",  # 센터 4, 공공 3, 판로 3
    "센터 운영/시급성=5, 센터 운영/실현가능성=5, 공공구매/시급성=4, 공공구매/실현가능성=1, "
    "공동 판로/시급성=1, 공동 판로/실현가능성=1",  # 센터 5, 공공 3, 판로 1
    "센터 운영/시급성=2, 센터 운영/실현가능성=5, 공공구매/시급성=5, 공공구매/실현가능성=5, "
    "공동 판로/시급성=2, 공동 판로/실현가능성=2",  # 센터 3, 공공 5, 판로 2
]


def separ(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    out = run(*args, lang="ko")
    if ok:
        assert out.returncode == 0, out.stderr
        assert "Traceback" not in out.stderr
    return out


@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() or not shutil.which("pdftotext"),
    reason="the PDF needs Chromium; reading it back needs pdftotext",
)
def test_workshop_from_nothing_to_pdf(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert (
        separ(
            "init",
            ws,
            "--title",
            "서산 사회적경제 워크숍",
            "--region",
            "서산시",
            "--plan-start",
            "2025",
            "--plan-end",
            "2027",
        ).returncode
        == 0
    )
    # added out of date order: the list is by date, each kind numbered on its own
    assert (
        "1차 워크숍"
        in separ(
            "session", "add", ws, "--kind", "워크숍", "--date", "2024-05-01", "--place", "서산시청"
        ).stdout
    )
    assert (
        "1차 간담회"
        in separ("session", "add", ws, "--kind", "간담회", "--date", "2024-04-20").stdout
    )
    assert (
        "2차 워크숍"
        in separ("session", "add", ws, "--kind", "workshop", "--date", "2024-06-05").stdout
    )
    listed = separ("session", "list", ws).stdout.splitlines()
    assert [line.split("  ")[:2] for line in listed] == [
        ["2024-04-20", "1차 간담회"],
        ["2024-05-01", "1차 워크숍"],
        ["2024-06-05", "2차 워크숍"],
    ]

    created = separ(
        "poll",
        "create",
        ws,
        "--title",
        "우선 과제",
        "--method",
        "다기준 평가",
        "--option",
        "센터 운영",
        "--option",
        "공공구매",
        "--option",
        "공동 판로",
        "--criterion",
        "시급성=2",
        "--criterion",
        "실현가능성=1",
    ).stdout
    match = re.search(r"투표를 만들었습니다: (\w+) \(우선 과제, 선택지 3개\)", created)
    assert match, created
    poll = match.group(1)
    early = separ("poll", "paper", ws, poll, "--ballot", BALLOTS[0], ok=False)
    assert early.returncode == 2 and "아직 투표가 시작되지 않았습니다" in early.stderr
    assert separ("poll", "open", ws, poll).stdout.strip() == "투표를 시작했습니다: 우선 과제"
    bad = separ(
        "poll",
        "paper",
        ws,
        poll,
        "--ballot",
        BALLOTS[0].replace("=5", "=9", 1),
        "--ballot",
        BALLOTS[1],
        ok=False,
    )
    assert bad.returncode == 2 and "센터 운영의 점수 9은(는) 1~5 사이여야 합니다" in bad.stderr
    typo = separ(
        "poll", "paper", ws, poll, "--ballot", BALLOTS[0].replace("공공구매", "공공구메"), ok=False
    )
    assert typo.stderr.strip() == "separ: 1번째 투표지: 없는 선택지입니다: 공공구메 (공공구매?)"
    paper = separ("poll", "paper", ws, poll, *[a for b in BALLOTS for a in ("--ballot", b)])
    assert paper.stdout.strip() == "종이 투표지 3장을 입력했습니다 (3명분): 우선 과제"
    assert separ("poll", "close", ws, poll).stdout.strip() == "투표를 마감했습니다: 우선 과제"
    assert separ("poll", "reveal", ws, poll).stdout.strip() == "결과를 공개했습니다: 우선 과제"
    assert separ("poll", "list", ws).stdout.splitlines()[1] == (
        f"{poll}  우선 과제  다기준 평가  마감  예  3  3"
    )

    # 센터 (4+5+3)/3 = 4, 공공 (3+3+5)/3 = 11/3, 판로 (3+1+2)/3 = 2
    doc = json.loads(separ("tally", ws, "--poll", poll, "--format", "json").stdout)
    assert doc["ranking"] == [
        {"option": "센터 운영", "rank": 1, "score": 4},
        {"option": "공공구매", "rank": 2, "score": 3.6667},
        {"option": "공동 판로", "rank": 3, "score": 2},
    ]
    assert doc["winner"] == "센터 운영" and doc["ballots"] == 3

    carried = separ(
        "roadmap",
        "carry-over",
        ws,
        poll,
        "--top",
        "2",
        "--strategy",
        "S1",
        "--strategy-title",
        "지역 순환 경제",
    ).stdout.splitlines()
    assert carried == [
        "과제 S1-1 센터 운영 (우선순위 1위, 점수 4)",
        "과제 S1-2 공공구매 (우선순위 2위, 점수 3.6667)",
    ]
    again = separ("roadmap", "carry-over", ws, poll, "--top", "2").stdout.splitlines()
    assert again == ["이미 있는 과제: S1-1 센터 운영", "이미 있는 과제: S1-2 공공구매"]

    pdf = tmp_path / "report.pdf"
    said = separ("report", ws, "--format", "pdf", "--out", pdf).stdout
    assert f"파일을 썼습니다: {pdf}" in said and "쪽" in said  # the success line is Korean too
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "서산 사회적경제 워크숍" in text
    assert "S1-1 센터 운영" in text and "S1-2 공공구매" in text and "공동 판로" in text
    assert "지역 순환 경제" in text and "간담회" in text
