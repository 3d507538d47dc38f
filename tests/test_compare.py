"""Across workshops: location quotients against a hand-computed table, side-by-side summaries.

Employment by area × industry (E = 120; E_X = 61, E_Y = 59):

    area  X   Y   total
    A     30  10  40      LQ_AX = (30/40)/(61/120) = 90/61 ≈ 1.4754  (cluster)
    B     20  40  60      LQ_BY = (40/60)/(59/120) = 80/59 ≈ 1.3559  (cluster)
    C     11   9  20      LQ_CX = (11/20)/(61/120) = 66/61 ≈ 1.0820  (above 1, no cluster)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from separ import compare as cp
from separ.document import read_json, replace, write_json
from separ.errors import SeparError
from separ.excel import read_xlsx, write_xlsx
from separ.model import Workshop
from separ.store import Store
from tests.conftest import SAMPLES

TABLE = {
    ("A", "X"): 30,
    ("A", "Y"): 10,
    ("B", "X"): 20,
    ("B", "Y"): 40,
    ("C", "X"): 11,
    ("C", "Y"): 9,
}


def counts(**kw: object) -> list[cp.IndustryCount]:
    return [
        cp.IndustryCount(area=a, industry=i, count=n, **kw)  # type: ignore[arg-type]
        for (a, i), n in TABLE.items()
    ]


def test_location_quotients_by_hand() -> None:
    q = {(x.area, x.industry): x for x in cp.location_quotients(counts())}
    expected = {
        ("A", "X"): 90 / 61,
        ("A", "Y"): 30 / 59,
        ("B", "X"): 40 / 61,
        ("B", "Y"): 80 / 59,
        ("C", "X"): 66 / 61,
        ("C", "Y"): 54 / 59,
    }
    for key, value in expected.items():
        assert q[key].lq == pytest.approx(value)
    assert q[("A", "X")].lq == pytest.approx(1.4754, abs=1e-4)
    assert q[("C", "X")].specialised and not q[("C", "X")].cluster
    assert q[("A", "X")].cluster and q[("B", "Y")].cluster
    assert not q[("C", "Y")].specialised
    assert cp.clusters(list(q.values())) == {"A": ["X"], "B": ["Y"]}
    frame = cp.lq_frame(list(q.values()))
    assert list(frame.index) == ["A", "B", "C"] and list(frame.columns) == ["X", "Y"]
    assert frame.loc["B", "Y"] == pytest.approx(80 / 59)


def test_missing_cells_and_mixed_tables() -> None:
    rows = [
        cp.IndustryCount(area="A", industry="X", count=5),
        cp.IndustryCount(area="B", industry="Y", count=5),
    ]
    q = {(x.area, x.industry): x.lq for x in cp.location_quotients(rows)}
    assert q == {("A", "X"): 2.0, ("A", "Y"): 0.0, ("B", "X"): 0.0, ("B", "Y"): 2.0}
    with pytest.raises(SeparError) as err:
        cp.location_quotients(
            [*counts(), cp.IndustryCount(area="A", industry="Z", count=1, measure="establishments")]
        )
    assert err.value.key == "compare_mixed_counts"
    with pytest.raises(SeparError) as err:
        cp.location_quotients([])
    assert err.value.key == "compare_no_counts"
    zero = cp.location_quotients(
        [
            cp.IndustryCount(area="A", industry="X", count=0),
            cp.IndustryCount(area="B", industry="X", count=3),
        ]
    )
    assert zero[0].lq is None  # area A has no jobs at all


def test_counts_travel_in_json_and_xlsx(tmp_path: Path) -> None:
    store = Store.memory()
    store.add(Workshop(title="t", region="r"))
    for row in counts(year=2014, source="통계청"):
        store.add(row)
    write_json(store, tmp_path / "w.json")
    again = Store.memory()
    replace(again, read_json(tmp_path / "w.json"))
    write_xlsx(again, tmp_path / "w.xlsx")
    third = Store.memory()
    replace(third, read_xlsx(tmp_path / "w.xlsx"))
    got = sorted((c.area, c.industry, c.count, c.year) for c in cp.counts_of(third))
    assert got == sorted((a, i, float(n), 2014) for (a, i), n in TABLE.items())


def test_workshops_side_by_side() -> None:
    summaries = cp.summarise_all([SAMPLES["nonsan"], SAMPLES["seosan"]])
    docs = {name: json.loads(path.read_text(encoding="utf-8")) for name, path in SAMPLES.items()}
    nonsan, seosan = summaries
    assert (nonsan.region, seosan.region) == ("논산시", "서산시")
    assert nonsan.tasks == len(docs["nonsan"]["roadmap_tasks"])
    assert seosan.tasks == 14 and seosan.strategies == 4
    assert seosan.budget == sum(b["amount"] for b in docs["seosan"]["roadmap_budget"])
    assert seosan.spent == 69_000_000 and nonsan.spent == 0
    assert seosan.status["dropped"] == 0 and sum(seosan.status.values()) == 14
    orgs = cp.organisations_frame(summaries)
    assert list(orgs.columns) == ["논산시", "서산시"]
    assert orgs["논산시"].sum() == len(docs["nonsan"]["organisations"])
    assert orgs.loc["협동조합", "서산시"] == sum(
        1 for o in docs["seosan"]["organisations"] if o.get("type") == "cooperative"
    )
    plans = cp.plans_frame(summaries)
    assert list(plans["tasks"]) == [nonsan.tasks, 14]
    assert list(plans["indicators"]) == [0, 6]


def test_cli_compare(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from separ.cli import _load_commands, app

    _load_commands()
    store = Store.memory()
    replace(store, read_json(SAMPLES["seosan"]))
    for row in counts():
        store.add(row)
    write_json(store, tmp_path / "s.json")
    result = CliRunner().invoke(
        app, ["compare", str(SAMPLES["nonsan"]), str(tmp_path / "s.json"), "--lq"]
    )
    assert result.exit_code == 0, result.output
    assert "논산시" in result.output and "1.48" in result.output and "A: X" in result.output
