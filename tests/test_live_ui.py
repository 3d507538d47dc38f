"""The live layer without a server: dashboard rights, page following, the hub, hardening."""

from __future__ import annotations

import asyncio
from typing import Any

import ipywidgets as widgets
import pytest

from separ import checkin
from separ.actors import Actor
from separ.checkin import Checkin
from separ.live.pages import ParticipantPage, ProjectorPage
from separ.live.runtime import Hub, shared
from separ.live.server import harden
from separ.model import Session, Workshop
from separ.store import Store
from separ.tokens import issue_facilitator_token, issue_projector_token, join, live_state, set_live
from separ.ui.checkin import CheckinParticipant, CheckinProjector
from separ.ui.live import REFUSAL, LiveDashboard, facilitator_dashboard

FACILITATOR = Actor.facilitator_actor()


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkin, "MIN_INTERVAL", 0.0)


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    s.add(Workshop(title="서산 <워크숍>", region="서산시"))
    s.add(Session(id="s1", round=1))
    return s


def _buttons(widget: Any) -> list[widgets.Button]:
    found = [widget] if isinstance(widget, widgets.Button) else []
    for child in getattr(widget, "children", ()):
        found += _buttons(child)
    return found


@pytest.mark.parametrize("query", ["", "token=", "token=wrong", "key=x"])
def test_dashboard_without_the_token_builds_no_controls(store: Store, query: str) -> None:
    join(store, "참여자")
    view = facilitator_dashboard(store, query)
    assert isinstance(view, widgets.HTML) and REFUSAL in view.value
    assert _buttons(view) == []


def test_a_participant_token_is_not_a_facilitator_token(store: Store) -> None:
    view = facilitator_dashboard(store, f"token={join(store, '참여자')}")
    assert isinstance(view, widgets.HTML)


def test_dashboard_puts_checkin_live(store: Store) -> None:
    view = facilitator_dashboard(store, f"token={issue_facilitator_token(store)}")
    assert isinstance(view, LiveDashboard)
    view.activity.value = "checkin"
    view.session.value = "s1"
    view.go.click()
    state = live_state(store)
    assert (state.activity, state.session_id) == ("checkin", "s1")
    assert "체크인" in view.summary.value
    view.stop.click()
    assert live_state(store).activity is None


def test_participant_page_follows_the_live_activity(store: Store) -> None:
    stranger = ParticipantPage(store, None)
    assert stranger.actor is None and "참여하기 화면으로" in stranger.who.value
    me = ParticipantPage(store, join(store, "김민수"))
    assert "진행자가 활동을 시작하면" in me.slot.children[0].value
    set_live(store, FACILITATOR, "checkin", "s1")
    me.on_change()
    view = me.view
    assert isinstance(view, CheckinParticipant)
    view.line.value = "기대돼요"
    view.button.click()
    assert "체크인했습니다" in view.status.value
    projector = ProjectorPage(store, issue_facilitator_token(store), "http://x/")
    assert isinstance(projector.view, CheckinProjector)
    assert "1명" in projector.view.board.value and "기대돼요" in projector.view.board.value
    assert "&lt;워크숍&gt;" in projector.children[1].value  # user text is escaped
    set_live(store, FACILITATOR, None)
    me.on_change()
    assert me.view is None and view.button.comm is None  # the old view is closed
    assert len(store.list(Checkin)) == 1


def test_projector_needs_the_projector_key(store: Store) -> None:
    page = ProjectorPage(store, join(store, "참여자"), "http://x/")
    assert not page.allowed and "프로젝터 주소가 올바르지 않습니다" in page.children[1].value
    assert ProjectorPage(store, issue_projector_token(store), "http://x/").allowed


def test_hub_fans_out_only_to_live_listeners() -> None:
    class Listener:
        def __init__(self) -> None:
            self.calls = 0

        def on_change(self) -> None:
            reads.append(shared("x", object))  # read once per sweep, for everyone
            order.append("listener")
            self.calls += 1

    class Broken:
        live_priority = 0  # goes first, fails, and the others still run

        def on_change(self) -> None:
            order.append("broken")
            raise RuntimeError("boom")

    order: list[object] = []
    reads: list[object] = []
    hub = Hub(lambda: 0, interval=3600)
    a, b, gone, broken = Listener(), Listener(), Listener(), Broken()
    hub.subscribe(gone)
    hub.subscribe(a)
    unsubscribe = hub.subscribe(b)
    hub.subscribe(broken)  # a failing page does not stop the others' updates
    hub.notify()
    assert order[0] == "broken" and len(reads) == 3 and len(set(map(id, reads))) == 1
    unsubscribe()
    del gone  # a forgotten page is dropped, not kept alive
    hub.notify()
    assert (a.calls, b.calls, hub.count()) == (2, 1, 2)
    hub.stop()


def _call(path: str, client: str, headers: list[tuple[bytes, bytes]] | None = None) -> int:
    reached: list[str] = []
    sent: list[dict[str, Any]] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    scope = {"type": "http", "path": path, "client": (client, 5555), "headers": headers or []}
    asyncio.run(harden(inner)(scope, receive, send))
    return int(sent[0]["status"])


def test_resourcez_is_closed_unless_enabled_and_then_only_on_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SEPAR_RESOURCEZ", raising=False)
    assert _call("/resourcez", "127.0.0.1") == 404  # behind a local proxy all is loopback
    monkeypatch.setenv("SEPAR_RESOURCEZ", "1")
    assert _call("/resourcez", "127.0.0.1") == 200
    assert _call("/resourcez", "192.0.2.7") == 404
    assert _call("/resourcez/", "192.0.2.7") == 404
    assert _call("/projector", "192.0.2.7") == 200


def test_participant_path_imports_no_pandas_or_matplotlib() -> None:
    import subprocess
    import sys

    code = (
        "import sys, separ.live.server, separ.live.app, separ.live.runtime, "
        "separ.ui.checkin, separ.workspace; "
        "print([m for m in ('pandas', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


PHONE_BUILD = """
import sys, tempfile
from pathlib import Path
from separ import delphi, polls
from separ.live import activities
from separ.actors import Actor
from separ.live.pages import ParticipantPage
from separ.tokens import join, set_live
from separ.workspace import import_file
F = Actor.facilitator_actor()
store = import_file(Path(tempfile.mkdtemp()) / "ws", Path(sys.argv[1]))
poll = polls.create_poll(store, F, "live", "approval", options="a\\nb")
polls.open_poll(store, F, poll.id)
study = delphi.create_study(store, F, "d")
delphi.set_round(store, F, study.id, 1, True)
page = ParticipantPage(store, join(store, "p"))
built = []
for kind in activities.known():
    set_live(store, F, kind, "s1" if kind == "checkin" else None)
    page.on_change()
    built.append(type(page.view).__name__)
print(built, [m for m in ('pandas', 'matplotlib') if m in sys.modules])
"""


def test_every_activity_builds_a_phone_page_without_pandas_or_matplotlib() -> None:
    """The one process serving every phone builds each activity's page (on the Seosan
    sample) without importing pandas or matplotlib."""
    import subprocess
    import sys

    from tests.conftest import SAMPLES

    out = subprocess.run(
        [sys.executable, "-c", PHONE_BUILD, str(SAMPLES["seosan"])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == (
        "['CheckinParticipant', 'Mounted', 'Mounted', 'LiveBallot', "
        "'ParticipantRoadmap', 'DelphiForm'] []"
    )


def test_a_double_tap_on_checkin_keeps_the_confirmation(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from separ.tokens import actor_for

    monkeypatch.setattr(checkin, "MIN_INTERVAL", 5.0)  # the real one-second rule, and more
    set_live(store, FACILITATOR, "checkin", "s1")
    actor = actor_for(store, join(store, "두번탭"))
    assert actor is not None
    view = CheckinParticipant(store, actor)
    assert "120자까지" in view.line.description  # the limit is shown before typing
    view.line.value = "반가워요"
    view.button.click()
    view.button.click()  # within a second: refused by the rate, but the first was saved
    assert "체크인했습니다" in view.status.value and "separ-error" not in view.status.value
    assert len(store.list(checkin.Checkin)) == 1


def _texts(widget: Any) -> list[str]:
    """Every text a person can read in a widget tree: values, labels, hints, options."""
    found = [
        str(getattr(widget, name))
        for name in ("value", "description", "placeholder")
        if isinstance(getattr(widget, name, None), str)
    ]
    found += [
        str(label)
        for label, _ in getattr(widget, "options", ())
        if isinstance(widget, widgets.Dropdown)
    ]
    found += [str(t) for t in getattr(widget, "titles", ()) or ()]
    for child in getattr(widget, "children", ()):
        found += _texts(child)
    return found


def test_an_english_workshop_gets_english_console_and_checkin() -> None:
    import re

    from separ.tokens import actor_for
    from separ.ui import checkin as checkin_ui

    s = Store.memory()
    s.add(Workshop(title="Seosan workshop", region="Seosan", language="en"))
    s.add(Session(id="s1", round=1, place="Town hall"))
    set_live(s, FACILITATOR, "checkin", "s1")
    actor = actor_for(s, join(s, "Kim"))
    assert actor is not None
    phone = checkin_ui.participant_view(s, actor)
    assert isinstance(phone, CheckinParticipant)
    assert phone.button.description == "I'm here"
    assert "up to 120 characters" in phone.line.description
    phone.line.value = "Meet the neighbours"
    phone.button.click()
    assert "✓ Checked in — “Meet the neighbours”" in phone.status.value
    room = checkin_ui.projector_view(s)
    assert "Here now: 1" in _texts(room)[0]
    console = LiveDashboard(s, FACILITATOR)
    assert console.go.description == "Show on phones"
    assert "1 checked in" in console.checkins.value
    hangul = [t for t in _texts(phone) + _texts(room) + _texts(console) if re.search(r"[가-힣]", t)]
    assert hangul == []
    korean = facilitator_dashboard(s, "token=wrong")
    assert korean.value.endswith("진행자 권한이 필요합니다 · facilitator rights are needed</p>")


def test_the_page_document_gets_lang_zoom_and_the_aria_script_once() -> None:
    """Solara's page document on its way out (:mod:`separ.live.document`); the script is the
    very file the Voila template includes through Jinja, so it must hold no Jinja syntax."""
    from separ.live import document

    solara_head = (
        b'<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, '
        b'initial-scale=1, maximum-scale=1, user-scalable=no"></head><body></body></html>'
    )
    patched = document.patch(solara_head)
    assert patched.startswith(b'<!DOCTYPE html><html lang="ko"><head>')
    assert b"user-scalable" not in patched and b"maximum-scale" not in patched
    assert patched.count(b"window.separAria") == 2  # the guard and the export, one script
    assert patched.index(b"separAria") < patched.index(b"</head>")
    script = document.ARIA_SCRIPT.read_text(encoding="utf-8")
    assert not any(mark in script for mark in ("{{", "{%", "{#"))
    template = document.ARIA_SCRIPT.with_name("index.html.j2").read_text(encoding="utf-8")
    assert '{% include "separ_aria.js" %}' in template
