"""The asset views clicked like a user, including values no honest page would send."""

from __future__ import annotations

import pytest

from separ.actors import Actor
from separ.assets import Asset, AssetCategory, AssetStatus
from separ.model import Organisation, Participant
from separ.network import Tie, TieKind
from separ.store import Store
from separ.ui.assets import CurationView, ProjectorView, participant_view
from separ.workspace import open_workshop
from tests.conftest import SAMPLES

FAC = Actor.facilitator_actor()


@pytest.fixture
def store() -> Store:
    return open_workshop(SAMPLES["nonsan"])


def _kim(store: Store) -> Actor:
    person = next(p for p in store.list(Participant) if p.name == "김승주")  # 보성자원 대표
    return Actor(person.id, person.name)


def test_participant_sends_an_asset(store: Store) -> None:
    page = participant_view(store, _kim(store))
    form = page.assets
    assert "내가 보낸 자산: 0개" in form.mine.value
    form.name.value = "  한옥 마당  "
    form.category.value = "spaces"
    form.holder_org.value = "o-boseong"
    form.location.value = "가야곡면"
    form.shareable.value = True
    form.send.click()
    assert "보냈습니다: 한옥 마당" in form.status.value
    assert form.name.value == "" and form.shareable.value is False
    assert "내가 보낸 자산: 1개" in form.mine.value
    new = next(a for a in store.list(Asset) if a.name == "한옥 마당")
    assert (new.holder_org_id, new.location, new.shareable, new.added_by, new.status) == (
        "o-boseong",
        "가야곡면",
        True,
        _kim(store).participant_id,
        AssetStatus.new,
    )


def test_forged_asset_values_are_refused_and_nothing_is_written(store: Store) -> None:
    before = len(store.list(Asset))
    form = participant_view(store, _kim(store)).assets
    form.name.value = "<script>alert(1)</script>" * 20  # 500 characters
    form.send.click()
    assert "글자 수가 너무 많습니다" in form.status.value
    form.name.value = ""
    form.send.click()
    assert ">자산: 필수 항목이 없습니다<" in form.status.value
    form.name.value = "공간"
    form.category.value = None  # a forged "no selection"
    form.send.click()
    assert "분류: 필수 항목이 없습니다" in form.status.value
    form.category.value = "spaces"
    form.holder_org.value = "o-boseong"
    form.holder.value = "다른 사람"  # two holders at once
    form.send.click()
    assert "보유자는 조직, 참여자, 직접 입력 중 하나만 고르세요" in form.status.value
    form.holder.value = ""
    form.holder_org.options = [("가짜", "o-forged")]  # options overwritten from the browser
    form.holder_org.value = "o-forged"
    form.send.click()
    assert "조직을(를) 찾을 수 없습니다: o-forged" in form.status.value
    assert len(store.list(Asset)) == before
    assert "<script>" not in form.status.value  # shown escaped


def test_participant_answers_who_they_work_with(store: Store) -> None:
    kim = _kim(store)
    ties = participant_view(store, kim).ties
    assert "우리 조직: 보성자원" in ties.own.value
    assert "o-boseong" not in [v for _, v in ties.partner.options]
    assert len(ties.partner.options) == 14  # "—" and the 13 other organisations
    ties.partner.value = "o-yangji"
    ties.kind.value = "trade"
    ties.strength.value = 3
    ties.send.click()
    assert "보냈습니다: 양지그린락협동조합 (거래)" in ties.status.value
    tie = next(t for t in store.list(Tie) if t.kind == TieKind.trade)
    assert (tie.from_org_id, tie.to_org_id, tie.strength, tie.added_by) == (
        "o-boseong",
        "o-yangji",
        3,
        kim.participant_id,
    )
    ties.send.click()  # the same tie again
    assert "중복" in ties.status.value
    ties.partner.options = [("보성자원", "o-boseong")]  # forged: tie to ourselves
    ties.partner.value = "o-boseong"
    ties.send.click()
    assert "한 조직이 자기 자신과 관계를 맺을 수 없습니다" in ties.status.value
    ties.strength.options = [("99", 99)]
    ties.strength.value = 99
    ties.partner.options = [("x", "o-jum")]
    ties.partner.value = "o-jum"
    ties.send.click()
    assert "강도(1-3): 값이 올바르지 않습니다" in ties.status.value
    assert len([t for t in store.list(Tie) if t.kind == TieKind.trade]) == 1


def test_a_participant_without_organisation_cannot_send_ties(store: Store) -> None:
    guest = Actor(None, "손님")
    ties = participant_view(store, guest).ties
    assert ties.send.disabled and "진행자에게" in ties.own.value
    ties.send.disabled = False  # re-enabled from the browser
    ties.partner.value = "o-jum"
    ties.send.click()
    assert "소속 조직이 등록되어 있지 않아" in ties.status.value
    assert len(store.list(Tie)) == 10


def test_facilitator_curates_and_a_participant_cannot(store: Store) -> None:
    with store.transaction() as tx:
        tx.add(Asset(id="x1", name="마을회관", category=AssetCategory.spaces, notes="주말"))
        tx.add(Asset(id="x2", name="마을 회관", category=AssetCategory.spaces, shareable=True))
    forged = CurationView(store, _kim(store))  # a participant who got hold of the view
    forged.active.value = ("x1", "x2")
    forged.merge.click()
    assert "진행자 권한이 필요합니다" in forged.status.value
    assert store.get(Asset, "x2").status == AssetStatus.new

    view = CurationView(store, FAC)
    assert len(view.active.options) == 12
    view.merge.click()
    assert "두 개 이상" in view.status.value
    view.active.value = ("x1", "x2")
    view.merge.click()
    assert view.status.value.count("반영했습니다") == 1
    assert store.get(Asset, "x2").merged_into == "x1" and store.get(Asset, "x1").shareable
    assert len(view.active.options) == 11
    view.active.value = ("x1",)
    assert view.edit_name.value == "마을회관"
    view.edit_name.value = "마을회관 (가야곡면)"
    view.save.click()
    assert store.get(Asset, "x1").name == "마을회관 (가야곡면)"
    view.active.value = ("x1",)
    view.hide.click()
    assert [label for label, _ in view.hidden.options] == ["[물리적 공간] 마을회관 (가야곡면)"]
    view.hidden.value = "x1"
    view.unhide.click()
    assert store.get(Asset, "x1").status == AssetStatus.new and not view.hidden.options


def test_projector_shows_counts_and_refreshes(store: Store) -> None:
    view = ProjectorView(store)
    assert "자산 10개 · 조직 19개 · 관계 10개" in view.headline.value
    assert view.map.value[:4] == b"\x89PNG"
    store.add(Organisation(id="o-new", name="새 협동조합"))
    view.refresh()
    assert "조직 20개" in view.headline.value
