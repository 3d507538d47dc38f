"""One Stage declaration is enough: a stage declared only here shows up in every layer.

The test writes a small installed package, ``separ_kit``, into a temporary folder: a
record type, two live views, a report section and a CLI command, laid out the way
separ's own stages are (``separ_kit/kit.py``, ``separ_kit/ui/kit.py``,
``separ_kit/report/kit.py``, ``separ_kit/cli/kit.py``), and one ``Stage(...)`` that a
``separ.stages`` entry point in its ``.dist-info`` names. Nothing in separ is edited:
the store grows its table, the facilitator can put the activity live, the report
prints its chapter and ``separ`` has its command.
"""

from __future__ import annotations

import html
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from separ import cli, schema, stages
from separ.actors import Actor
from separ.i18n import MESSAGES, text
from separ.live import activities
from separ.model import Workshop
from separ.report import assemble, registry
from separ.tokens import live_state, set_live
from separ.workspace import create_workshop

FILES = {
    "separ_kit/__init__.py": "",
    "separ_kit/kit.py": """
from typing import ClassVar

from separ.records import Name, Record
from separ.stages import Target


class KitNote(Record):
    table: ClassVar[str] = "kit_notes"
    sheet: ClassVar[dict] = {"ko": "키트 메모", "en": "Kit notes"}
    labels: ClassVar[dict] = {"id": {"ko": "ID", "en": "id"},
                              "text": {"ko": "메모", "en": "note"}}
    text: Name


RECORDS = (KitNote,)


def notes(store):
    return [Target(n.id, n.text) for n in store.list(KitNote)]
""",
    "separ_kit/stage.py": """
from separ.stages import Activity, Section, Stage

STAGE = Stage(
    "kit", package="separ_kit", records=("kit",),
    activities=(Activity("kit", {"ko": "키트 메모", "en": "kit notes"}, views="kit",
                         targets="kit:notes"),),
    sections=(Section("kit", "kit:section"),),
    cli=("kit",),
    messages={"kit_count": {"ko": "메모 {n}개", "en": "{n} notes"}},
)
""",
    "separ_kit/ui/__init__.py": "",
    "separ_kit/ui/kit.py": """
import html

import ipywidgets as widgets

from separ.stages import list_targets


def _title(store, target_id):
    return next(t.title for t in list_targets("kit", store) if t.id == target_id)


def participant_view(store, actor, target_id):
    name, title = html.escape(actor.display_name), html.escape(_title(store, target_id))
    return widgets.HTML(f"<p>{name}: {title}</p>")


def projector_view(store, target_id):
    return widgets.HTML(f"<h1>{html.escape(_title(store, target_id))}</h1>")
""",
    "separ_kit/report/__init__.py": "",
    "separ_kit/report/kit.py": """
import pandas as pd

from separ.report.blocks import Section, Table
from separ_kit.kit import KitNote


def section(store, lang):
    rows = store.list(KitNote)
    if not rows:
        return None
    frame = pd.DataFrame({"메모": [r.text for r in rows]})
    return Section("키트 메모", [Table(frame, "메모 목록", "kit_notes")])
""",
    "separ_kit/cli/__init__.py": "",
    "separ_kit/cli/kit.py": '''
from pathlib import Path

import typer

from separ.cli import app
from separ.i18n import text
from separ.workspace import open_workshop
from separ_kit.kit import KitNote


@app.command("kit-count")
def kit_count(workshop: Path) -> None:
    """Count the kit notes."""
    with open_workshop(workshop) as store:
        typer.echo(text("kit_count", store.workshop().lang, n=len(store.list(KitNote))))
''',
    "separ_kit-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: separ-kit\nVersion: 0.1\n",
    "separ_kit-0.1.dist-info/entry_points.txt": "[separ.stages]\nkit = separ_kit.stage:STAGE\n",
}


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[Path]:
    """``separ_kit`` installed on the path for one test, and gone afterwards."""
    site = tmp_path / "site"
    for name, body in FILES.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(body.lstrip(), encoding="utf-8")
    commands = list(cli.app.registered_commands)
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    stages.rescan()
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(site))
        for module in [m for m in sys.modules if m.split(".")[0] == "separ_kit"]:
            del sys.modules[module]
        cli.app.registered_commands[:] = commands
        MESSAGES.pop("kit_count", None)
        importlib.invalidate_caches()
        stages.rescan()


def test_separ_alone_has_its_own_stages() -> None:
    assert [s.name for s in stages.found()] == [
        "workshop",
        "context",
        "assets",
        "voting",
        "roadmap",
        "followup",
        "live",
        "report",
        "guide",
        "doctor",
    ]
    assert stages.record_modules()[:3] == ("separ.model", "separ.context", "separ.network")
    assert stages.cli_modules() == tuple(
        f"separ.cli.{m}"
        for m in (
            "session",
            "assets",
            "voting",
            "poll",
            "roadmap",
            "followup",
            "live",
            "cards",
            "report",
            "guide",
            "doctor",
        )
    )
    assert stages.sections()["swot"] == "separ.report.stages:swot"
    assert activities.get("voting") == activities.Activity(
        "voting",
        {"ko": "투표", "en": "poll"},
        "separ.ui.voting:participant_view",
        "separ.ui.voting:projector_view",
        targets="separ.targets:polls",
    )


def test_one_declaration_reaches_store_live_report_and_cli(kit: Path) -> None:
    from separ_kit.kit import KitNote  # type: ignore[import-not-found]

    assert [s.name for s in stages.found()][-1] == "kit"
    assert text("kit_count", "ko", n=2) == "메모 2개"
    # the store: a table, written and read through the facade
    assert schema.record_types()[-1] is KitNote
    assert "kit_notes" in schema.metadata().tables
    folder = kit / "ws"
    with create_workshop(folder, Workshop(title="키트 워크숍", region="서산시")) as store:
        first = store.add(KitNote(text="첫 메모"))
        second = store.add(KitNote(text="둘째 <메모>"))
        assert store.counts()["kit_notes"] == 2
        # live: the facilitator puts it live, on the newest note unless told otherwise
        assert list(activities.known())[-1] == "kit"
        facilitator = Actor.facilitator_actor()
        assert set_live(store, facilitator, "kit").target_id == second.id
        set_live(store, facilitator, "kit", target_id=first.id)
        state = live_state(store)
        live = activities.get("kit")
        assert live is not None and state.activity == "kit"
        phone = live.participant_view(
            store, Actor(participant_id=None, display_name="익명-1a2b"), state.target_id
        )
        assert html.unescape(phone.value) == "<p>익명-1a2b: 첫 메모</p>"
        assert live.projector_view(store, second.id).value == "<h1>둘째 &lt;메모&gt;</h1>"
        # the report: its chapter comes before the annex, with its table
        assert registry.available()[-2:] == ("kit", "annex")
        report = assemble(store, "ko", ["overview", "kit"])
        assert [c.name for c in report.chapters] == ["overview", "kit"]
        assert list(report.tables()[-1].block.frame["메모"]) == ["첫 메모", "둘째 <메모>"]
    # the CLI: its command, with its message
    cli._load_commands()
    result = CliRunner().invoke(cli.app, ["kit-count", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "메모 2개"


def test_the_stage_is_gone_with_its_package(kit: Path) -> None:
    assert "kit" in activities.known()
    sys.path.remove(str(kit / "site"))
    try:
        importlib.invalidate_caches()
        stages.rescan()
        assert "kit" not in activities.known() and "kit_notes" not in schema.metadata().tables
    finally:
        sys.path.insert(0, str(kit / "site"))
