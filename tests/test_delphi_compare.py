"""Delphi round comparison per item and group, computed by hand, from a CP949 sheet via the CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from separ import delphi as dp
from separ.actors import Actor
from separ.model import Workshop
from separ.store import Store
from tests.separ_cli import run

# panellist, group, item, round, suitable, importance (7-point scale)
ANSWERS = [
    ("김", "자치구", "I1", 1, "예", 5),
    ("이", "자치구", "I1", 1, "예", 7),
    ("박", "서울시", "I1", 1, "예", 6),
    ("김", "자치구", "I2", 1, "예", 4),
    ("이", "자치구", "I2", 1, "예", 2),
    ("박", "서울시", "I2", 1, "예", 6),
    ("김", "자치구", "I1", 2, "예", 6),
    ("이", "자치구", "I1", 2, "Y", 6),
    ("박", "서울시", "I1", 2, "예", 6),
    ("김", "자치구", "I2", 2, "아니요", 3),
    ("이", "자치구", "I2", 2, "아니오", 3),
    ("박", "서울시", "I2", 2, "예", 3),
]
TEXT = {"I1": "사회적경제 기업 수", "I2": "공공구매 비율"}


def _sheet(path: Path) -> Path:
    lines = ["라운드,패널,구분,문항 번호,문항,적합,중요도"]
    lines += [f"{r},{p},{g},{i},{TEXT[i]},{s},{v}" for p, g, i, r, s, v in ANSWERS]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp949"))  # as Korean Excel saves
    return path


@pytest.fixture
def panel(tmp_path: Path) -> dp.Panel:
    with Store.open(tmp_path / "ws", create=True) as store:
        store.add(Workshop(title="델파이", region="서울시"))
        dp.import_responses(
            store, Actor.facilitator_actor(), "지표 델파이", _sheet(tmp_path / "a.csv")
        )
        return dp.load_panel(store, dp.studies(store)[0].id)


def test_compare_rounds_by_hand(panel: dp.Panel) -> None:
    cmp = dp.compare_rounds(panel)
    assert (cmp.before, cmp.after, cmp.groups) == (1, 2, (None, "서울시", "자치구"))
    rows = {(r.code, r.group): r for r in cmp.rows}
    i1, i2 = rows[("I1", None)], rows[("I2", None)]
    # I1: 5, 7, 6 → 6, 6, 6: mean 6 → 6, IQR 1 (Q1 5.5, Q3 6.5) → 0, CV 1/6 → 0
    assert (i1.before.mean, i1.after.mean, i1.mean_change) == (6, 6, 0)
    assert (i1.before.iqr, i1.after.iqr) == (1, 0)
    assert i1.before.cv == pytest.approx(1 / 6) and i1.after.cv == 0
    assert not i1.fell and i1.converged and i1.keep
    # I2: 4, 2, 6 → 3, 3, 3: mean 4 → 3 (▼), median 4 → 3, IQR 2 → 0; suitable 1/3 → drop
    assert (i2.before.mean, i2.after.mean, i2.mean_change) == (4, 3, -1)
    assert (i2.before.median, i2.after.median, i2.before.iqr, i2.after.iqr) == (4, 3, 2, 0)
    assert i2.before.cv == pytest.approx(0.5)
    assert i2.fell and i2.converged and not i2.keep
    # within 자치구 I2 stays at mean 3 (4, 2 → 3, 3); within 서울시 it fell 6 → 3
    assert rows[("I2", "자치구")].mean_change == 0 and not rows[("I2", "자치구")].fell
    assert rows[("I2", "서울시")].mean_change == -3
    assert [r.code for r in cmp.fell()] == ["I2"]
    assert [r.code for r in cmp.fell("서울시")] == ["I2"] and cmp.fell("자치구") == []
    # 자치구 I1: 5, 7 → IQR 1, sample SD √2, CV √2/6
    assert rows[("I1", "자치구")].before.cv == pytest.approx(2**0.5 / 6)


def test_compare_frame_marks_falls(panel: dp.Panel) -> None:
    frame = dp.comparison_frame(dp.compare_rounds(panel), "ko")
    assert list(frame.columns) == [
        "문항",
        "집단",
        "n",
        "1차 평균",
        "2차 평균",
        "변화",
        "1차 중앙값",
        "2차 중앙값",
        "1차 IQR",
        "2차 IQR",
        "1차 CV",
        "2차 CV",
        "수렴",
        "판정",
    ]
    row = frame[(frame["문항"] == "I2") & (frame["집단"] == "전체")].iloc[0]
    assert (row["n"], row["1차 평균"], row["2차 평균"], row["변화"], row["판정"]) == (
        "3→3",
        "4",
        "3",
        "▼1",
        "제외",
    )


def test_cli_import_cp949_and_compare(tmp_path: Path) -> None:
    def separ(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return run(*args, lang="ko")

    ws = tmp_path / "ws"
    assert separ("init", ws, "--title", "델파이", "--region", "서울시").returncode == 0
    out = separ("delphi", "import", ws, _sheet(tmp_path / "a.csv"), "--study", "지표 델파이")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"응답 12건을 가져왔습니다: {tmp_path / 'a.csv'}"
    table = separ("delphi", "compare", ws)
    assert table.returncode == 0, table.stderr
    assert "▼ 평균이 내려간 문항 (전체): 1 — I2" in table.stdout
    assert "▼ 평균이 내려간 문항 (서울시): 1 — I2" in table.stdout
    assert "▼ 평균이 내려간 문항 (자치구): 0" in table.stdout
    doc = json.loads(separ("delphi", "compare", ws, "--format", "json").stdout)
    first = doc["rows"][0]
    assert (doc["before"], doc["after"], first["code"], first["group"]) == (1, 2, "I1", None)
    assert first["before"] == {
        "n": 3,
        "mean": 6,
        "median": 6,
        "iqr": 1,
        "cv": pytest.approx(1 / 6),
        "share": 1,
    }
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    out = separ("delphi", "import", ws, bad)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "엑셀 파일을 읽을 수 없습니다" in out.stderr
