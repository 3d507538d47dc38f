"""After ``reveal_results``, phones reloading at once and the projector get the ranking, not a
traceback.

The crash seen in the room: phones reloaded after the reveal showed Solara's traceback
"AttributeError: partially initialized module": reacton reads ``pd.Series`` whenever
pandas is in ``sys.modules``, and another thread was still importing it for a results
view. The server now imports every view and what it needs before it listens
(:func:`separ.live.server.warm_up`), and nothing on the results path imports pandas; this
drives the pages over the widget protocol and reads the server process's mapped files.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from separ.actors import Actor
from separ.live.client import PageClient
from separ.polls import (
    PollOption,
    close_poll,
    create_poll,
    open_poll,
    reveal_results,
    submit_ballot,
)
from separ.tokens import actor_for, issue_projector_token, join, set_live
from tests.live_server import participant_server

pytestmark = pytest.mark.slow

FAC = Actor.facilitator_actor()
PHONES = 5


def _loaded(pid: int, package: str) -> bool:
    """Whether the process has mapped any file of ``package`` (its C extensions)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return f"/site-packages/{package}/" in maps


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/PID/maps")
def test_revealed_results_on_reloading_phones_and_the_projector(tmp_path: Path) -> None:
    with participant_server(tmp_path / "seosan") as server:
        with server.store() as store:
            poll = create_poll(
                store, FAC, "우선 과제", "approval", options="공유 공간\n공공구매\n판로 지원"
            )
            open_poll(store, FAC, poll.id)
            set_live(store, FAC, "voting", "s1", poll.id)
            options = [o.id for o in store.list(PollOption, order_by="position", poll_id=poll.id)]
            tokens = [join(store, f"참여자{i}") for i in range(PHONES)]
            # 공유 공간 3, 공공구매 5, 판로 지원 1: ranking 공공구매, 공유 공간, 판로 지원
            for i, token in enumerate(tokens):
                actor = actor_for(store, token)
                assert actor is not None
                marks = {options[1]: 1}
                if i < 3:
                    marks[options[0]] = 1
                if i == 0:
                    marks[options[2]] = 1
                submit_ballot(store, actor, poll.id, marks)
            close_poll(store, FAC, poll.id)
            reveal_results(store, FAC, poll.id)
            key = issue_projector_token(store)

        async def open_page(path: str, cookie: str | None = None) -> PageClient:
            page = PageClient(server.base, path, cookie=cookie)
            await page.connect()
            assert await page.run_app()
            return page

        async def scenario() -> list[str]:
            # every phone reloads at the same moment, the projector with them
            pages = await asyncio.gather(
                open_page(f"/projector?key={key}"), *(open_page(f"/?t={token}") for token in tokens)
            )
            for page in pages:
                shown = page.text
                assert await page.until(lambda shown=shown: "1위" in shown(), timeout=60), (
                    page.text()[:2000]
                )
            texts = [page.text() for page in pages]
            for page in pages:
                await page.close()
            return texts

        texts = asyncio.run(scenario())
        projector, phones = texts[0], texts[1:]
        for shown in phones:
            assert "Traceback" not in shown and "AttributeError" not in shown
            ranking = shown[shown.index("1위") :]
            first, second, third = (
                ranking.index(label) for label in ("공공구매", "공유 공간", "판로 지원")
            )
            assert first < second < third
            assert "(5)" in ranking and "(3)" in ranking and "(1)" in ranking
        assert "Traceback" not in projector and "공공구매" in projector
        assert not _loaded(server.proc.pid, "pandas")
        assert not _loaded(server.proc.pid, "matplotlib")


WARM_CHECK = """
import sys, threading
from separ.live.server import WARM_MODULES, warm_up
from separ.live.activities import known
warm_up()
views = [a.participant.split(":")[0] for a in known().values()]
views += [a.projector.split(":")[0] for a in known().values()]
for name in [*views, *WARM_MODULES]:
    module = sys.modules[name]
    assert not getattr(module.__spec__, "_initializing", False), name
assert threading.active_count() == 1, [t.name for t in threading.enumerate()]
assert "pandas" not in sys.modules and "matplotlib" not in sys.modules
print("ok", len(views))
"""


def test_warm_up_leaves_no_import_half_done() -> None:
    """When :func:`warm_up` returns, every view and what it imports on first use is imported
    completely and no thread is still importing: the first page cannot meet a half-built
    module. In a fresh interpreter, so nothing was imported before."""
    import subprocess

    from tests.conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-c", WARM_CHECK],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok ")
