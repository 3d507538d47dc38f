"""``separ ties import`` and ``separ assets import``: sheets of ties and assets into a workshop.

A bad row exits with code 2 and names the file, the row and the problem; nothing of
the file is written (see :mod:`separ.bulk`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from separ.actors import Actor
from separ.bulk import import_assets, import_ties
from separ.cli import DbOption, app
from separ.cli.say import say
from separ.store import Store

ties_app = typer.Typer(help="Ties between organisations (the network map).", no_args_is_help=True)
assets_app = typer.Typer(help="The community's assets (ABCD).", no_args_is_help=True)
app.add_typer(ties_app, name="ties")
app.add_typer(assets_app, name="assets")

FolderArg = Annotated[Path, typer.Argument(help="The workshop folder.")]
SheetArg = Annotated[
    Path,
    typer.Argument(
        help="A .csv/.tsv/.txt (UTF-8, CP949 or UTF-16) or .xlsx file, one row per item."
    ),
]


@ties_app.command("import")
def ties_import(folder: FolderArg, file: SheetArg, db: DbOption = None) -> None:
    """Add ties from a sheet (columns 조직, 상대 조직, 관계 유형, 일자, 강도, 방향, 비고)."""
    with Store.open(folder, db) as store:
        added = import_ties(store, Actor.facilitator_actor("separ"), file)
    say("ties", n=len(added), file=file)


@assets_app.command("import")
def assets_import(folder: FolderArg, file: SheetArg, db: DbOption = None) -> None:
    """Add assets from a sheet (columns 자산, 분류, 보유자, 위치(읍면동), 공유 가능, 비고)."""
    with Store.open(folder, db) as store:
        added = import_assets(store, Actor.facilitator_actor("separ"), file)
    say("assets", n=len(added), file=file)
