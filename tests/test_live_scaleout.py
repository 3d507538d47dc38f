"""Scale-out: participant-server processes on one store count every action once.

Two separate servers on one PostgreSQL (as behind nginx or Traefik), and the workers of
``separ serve --workers N`` sharing one port, on SQLite and PostgreSQL.
"""

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
from tests.live_server import participant_server, worker_servers

pytestmark = pytest.mark.slow

PEOPLE = 8


async def _ready(base: str, path: str) -> PageClient:
    page = PageClient(base, path)
    await page.connect()
    assert await page.run_app()
    assert await page.until(
        lambda: bool(page.find(description="왔어요")) or "separ-count" in page.text()
    )
    return page


@pytest.mark.postgres
def test_two_processes_on_one_postgresql(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with participant_server(folder, pg_url) as one, participant_server(folder, pg_url) as two:
        with Store.open(folder, pg_url) as store:
            before = len(store.list(Attendance, session_id="s1"))
            tokens = [join(store, f"사람{i}") for i in range(PEOPLE)]
            key = issue_facilitator_token(store)  # one facilitator token for both servers

        async def scenario() -> tuple[str, str]:
            projectors = [await _ready(s.base, f"/projector?key={key}") for s in (one, two)]
            # every person has a tab on each server and taps both at the same moment
            tabs = [[await _ready(s.base, f"/?t={t}") for s in (one, two)] for t in tokens]
            await asyncio.gather(
                *(tab.click(tab.find(description="왔어요")[0]) for pair in tabs for tab in pair)
            )
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
                f"사람{i}" for i in range(PEOPLE)
            )


async def _ballot_page(base: str, token: str) -> PageClient:
    page = PageClient(base, f"/?t={token}")
    await page.connect()
    assert await page.run_app()
    assert await page.until(lambda: bool(page.find(description="투표하기")), 60)
    return page


def _serving(pids: list[int], port: int) -> list[int]:
    """Established connections to ``port`` held by each worker process."""
    import psutil

    return [
        sum(
            1
            for c in psutil.Process(pid).net_connections("tcp")
            if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port
        )
        for pid in pids
    ]


def test_workers_on_one_port_keep_people_apart(db_url: str | None, tmp_path: Path) -> None:
    """Two workers on one port: every phone is its holder's (identity), one ballot per
    person whatever the tabs and taps, and widget states reach only their own page."""
    from separ.actors import Actor
    from separ.polls import PollBallot, create_poll, open_poll
    from separ.tokens import set_live

    people = 10
    folder = tmp_path / "ws"
    with worker_servers(folder, db_url, workers=2) as workers:
        base, port = workers[0].base, int(workers[0].base.rsplit(":", 1)[1])
        fac = Actor.facilitator_actor()
        with Store.open(folder, db_url) as store:
            poll = create_poll(store, fac, "작업자 시험", "approval", options=["가", "나"]).id
            open_poll(store, fac, poll)
            set_live(store, fac, "voting", None, poll)
            tokens = [join(store, f"투표자{i}") for i in range(people)]

        async def scenario() -> list[int]:
            tabs = [[await _ballot_page(base, t) for _ in range(2)] for t in tokens]
            spread = _serving([w.proc.pid for w in workers], port)
            for i, pair in enumerate(tabs):  # identity: each tab names its own holder
                for tab in pair:
                    assert f"투표자{i} 님" in tab.text()
                    assert not any(f"투표자{j} 님" in tab.text() for j in range(people) if j != i)
            # every tab taps "가" and 투표하기 at the same moment, twice
            pages = [tab for pair in tabs for tab in pair]
            for tab in pages:
                await tab.set_state(
                    tab.find(_model_name="ToggleButtonModel", description="가")[0], value=True
                )
            await asyncio.gather(
                *(tab.click(tab.find(description="투표하기")[0]) for tab in pages for _ in range(2))
            )
            for tab in pages:
                assert await tab.until(lambda tab=tab: "확인번호" in tab.text(), 30)
            # all ask for their widget states on the control channel together
            await asyncio.gather(*(tab.request_states() for tab in pages))
            for tab in pages:
                assert await tab.until(lambda tab=tab: len(tab.control_replies) >= 1, 15)
            for i, pair in enumerate(tabs):
                for tab in pair:
                    dump = str(tab.control_replies)
                    assert f"투표자{i} 님" in dump
                    assert not any(f"투표자{j} 님" in dump for j in range(people) if j != i)
                    assert set(tab.states) <= set(tab.control_replies[0]["states"])
            for tab in pages:
                await tab.close()
            return spread

        spread = asyncio.run(scenario())
        assert all(n > 0 for n in spread), spread  # the kernel spread the phones over both
        with Store.open(folder, db_url) as store:
            ballots = store.list(PollBallot, poll_id=poll)
        assert len(ballots) == people  # one per person, across workers, tabs and taps
