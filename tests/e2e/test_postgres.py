"""The live room on PostgreSQL: `separ serve --db postgresql://…`, a phone and the projector."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from separ.actors import Actor
from separ.checkin import Checkin
from separ.store import Store
from separ.tokens import set_live
from separ.workspace import import_file
from tests.conftest import SAMPLES
from tests.e2e.conftest import start_serve, stop_serve

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.slow]


def test_checkin_on_postgresql(pg_url: str, tmp_path: Path, browser: Any) -> None:
    folder = tmp_path / "ws"
    import_file(folder, SAMPLES["seosan"], pg_url).close()
    with Store.open(folder, pg_url) as store:
        set_live(store, Actor.facilitator_actor(), "checkin", "s2")
    # one participant process: several on one PostgreSQL store is test_live_scaleout's
    served = start_serve(folder, ["--db", pg_url, "--workers", "1"])
    try:
        projector = browser.new_page(viewport={"width": 1920, "height": 1080})
        projector.goto(served.projector)
        projector.get_by_text("지금 0명이 왔어요").wait_for(timeout=30_000)
        phone = browser.new_page(viewport={"width": 360, "height": 740})
        phone.goto(served.participant)
        phone.get_by_placeholder("이름").fill("포스트그레스")
        phone.get_by_role("button", name="참여하기").click()
        phone.get_by_placeholder("오늘 기대하는 것 (한 줄, 선택)").fill("한 저장소")
        phone.get_by_role("button", name="왔어요").click()
        projector.get_by_text("지금 1명이 왔어요").wait_for(timeout=30_000)
        assert "한 저장소" in projector.inner_text("body")
        with Store.open(folder, pg_url) as store:
            rows = [(c.name, c.line) for c in store.list(Checkin)]
        assert rows == [("포스트그레스", "한 저장소")]
        phone.close()
        projector.close()
    finally:
        assert stop_serve(served) == []
