"""Indicators: the 003 and roadmap templates, time series against targets, rights."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from separ import indicators as ind
from separ.actors import Actor
from separ.errors import SeparError
from separ.model import Workshop
from separ.store import Store
from separ.workspace import open_workshop
from tests.conftest import SAMPLES

FAC = Actor.facilitator_actor()
D = dt.date


def _store() -> Store:
    store = Store.memory()
    store.add(Workshop(title="t", region="r"))
    return store


def _indicator(store: Store, **kw: object) -> ind.Indicator:
    purpose = ind.add_purpose(store, FAC, f"P{len(store.list(ind.Purpose))}", "목적")
    return ind.add_indicator(
        store, FAC, purpose.id, f"I{len(store.list(ind.Indicator))}", "참여 조직 수", **kw
    )  # type: ignore[arg-type]


def test_series_toward_a_target() -> None:
    store = _store()
    up = _indicator(store, unit="개", baseline=10, target=20)
    ind.record_value(store, FAC, up.id, "2022-01-01", 12)
    ind.record_value(store, FAC, up.id, "2023-01-01", 15)
    s = ind.series(up, store.list(ind.Measurement))
    assert (s.latest, s.progress, s.trend, s.toward_target) == (15, 50, "up", True)
    assert s.slope == pytest.approx(3 / (365 / 365.25))  # 3 a year, 365 days apart


def test_series_of_a_decreasing_indicator() -> None:
    store = _store()
    down = _indicator(store, baseline=100, target=60, direction="decrease")
    for date, value in (("2022-01-01", 90), ("2022-07-01", 80), ("2023-01-01", 85)):
        ind.record_value(store, FAC, down.id, date, value)
    s = ind.series(down, store.list(ind.Measurement))
    assert s.latest == 85 and s.progress == pytest.approx(37.5)  # (85-100)/(60-100)
    # least squares over x = 0, 181/365.25, 365/365.25 years and y = 90, 80, 85
    assert s.slope == pytest.approx(-4.9622, abs=1e-4)
    assert (s.trend, s.toward_target) == ("down", True)


def test_series_edge_cases() -> None:
    store = _store()
    no_base = _indicator(store, target=10)
    ind.record_value(store, FAC, no_base.id, "2022-03-01", 4)
    single = ind.series(no_base, store.list(ind.Measurement))
    assert (single.progress, single.trend, single.toward_target) == (0, "none", None)
    ind.record_value(store, FAC, no_base.id, "2022-09-01", 7)  # first value is the base
    assert ind.series(no_base, store.list(ind.Measurement)).progress == 50
    ind.record_value(store, FAC, no_base.id, "2022-09-01", 4)  # corrects, one per date
    flat = ind.series(no_base, store.list(ind.Measurement))
    assert (flat.points[-1], flat.trend, flat.toward_target) == ((D(2022, 9, 1), 4), "flat", False)
    assert len(store.list(ind.Measurement)) == 2
    empty = ind.series(_indicator(store), [])
    assert (empty.latest, empty.progress, empty.trend) == (None, None, "none")
    with pytest.raises(SeparError):
        ind.record_value(store, FAC, no_base.id, "2022-10-01", float("nan"))


def test_sv_003_template() -> None:
    store = _store()
    assert ind.load_template(store, FAC, "sv_003") == 14
    fw = ind.load_framework(store)
    assert [p.title for p in fw.purposes] == [
        "지역 사회문제 해결 성과",
        "사회적경제 네트워크 및 협력체계 참여",
        "조직 운영, 관리 성과",
        "재무적성과",
    ]
    assert [a.code for a in fw.activities][-3:] == ["SV3-8", "SV4-9", "SV4-10"]
    by_code = {a.code: a for a in fw.activities}
    assert by_code["SV2-5"].title == "이해관계자와 협치 구축"
    assert by_code["SV4-10"].direction == "재무적 지속가능성과 건전성 확인"
    assert len(fw.activities) == 10 and fw.indicators == []
    tree = ind.tree_frame(fw)
    assert len(tree) == 10 and tree.iloc[0]["activity"] == "SV1-1 지역문제 해결/ 의제발굴과 사업화"
    with pytest.raises(SeparError) as err:
        ind.load_template(store, FAC, "sv_003")
    assert err.value.key == "indicators_template_loaded"
    with pytest.raises(SeparError) as err:
        ind.load_template(store, FAC, "nope")
    assert err.value.key == "indicators_unknown_template"
    with pytest.raises(SeparError) as err:
        ind.load_template(store, Actor(None, "x"), "sv_003")
    assert err.value.key == "facilitator_only"


def test_roadmap_template_follows_the_plan() -> None:
    store = open_workshop(SAMPLES["nonsan"])
    doc = json.loads(SAMPLES["nonsan"].read_text(encoding="utf-8"))
    added = ind.load_template(store, FAC, "roadmap")
    fw = ind.load_framework(store)
    scheduled = [a for a in doc["roadmap_activities"] if not a.get("milestone")]
    numeric = [t for t in doc["roadmap_targets"] if t.get("value") is not None]
    assert len(fw.purposes) == len(doc["roadmap_strategies"]) == 3
    assert len([a for a in fw.activities if a.parent_id is None]) == len(doc["roadmap_tasks"])
    assert len([a for a in fw.activities if a.parent_id]) == len(scheduled)
    assert len(fw.indicators) == len(numeric)
    assert added == 3 + len(doc["roadmap_tasks"]) + len(scheduled) + len(numeric)
    first = numeric[0]
    made = next(i for i in fw.indicators if i.roadmap_target_id == first["id"])
    assert (made.target, made.unit, made.kind) == (
        first["value"],
        first.get("unit"),
        ind.IndicatorKind.output,
    )


def test_seosan_sample_indicators() -> None:
    fw = ind.load_framework(open_workshop(SAMPLES["seosan"]))
    assert [p.code for p in fw.purposes] == ["SV1", "SV2", "SV3", "SV4", "P1", "P2", "P3", "P4"]
    assert all("예시(example)" in (m.notes or "") for m in fw.values)
    frame = ind.series_frame(fw).set_index("code")
    assert frame.loc["I2-2-1", "progress"] == 100  # 0.5 -> 1, target 1
    assert frame.loc["I2-1-1", "trend"] == "up"


def test_parent_must_share_the_purpose() -> None:
    store = _store()
    p1 = ind.add_purpose(store, FAC, "P1", "a")
    p2 = ind.add_purpose(store, FAC, "P2", "b")
    act = ind.add_activity(store, FAC, p1.id, "A1", "활동")
    with pytest.raises(SeparError) as err:
        ind.add_activity(store, FAC, p2.id, "A2", "세부", parent_id=act.id)
    assert err.value.key == "indicators_parent_elsewhere"
    with pytest.raises(SeparError) as err:
        ind.add_indicator(store, FAC, p2.id, "I1", "x", activity_id=act.id)
    assert err.value.key == "indicators_parent_elsewhere"


def test_indicator_panel_records_a_value() -> None:
    from separ.ui.followup import IndicatorPanel

    store = _store()
    target = _indicator(store, target=5)
    panel = IndicatorPanel(store, FAC)
    panel.indicator.value = target.id
    panel.date.value = D(2022, 12, 31)
    panel.value.value = 3
    panel.save.click()
    assert [m.value for m in store.list(ind.Measurement)] == [3]
    assert ">3</td>" in panel.table.value and "3.0" not in panel.table.value  # people's numbers
    panel.template.value = "sv_003"
    panel.load.click()
    assert len(store.list(ind.IndicatorActivity)) == 10
