"""``separ ties import`` / ``separ assets import``: good sheets land, bad rows change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from separ.assets import Asset
from separ.document import to_document
from separ.network import Tie, TieKind
from separ.store import Store
from separ.workspace import import_file
from tests.conftest import SAMPLES
from tests.separ_cli import run


@pytest.fixture
def nonsan(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    import_file(folder, SAMPLES["nonsan"]).close()
    return folder


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _snapshot(folder: Path) -> dict:  # type: ignore[type-arg]
    with Store.open(folder) as store:
        return to_document(store)


def test_ties_import_csv_by_names(nonsan: Path, tmp_path: Path) -> None:
    sheet = _csv(
        tmp_path / "ties.csv",
        "조직,상대 조직,관계 유형,일자,강도,방향,비고\n"
        "양지그린락협동조합,보성자원,거래,2021.11.02,2,예,납품\n"
        "o-jum,이장님닷컴,information,,,,\n",
    )
    result = run("ties", "import", nonsan, sheet)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"imported 2 ties from {sheet}"
    with Store.open(nonsan) as store:
        new = [t for t in store.list(Tie) if t.kind != TieKind.mou]
    assert [
        (t.from_org_id, t.to_org_id, t.kind, str(t.date), t.strength, t.directed) for t in new
    ] == [
        ("o-yangji", "o-boseong", TieKind.trade, "2021-11-02", 2, True),
        ("o-jum", "o-ijang", TieKind.information, "None", None, False),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "조직,상대 조직,관계 유형\n보성자원,발그래 협동조합,거래\n보성자원,없는조직,거래\n",
            "ties.csv: row 3, to_org_id: no such organisation: 없는조직",
        ),
        (
            "조직,상대 조직,관계 유형,강도\n보성자원,이장님닷컴,거래,5\n",
            "ties.csv: row 2, strength: invalid value: must be at most 3: 5",
        ),
        (
            "조직,상대 조직,관계 유형\n보성자원,이장님닷컴,결혼\n",
            "ties.csv: row 2, kind: unknown value: 결혼",
        ),
        (
            "조직,상대 조직,관계 유형,일자\n보성자원,발그래 협동조합,mou,2021-10-05\n",
            "ties.csv: row 2: duplicate tie: o-boseong–o-balgrae, mou, 2021-10-05",
        ),
        (
            "조직,상대 조직,관계 유형\n보성자원,이장님닷컴,거래\n이장님닷컴,보성자원,trade\n",
            "ties.csv: row 3: duplicate tie: ties.csv: row 2",
        ),
        (
            "조직,상대 조직,색깔\n보성자원,이장님닷컴,빨강\n",
            "ties.csv: row 2: unknown column: 색깔",
        ),
    ],
)
def test_ties_import_bad_row_exits_2_and_writes_nothing(
    nonsan: Path, tmp_path: Path, text: str, message: str
) -> None:
    before = _snapshot(nonsan)
    result = run("ties", "import", nonsan, _csv(tmp_path / "ties.csv", text))
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"separ: {message}"), result.stderr
    assert _snapshot(nonsan) == before


def test_assets_import_xlsx_links_holders(nonsan: Path, tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["자산", "분류", "보유자", "위치(읍면동)", "공유 가능", "비고"])
    ws.append(["한옥 체험 공간", "물리적 공간", "보성자원", "가야곡면", "예", None])
    ws.append(["주거 수리 기술", "skills", "천은숙", None, "아니오", "L1408"])
    ws.append(["마을 이야기", "문화·이야기", "동네 어르신들", None, None, None])
    book.save(tmp_path / "assets.xlsx")
    result = run("assets", "import", nonsan, tmp_path / "assets.xlsx")
    assert result.returncode == 0, result.stderr
    with Store.open(nonsan) as store:
        new = {a.name: a for a in store.list(Asset)}
    assert new["한옥 체험 공간"].holder_org_id == "o-boseong" and new["한옥 체험 공간"].shareable
    assert new["주거 수리 기술"].holder_participant_id is not None
    assert not new["주거 수리 기술"].shareable
    assert new["마을 이야기"].holder == "동네 어르신들"


def test_assets_import_bad_row_names_it_in_korean(nonsan: Path, tmp_path: Path) -> None:
    before = _snapshot(nonsan)
    sheet = _csv(tmp_path / "a.csv", "자산,분류\n공간,spaces\n,skills\n")
    result = run("assets", "import", nonsan, sheet, lang="ko")
    assert result.returncode == 2
    assert result.stderr.strip() == "separ: a.csv: 3행, 자산: 필수 항목이 없습니다"
    sheet = _csv(tmp_path / "b.csv", "자산,분류,상태\n공간,spaces,hidden\n")
    result = run("assets", "import", nonsan, sheet)
    assert result.returncode == 2 and "unknown column: status" in result.stderr
    assert _snapshot(nonsan) == before


def test_ties_from_a_cp949_sheet_in_korean(tmp_path: Path) -> None:

    from tests.conftest import SAMPLES

    folder = tmp_path / "ws"
    assert run("import", folder, SAMPLES["nonsan"]).returncode == 0
    sheet = tmp_path / "ties.csv"
    sheet.write_bytes(
        "조직,상대 조직,관계 유형,방향\r\n보성자원,이장님닷컴,거래,아니요\r\n".encode("cp949")
    )
    out = run("ties", "import", folder, sheet, lang="ko")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"{sheet}에서 관계 1건을 가져왔습니다"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        "조직,상대 조직,관계 유형,강도\r\n보성자원,이장님닷컴,거래,5\r\n".encode("cp949")
    )
    out = run("ties", "import", folder, bad, lang="ko")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "separ: bad.csv: 2행, 강도(1-3): 값이 올바르지 않습니다: 3 이하여야 합니다: 5"
    )
