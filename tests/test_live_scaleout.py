"""Scale-out: two participant-server processes on one PostgreSQL count every action once."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from separ.checkin import Checkin
from separ.live.client import PageClient
from separ.model import Attendance
from separ.store import Store
from separ.tokens import issue_facilitator_token, join
from tests.live_server import participant_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PEOPLE = 8


async def _ready(base: str, path: str) -> PageClient:
    page = PageClient(base, path)
    await page.connect()
    assert await page.run_app()
    assert await page.until(lambda: bool(page.find(description="왔어요"))
                            or "separ-count" in page.text())
    return page


def test_two_processes_on_one_postgresql(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with participant_server(folder, pg_url) as one, participant_server(folder, pg_url) as two:
        with Store.open(folder, pg_url) as store:
            before = len(store.list(Attendance, session_id="s1"))
            tokens = [join(store, f"사람{i}") for i in range(PEOPLE)]
            key = issue_facilitator_token(store)  # one facilitator token for both servers

        async def scenario() -> tuple[str, str]:
            projectors = [await _ready(s.base, f"/projector?key={key}")
                          for s in (one, two)]
            # every person has a tab on each server and taps both at the same moment
            tabs = [[await _ready(s.base, f"/?t={t}") for s in (one, two)] for t in tokens]
            await asyncio.gather(*(tab.click(tab.find(description="왔어요")[0])
                                   for pair in tabs for tab in pair))
            for p in projectors:
                assert await p.until(lambda p=p: f"지금 {PEOPLE}명이 왔어요" in p.text(), 20)
            texts = projectors[0].text(), projectors[1].text()
            for page in [*projectors, *(tab for pair in tabs for tab in pair)]:
                await page.close()
            return texts

        first, second = asyncio.run(scenario())
        with Store.open(folder, pg_url) as store:
            checkins = store.list(Checkin, session_id="s1")
            attendance = store.list(Attendance, session_id="s1")
        assert sorted(c.name for c in checkins) == sorted(f"사람{i}" for i in range(PEOPLE))
        assert len(attendance) == before + PEOPLE
        for text in (first, second):
            assert sorted(re.findall(r"<b>(사람\d+)</b>", text)) == sorted(
                f"사람{i}" for i in range(PEOPLE))
