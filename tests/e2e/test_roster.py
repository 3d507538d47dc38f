"""The dashboard's roster section in Chromium: a listed person's new card QR shown large, and
a typed duplicate flagged and merged after the confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from separ.model import Organisation, Participant
from separ.store import Store
from separ.tokens import AccessToken, TokenRole, join
from tests.e2e.conftest import ARTIFACTS, Served

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LAPTOP = {"width": 1366, "height": 768}
NAME = "이원돈"


def test_card_qr_and_a_merge_on_the_dashboard(served: Served, browser: Any) -> None:
    shots = ARTIFACTS
    shots.mkdir(parents=True, exist_ok=True)
    with Store.open(served.folder) as store:
        listed = next(p for p in store.list(Participant) if p.name == NAME)
        org = (
            store.get(Organisation, listed.organisation_id).name if listed.organisation_id else "-"
        )
        join(store, NAME)  # typed on a phone: a second 이원돈, no organisation
    page = browser.new_context(viewport=LAPTOP).new_page()
    page.goto(served.facilitator)
    page.get_by_role("button", name="참여자 화면에 띄우기").wait_for(timeout=90_000)
    page.get_by_text("명단 · 카드 · 중복").click()
    page.get_by_text("이름이 같은 참여자", exact=True).wait_for(timeout=30_000)

    page.get_by_label("명단의 사람").select_option(label=f"{NAME} ({org})")
    page.get_by_role("button", name="새 카드 발급하고 QR 보이기").click()
    qr = page.get_by_alt_text(f"{NAME} 님의 참여 QR 코드")
    qr.wait_for(timeout=30_000)
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 300  # scannable from the laptop's screen
    qr.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "roster-card-qr-1366.png"))
    with Store.open(served.folder) as store:
        assert len(store.list(AccessToken, role=TokenRole.card, participant_id=listed.id)) == 1

    merge = page.get_by_role("button", name="합치기…")
    merge.scroll_into_view_if_needed()
    merge.click()
    page.get_by_text("되돌릴 수 없습니다").wait_for(timeout=30_000)
    page.screenshot(path=str(shots / "roster-merge-confirm-1366.png"))
    page.get_by_role("button", name="합치기 확인").click()
    page.get_by_text("합쳤습니다").wait_for(timeout=30_000)
    with Store.open(served.folder) as store:
        same = [p for p in store.list(Participant) if p.name == NAME]
        assert [p.id for p in same] == [listed.id]
