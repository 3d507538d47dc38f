"""The live pages, the join entry and the follow-up and report pages speak the workshop's
language: an English workshop's phones and projector read no Korean at all, and the
facilitator's English follow-up page has English controls (the data stays as written)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import ipywidgets as widgets
import pytest

from separ.actors import Actor
from separ.errors import SeparError
from separ.live import entry
from separ.live.pages import ParticipantPage, ProjectorPage
from separ.model import Session, Workshop
from separ.store import Store
from separ.tokens import join
from separ.workspace import import_file
from tests.conftest import SAMPLES

HANGUL = re.compile(r"[가-힣]")
FAC = Actor.facilitator_actor()


def _store(lang: str) -> Store:
    store = Store.memory()
    store.add(Workshop(title="Seosan 2021", region="Seosan", language=lang))
    store.add(Session(id="s1", round=1))
    return store


def _texts(widget: object) -> list[str]:
    """Every text of a widget tree: HTML values, descriptions, placeholders, tab titles."""
    out = [
        str(getattr(widget, name))
        for name in ("value", "description", "placeholder")
        if isinstance(getattr(widget, name, None), str)
    ]
    out += [str(t) for t in getattr(widget, "titles", ()) or ()]
    if isinstance(widget, (widgets.Tab, widgets.Accordion)):
        for i in range(len(widget.children)):
            widget.selected_index = i
    for child in getattr(widget, "children", ()):
        out += _texts(child)
    return out


def test_the_join_entry_of_an_english_workshop_is_english() -> None:
    store = _store("en")
    pages = [
        entry.join_form(store, name="Alex", error=SeparError("join_busy")),
        entry.verify_page(store, "NOPE-NOPE-NO"),
        entry._already(store, "Alex <b>"),
        entry._card_refused(store, SeparError("token_unknown")),
    ]
    for page in map(bytes.decode, pages):
        assert "<html lang='en'>" in page and not HANGUL.search(page), page
    form, verify, already, _ = map(bytes.decode, pages)
    assert "<title>Seosan 2021 · Join</title>" in form and ">Join now</button>" in form
    assert "too many joins from this address" in form
    assert "No ballot has this receipt code" in verify and "placeholder='e.g. K7QM" in verify
    # the visitor's name is escaped, the table's markup around it is not
    assert "already joined as <b>Alex &lt;b&gt;</b>. One phone is one person." in already


def test_the_join_entry_of_a_korean_workshop_is_unchanged() -> None:
    store = _store("ko")
    form = entry.join_form(store).decode()
    assert "<html lang='ko'>" in form and "<title>Seosan 2021 · 참여</title>" in form
    assert "<p>이름을 적고 '참여하기'를 누르세요.</p>" in html.unescape(form)
    assert ">참여하기</button>" in form and "placeholder='이름'" in form
    assert "이미 <b>민수</b> 님으로 참여했습니다" in entry._already(store, "민수").decode()


def test_an_english_phone_and_projector_read_no_korean() -> None:
    store = _store("en")
    stranger = ParticipantPage(store, "not-a-token")
    shown = "\n".join(_texts(stranger))
    assert "Go to the join page" in shown and "this link is not valid" in shown
    me = ParticipantPage(store, join(store, "Alex"))
    me.taps_lost(2)
    shown = "\n".join(_texts(me))
    assert "<p class='separ-who'>Alex</p>" in shown
    assert "This screen changes by itself when the facilitator starts" in shown
    assert "What you typed or tapped while it was down was not saved" in shown
    projector = ProjectorPage(store, "wrong-key", "http://example.org/")
    shown += "\n".join(_texts(projector))
    assert "This is not a valid projector link" in shown
    assert not HANGUL.search(shown), HANGUL.findall(shown)[:10]


def test_a_korean_phone_keeps_its_korean() -> None:
    store = _store("ko")
    me = ParticipantPage(store, join(store, "김민수"))
    me.taps_lost(1)
    shown = "\n".join(_texts(me))
    assert "김민수 님" in shown and "진행자가 활동을 시작하면 이 화면이 저절로 바뀝니다" in shown
    assert "끊긴 동안 입력하거나 누른 것은 저장되지 않았습니다" in shown
    assert "프로젝터 주소가 올바르지 않습니다" in "\n".join(
        _texts(ProjectorPage(store, "wrong-key", "http://example.org/"))
    )


@pytest.fixture(scope="module")
def seosan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seosan")
    import_file(folder, SAMPLES["seosan"]).close()
    return folder


def test_the_english_followup_page_has_english_controls(
    seosan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import separ.ui.base as base
    from separ.ui.followup import followup_page
    from separ.workspace import open_workshop

    monkeypatch.setattr(base, "FOLLOW_SECONDS", 3600.0)
    monkeypatch.setattr(base, "_hubs", {})
    store = open_workshop(seosan)
    page = followup_page(store, FAC, "en")
    controls: list[str] = []

    def walk(widget: object) -> None:
        controls.extend(
            str(getattr(widget, name))
            for name in ("description", "placeholder")
            if isinstance(getattr(widget, name, None), str)
        )
        controls.extend(str(t) for t in getattr(widget, "titles", ()) or ())
        if isinstance(widget, (widgets.Tab, widgets.Accordion)):
            for i in range(len(widget.children)):
                widget.selected_index = i
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(page)
    assert {"Plan vs reality", "Record status", "Review date", "Across workshops"} <= set(controls)
    assert not [c for c in controls if HANGUL.search(c)]
    shown = "\n".join(_texts(page))
    assert "<th" in shown and ">task</th>" in shown and ">progress (%)</th>" in shown
    assert ">과제</th>" not in shown and ">진척률(%)</th>" not in shown
    store.close()


def test_the_report_switch_names_each_language_in_itself(tmp_path: Path) -> None:
    from separ.model import Workshop
    from separ.ui.report import ReportView
    from separ.workspace import create_workshop

    # a workshop with nothing in it yet: the switch is what is looked at, not the report
    store = create_workshop(tmp_path / "ws", Workshop(title="새 워크숍", region="서산시"))
    view = ReportView(store, FAC, tmp_path / "ws")
    assert list(view.lang_choice._options_labels) == ["한국어", "English"]
    view.lang_choice.value = "en"
    assert view.refresh_button.description == "Refresh"
    assert view.export_buttons["pdf"].description == "Export PDF"
    store.close()
