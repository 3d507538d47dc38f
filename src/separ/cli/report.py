"""``separ report``: the workshop's report as HTML, PDF and/or an Excel annex."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from separ.cli import DbOption, WorkshopArg, app
from separ.cli.say import say
from separ.i18n import default_lang, text
from separ.model import Language
from separ.workspace import open_workshop


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"
    all = "all"


@app.command()
def report(
    workshop: WorkshopArg,
    format: Annotated[ReportFormat, typer.Option("--format", help="html, pdf, xlsx or all.")],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            help="The file to write; a path ending in / is a folder (report.<ext> in it); "
            "with --format all, a folder or a file stem.",
        ),
    ],
    lang: Annotated[
        Language | None, typer.Option(help="Report language (default: the workshop's).")
    ] = None,
    sections: Annotated[
        list[str] | None,
        typer.Option(
            "--sections",
            help="Only these sections (repeat, or comma-separated), in report order.",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="Date printed on the cover (default: the month of the last session)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the workshop report: cover, contents, numbered tables and figures, annex."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from separ.report import FORMATS, export
    from separ.report.export import steps

    formats = FORMATS if format == ReportFormat.all else (format.value,)
    names = [n.strip() for item in sections or [] for n in item.split(",") if n.strip()] or None
    with open_workshop(workshop, db) as store:
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("report", total=steps(names, formats))
            started: list[str] = []

            def step(name: str) -> None:
                if started:
                    progress.advance(task)
                started.append(name)
                progress.update(task, description=name)

            written = export(
                store, formats, out, lang.value if lang else None, names, date, on_step=step
            )
            progress.advance(task)
    lang_out = default_lang()
    for w in written:
        extra = (
            ""
            if w.pages is None
            else text(
                "said_pdf_pages" if w.format == "pdf" else "said_xlsx_sheets", lang_out, n=w.pages
            )
        )
        say(
            "report_file",
            path=w.path,
            kb=f"{w.size / 1024:.0f}",
            extra=extra,
            seconds=f"{w.seconds:.1f}",
        )
