"""The ``separ`` command.

User mistakes exit with code 2 and one line naming the file, row or field; they never
print a traceback. Each stage's own subcommands come from its CLI module, named in its
:class:`separ.stages.Stage`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from separ import schema
from separ.cli.say import say
from separ.errors import SeparError
from separ.i18n import default_lang
from separ.model import Language, Workshop
from separ.workspace import create_workshop, export_file, import_file, open_workshop

app = typer.Typer(
    name="separ",
    help="Participatory action research workshops: the store, imports and exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

WorkshopArg = Annotated[
    Path, typer.Argument(help="A workshop folder, or a workshop .json/.xlsx file.")
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store URL (postgresql://...) instead of the folder's SQLite file."),
]


class Format(StrEnum):
    json = "json"
    xlsx = "xlsx"


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="The new workshop folder.")],
    title: Annotated[str, typer.Option(help="Title of the workshop series.")],
    region: Annotated[str, typer.Option(help="City or district, e.g. 서산시.")],
    lang: Annotated[Language, typer.Option(help="Workshop language.")] = Language.ko,
    plan_start: Annotated[int | None, typer.Option(help="First year of the plan.")] = None,
    plan_end: Annotated[int | None, typer.Option(help="Last year of the plan.")] = None,
    db: DbOption = None,
) -> None:
    """Create a workshop folder with an empty store."""
    from separ.validation import build

    workshop = build(
        Workshop,
        {
            "title": title,
            "region": region,
            "language": lang.value,
            "plan_start": plan_start,
            "plan_end": plan_end,
        },
    )
    assert isinstance(workshop, Workshop)
    create_workshop(folder, workshop, db).close()
    say("created", path=folder)


@app.command("import")
def import_(
    folder: Annotated[Path, typer.Argument(help="The workshop folder (created if new).")],
    file: Annotated[Path, typer.Argument(help="A workshop .json or .xlsx file.")],
    db: DbOption = None,
) -> None:
    """Replace the folder's workshop with the file's. A bad file changes nothing."""
    with import_file(folder, file, db) as store:
        total = sum(store.counts().values())
    say("imported", n=total, file=file)


@app.command()
def export(
    workshop: WorkshopArg,
    format: Annotated[Format, typer.Option("--format", help="json or xlsx.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    db: DbOption = None,
) -> None:
    """Write the whole workshop to one JSON or Excel file."""
    with open_workshop(workshop, db) as store:
        export_file(store, format.value, out)
    say("wrote", path=out)


@app.command()
def info(workshop: WorkshopArg, db: DbOption = None) -> None:
    """Show the workshop and how many records each table holds."""
    with open_workshop(workshop, db) as store:
        ws = store.workshop()
        lang = ws.lang
        typer.echo(f"{ws.title} — {ws.region} ({ws.language.value})")
        typer.echo(f"store: {store.location} (schema {store.schema_version()})")
        for table, count in store.counts().items():
            label = schema.record_type(table).sheet[lang]
            typer.echo(f"  {table:<14} {label:<10} {count:>6}")


def _load_commands() -> None:
    """Import every stage's CLI module (:func:`separ.stages.cli_modules`): each adds its
    subcommands to :data:`app`."""
    import importlib

    from separ import stages

    for name in stages.cli_modules():
        importlib.import_module(name)


def main() -> None:
    """Entry point: typer reports usage errors (exit 2); user mistakes become one line, exit 2."""
    _load_commands()
    try:
        app()
    except SeparError as exc:
        typer.echo(f"separ: {exc.message(default_lang())}", err=True)
        sys.exit(2)
