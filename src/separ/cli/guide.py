"""``separ guide``: the facilitator guides as a PDF (or HTML) to print for the room."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from separ.cli import app
from separ.model import Language


class GuideFormat(StrEnum):
    pdf = "pdf"
    html = "html"


@app.command()
def guide(
    out: Annotated[Path, typer.Option("--out", help="The file to write (guide.pdf).")],
    lang: Annotated[Language, typer.Option(help="Guide language.")] = Language.ko,
    format: Annotated[
        GuideFormat | None,
        typer.Option("--format", help="pdf or html (default: from the --out suffix, else pdf)."),
    ] = None,
) -> None:
    """Write the facilitator guides (quick start, session plan, one guide per stage)."""
    from separ.report.guides import guide_html, guide_pdf

    chosen = format or (
        GuideFormat.html if out.suffix.lower() in (".html", ".htm") else GuideFormat.pdf
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    if chosen == GuideFormat.html:
        out.write_text(guide_html(lang.value), encoding="utf-8")
    else:
        out.write_bytes(guide_pdf(lang.value))
    typer.echo(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
