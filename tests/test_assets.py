"""Assets: participants add, facilitators curate; forged values are refused."""

from __future__ import annotations

import pytest

from separ.actors import Actor
from separ.assets import (
    Asset,
    AssetCategory,
    AssetStatus,
    active_assets,
    add_asset,
    assets_frame,
    by_category,
    edit_asset,
    merge_assets,
    set_hidden,
)
from separ.errors import SeparError
from separ.model import Organisation, Participant, Workshop
from separ.store import Store
from separ.workspace import open_workshop
from tests.conftest import SAMPLES

FAC = Actor.facilitator_actor()
KIM = Actor("p1", "김")


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    with s.transaction() as tx:
        tx.add(Workshop(title="t", region="r"))
        tx.add(Organisation(id="o1", name="보성자원"))
        tx.add(Participant(id="p1", name="김", organisation_id="o1"))
    return s


def test_participant_adds_and_the_server_decides_status_and_author(store: Store) -> None:
    asset = add_asset(
        store,
        KIM,
        {
            "name": " 마을회관 ",
            "category": "물리적 공간",
            "location": "가야곡면",
            "shareable": True,
        },
    )
    assert (asset.name, asset.category, asset.added_by, asset.status) == (
        "마을회관",
        AssetCategory.spaces,
        "p1",
        AssetStatus.new,
    )
    for forged in (
        {"status": "hidden"},
        {"added_by": "p9"},
        {"merged_into": asset.id},
        {"id": asset.id},
    ):
        with pytest.raises(SeparError) as exc:
            add_asset(store, KIM, {"name": "x", "category": "skills", **forged})
        assert exc.value.key == "unknown_column"
    with pytest.raises(SeparError) as exc:
        add_asset(store, KIM, {"name": "x" * 201, "category": "skills"})
    assert exc.value.key == "too_long"
    with pytest.raises(SeparError) as exc:
        add_asset(store, KIM, {"name": "x", "category": "weapons"})
    assert exc.value.key == "unknown_choice"
    with pytest.raises(SeparError):
        add_asset(
            store,
            KIM,
            {"name": "x", "category": "skills", "holder_org_id": "o1", "holder": "누군가"},
        )
    with pytest.raises(SeparError):
        add_asset(store, KIM, {"name": None, "category": "skills"})
    assert len(store.list(Asset)) == 1


def test_only_the_facilitator_curates(store: Store) -> None:
    a = add_asset(store, KIM, {"name": "마을회관", "category": "spaces", "notes": "주말 가능"})
    b = add_asset(store, KIM, {"name": "마을 회관", "category": "spaces", "shareable": True})
    c = add_asset(store, KIM, {"name": "목공 기술", "category": "skills"})
    for action in (
        lambda: edit_asset(store, KIM, a.id, {"name": "y"}),
        lambda: set_hidden(store, KIM, a.id),
        lambda: merge_assets(store, KIM, a.id, [b.id]),
    ):
        with pytest.raises(SeparError) as exc:
            action()
        assert exc.value.key == "facilitator_only"
    kept = merge_assets(store, FAC, a.id, [b.id])
    assert kept.shareable and kept.notes == "주말 가능"
    assert store.get(Asset, b.id).merged_into == a.id
    with pytest.raises(SeparError) as exc:
        merge_assets(store, FAC, a.id, [b.id])  # already merged
    assert exc.value.key == "asset_not_active"
    with pytest.raises(SeparError) as exc:
        merge_assets(store, FAC, a.id, [a.id])
    assert exc.value.key == "merge_needs_two"
    set_hidden(store, FAC, c.id)
    assert [x.id for x in active_assets(store)] == [a.id]
    set_hidden(store, FAC, c.id, hidden=False)
    edited = edit_asset(store, FAC, c.id, {"name": "목공·수리 기술", "holder_org_id": "o1"})
    assert edited.name == "목공·수리 기술" and edited.added_by == "p1"
    with pytest.raises(SeparError):
        edit_asset(store, FAC, c.id, {"category": "nope"})
    df = assets_frame(store, "ko")
    assert list(df["자산"]) == ["마을회관", "목공·수리 기술"]
    assert list(df["보유자"]) == ["", "보성자원"]


def test_sample_assets_by_category() -> None:
    with open_workshop(SAMPLES["seosan"]) as store:
        counts = by_category(active_assets(store))
    assert counts[AssetCategory.spaces] == 9
    assert sum(counts.values()) == 34
