"""axe-core (WCAG 2.1 A and AA rules) on every phone page and projector state, at 360×740
(phones) and 1920×1080 (projector), in headless Chromium.

axe-core comes from the npm registry: ``$SEPAR_AXE`` names an ``axe.min.js``, else the
test installs ``axe-core@4`` with npm into ``~/.cache/separ/axe`` once. Without both
(no npm, no network) the test is skipped and says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from separ import delphi, polls
from separ.actors import Actor
from separ.model import Participant
from separ.store import Store
from separ.tokens import set_live
from tests.e2e.conftest import Served, shot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1920, "height": 1080}
FAC = Actor.facilitator_actor()
CACHE = Path.home() / ".cache" / "separ" / "axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> Path:
    configured = os.environ.get("SEPAR_AXE")
    if configured:
        return Path(configured)
    found = CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not found.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("axe-core is not installed and npm is missing (set SEPAR_AXE)")
        CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", "axe-core@4"],
            cwd=CACHE,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not found.is_file():
            pytest.skip(f"could not install axe-core from npm: {done.stderr[-300:]}")
    return found


def violations(page: Any, script: Path) -> list[str]:
    page.add_script_tag(path=str(script))
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
            .violations.map(v => `${v.id} ×${v.nodes.length}: ${v.nodes.slice(0, 3)
            .map(n => n.target.join(' ')).join(' | ')}`)""",
        TAGS,
    )
    return list(found)


def _live(
    served: Served, activity: str | None, session: str | None = None, target: str | None = None
) -> None:
    with Store.open(served.folder) as store:
        set_live(store, FAC, activity, session, target)


def _prepare(served: Served) -> dict[str, str]:
    """A named dot poll, an anonymous importance poll and a Delphi study with a panellist."""
    with Store.open(served.folder) as store:
        dots = polls.create_poll(
            store,
            FAC,
            "우선순위 스티커",
            "dots",
            dots=3,
            options=["공동 판로", "교육 공간", "지원센터"],
        )
        polls.open_poll(store, FAC, dots.id)
        rated = polls.create_poll(
            store,
            FAC,
            "세부 과제 중요 정도",
            "importance",
            anonymous=True,
            options=["판로 개척", "인력 양성"],
        )
        polls.open_poll(store, FAC, rated.id)
        study = delphi.create_study(store, FAC, "성과지표 델파이")
        delphi.add_item(store, FAC, study.id, "SV1", "사회적경제 기업 수")
        person = store.list(Participant)[0]
        delphi.add_panellist(store, FAC, study.id, person.name, participant_id=person.id)
        delphi.set_round(store, FAC, study.id, 1, True)
    return {"dots": dots.id, "importance": rated.id, "delphi": study.id, "panellist": person.id}


STATES: list[tuple[str, str | None, str | None, str]] = [
    # (name, activity, target key, text the phone shows when ready)
    ("waiting", None, None, "진행자가 활동을 시작하면"),
    ("checkin", "checkin", None, "왔어요"),
    ("context", "context", None, "보내기"),
    ("assets", "assets", None, "자산"),
    ("voting-dots", "voting", "dots", "투표하기"),
    ("voting-importance", "voting", "importance", "투표하기"),
    ("roadmap", "roadmap", None, "의견 보내기"),
    ("delphi", "delphi", "delphi", "델파이"),
]


def test_axe_finds_nothing_on_phone_and_projector_pages(served: Served, browser: Any) -> None:
    script = axe_script()
    targets = _prepare(served)
    found: dict[str, list[str]] = {}

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(served.participant)
    phone.get_by_label("이름").wait_for(timeout=30_000)
    found["phone join form"] = violations(phone, script)
    phone.goto(served.participant + "verify")
    found["phone verify page"] = violations(phone, script)
    phone.goto(served.participant)
    phone.get_by_label("이름").fill("접근성")
    phone.get_by_label("이름").press("Enter")
    phone.get_by_text("접근성 님").wait_for(timeout=30_000)

    projector = browser.new_context(viewport=WIDE).new_page()
    projector.goto(served.projector)
    projector.get_by_role("heading").first.wait_for(timeout=30_000)

    for name, activity, key, ready in STATES:
        target = targets[key] if key else None
        _live(served, activity, "s1" if activity == "checkin" else None, target)
        phone.reload()
        phone.get_by_text(ready).first.wait_for(timeout=30_000)
        projector.reload()
        projector.get_by_role("heading").first.wait_for(timeout=30_000)
        projector.wait_for_timeout(1500)
        found[f"phone {name}"] = violations(phone, script)
        found[f"projector {name}"] = violations(projector, script)
        shot(phone, f"a11y-phone-{name}-360")
        if name == "voting-importance":  # "중상" whole at 360 px, not "중…"
            cut = phone.evaluate("""() => [...document.querySelectorAll('button')]
                .filter(b => b.textContent.trim() === '중상')
                .filter(b => b.scrollWidth > b.clientWidth).length""")
            assert phone.get_by_role("button", name="중상").count() >= 2 and cut == 0
    _live(served, None)
    listing = "\n".join(f"{page}: {v}" for page, vs in found.items() for v in vs)
    print(listing or "axe-core: no violations on", ", ".join(found))
    assert not listing, listing
