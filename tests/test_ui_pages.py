"""Every facilitator stage page, rendered on both sample workshops with every tab opened:
what a facilitator sees has no pandas table, no True/False, no raw list or dict, no
internal id, and opening a page writes nothing to the store.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest

from separ.actors import Actor
from separ.store import Store
from separ.workspace import import_file
from tests.conftest import ROOT, SAMPLES

FAC = Actor.facilitator_actor()


def _pages() -> dict[str, Callable[[Store], widgets.Widget]]:
    from separ.ui.assets import assets_page
    from separ.ui.context import context_page
    from separ.ui.followup import followup_page
    from separ.ui.report import report_page
    from separ.ui.roadmap import roadmap_page
    from separ.ui.voting import voting_page

    return {
        "01_context": lambda s: context_page(s, FAC),
        "02_assets": lambda s: assets_page(s, FAC),
        "03_voting": lambda s: voting_page(s, FAC),
        "04_roadmap": lambda s: roadmap_page(s, FAC),
        "05_report": lambda s: report_page(s, FAC),
        "06_followup": lambda s: followup_page(s, FAC),
    }


@pytest.fixture(autouse=True)
def quiet_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    import separ.ui.base as base

    monkeypatch.setattr(base, "FOLLOW_SECONDS", 3600.0)
    monkeypatch.setattr(base, "_hubs", {})


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(request.param)
    import_file(folder, SAMPLES[request.param]).close()
    return folder


def _walk(widget: object) -> Iterator[object]:
    """Every widget of the tree, opening each tab and accordion section on the way (a
    section built on first opening must be seen too)."""
    yield widget
    if isinstance(widget, (widgets.Tab, widgets.Accordion)):
        for i in range(len(widget.children)):
            widget.selected_index = i
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _visible(widget: object) -> list[str]:
    """The texts a person sees: HTML (tags removed), labels, option labels, tab titles."""
    out: list[str] = []
    if isinstance(widget, (widgets.HTML, widgets.Label)):
        shown = html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", widget.value, flags=re.S))
        mark = "separ-report " if "separ-report" in widget.value else ""
        out.append(mark + shown)
        # the markup itself, for pandas' own table class (embedded images left out: a
        # base64 run can spell "True" by chance)
        out.append(re.sub(r"data:[\w/+.-]+;base64,[\w+/=]+", "data:", widget.value))
    for name in ("description", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            out.append(value)
    out.extend(str(label) for label in getattr(widget, "_options_labels", ()) or ())
    out.extend(str(t) for t in getattr(widget, "titles", ()) or ())
    return out


def _ids(store: Store) -> set[str]:
    """Every record id of the workshop (what must never show: 'opt-02', 'ss-t2-1')."""
    from separ import schema

    found: set[str] = set()
    for rtype in schema.exported_types():
        found |= {r.id for r in store.list(rtype) if len(r.id) >= 4}
    return found


@pytest.mark.parametrize("name", list(_pages()))
def test_no_stage_page_shows_a_dataframe_a_boolean_or_an_id(sample: Path, name: str) -> None:
    from separ.workspace import open_workshop

    store = open_workshop(sample)
    before = store.revision()
    page = _pages()[name](store)
    texts = [t for w in _walk(page) for t in _visible(w)]
    assert store.revision() == before, f"{name} wrote to the store when opened"
    joined = "\n".join(texts)
    assert len(joined) > 500, f"{name} shows next to nothing"
    assert 'class="dataframe"' not in joined and "<th></th>" not in joined
    words = set(re.findall(r"[A-Za-z_]+|\[\]|\{'", joined))
    assert not words & {"True", "False", "None", "NaN", "nan", "[]", "{'"}, name
    # the report body is the report's own rendering (issue 19), not a panel of this page
    panels = "\n".join(t for t in texts if "separ-report" not in t)
    shown_ids = {i for i in _ids(store) if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", panels)}
    # ids that are also the plan's own printed codes (a task "1-1") are codes, not ids
    assert not {i for i in shown_ids if re.search(r"[a-z]", i)}, (name, sorted(shown_ids)[:5])
    store.close()


def test_the_english_pages_speak_english(sample: Path) -> None:
    from separ.ui.voting import voting_page
    from separ.workspace import open_workshop

    store = open_workshop(sample)
    texts = "\n".join(t for w in _walk(voting_page(store, FAC, "en")) for t in _visible(w))
    assert "Create and start now" in texts and "Reveal results" in texts
    assert not re.search(r"[\uac00-\ud7a3]{2,}\s*(만들기|시작|공개)", texts)
    store.close()


def test_workbooks_show_only_their_page_and_say_nothing_about_code() -> None:
    for path in sorted((ROOT / "workbooks").glob("0[1-6]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert code[0] == "workshop_dir = None"
        assert len(code) == 2 and re.search(
            r"\n\w+_page\(store, Actor\.facilitator_actor\(\)", code[1]
        ), path.name
        prose = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "`" not in prose and "=" not in prose, f"{path.name} talks about code"
