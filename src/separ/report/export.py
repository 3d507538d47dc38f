"""Write a workshop's report as HTML, PDF and/or an Excel annex, timing each file.

One assembled report feeds every format, so the numbers in the PDF, the HTML and the
Excel sheets always agree.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from separ.i18n import Lang
from separ.report import registry
from separ.report.assembly import assemble
from separ.report.notebook import to_notebook
from separ.store import Store

FORMATS = ("html", "pdf", "xlsx")


@dataclass(frozen=True)
class Written:
    format: str
    path: Path
    size: int
    """Bytes."""
    seconds: float
    pages: int | None = None
    """PDF pages; sheets for the Excel annex."""


def targets(out: Path | str, formats: tuple[str, ...]) -> dict[str, Path]:
    """Where each format goes: ``out`` itself for one format (its suffix added if missing);
    for several, ``out`` names a folder (``report.html`` …) or a stem (``out.html`` …).

    ``out`` is a folder when it exists as one or when it is written with a trailing
    separator (``out/``): a folder that does not exist yet is made, never taken as a stem.
    """
    folder = isinstance(out, str) and out.endswith(("/", os.sep))
    out = Path(out)
    folder = folder or out.is_dir()
    if len(formats) == 1:
        fmt = formats[0]
        if folder:
            return {fmt: out / f"report.{fmt}"}
        return {fmt: out if out.suffix.lower() == f".{fmt}" else out.with_name(f"{out.name}.{fmt}")}
    stem = (
        out / "report"
        if folder
        else out.with_suffix("")
        if out.suffix.lower() in {f".{f}" for f in FORMATS}
        else out
    )
    return {fmt: stem.with_name(f"{stem.name}.{fmt}") for fmt in formats}


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF Chromium wrote (its page objects are plain dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def steps(sections: list[str] | None, formats: tuple[str, ...]) -> int:
    """How many progress steps :func:`export` reports (for a progress bar's total)."""
    return len(registry.chosen(sections)) + len(formats)


def export(
    store: Store,
    formats: tuple[str, ...],
    out: Path | str,
    lang: Lang | None = None,
    sections: list[str] | None = None,
    date: str | None = None,
    on_step: Callable[[str], None] | None = None,
) -> list[Written]:
    """Build the report once and write each format; ``on_step`` hears each step start.

    The HTML page is rendered once too: the PDF is printed from the same page (with the
    print fonts added). Each format's modules are imported only when it is asked for.
    """
    paths = targets(out, formats)
    if "pdf" in formats:
        from separ.report.pdf import find_chromium

        find_chromium()  # say what to install before minutes of work, not after
    report = assemble(store, lang, sections, date, on_section=on_step)
    nb = to_notebook(report)

    @cache
    def page() -> str:
        """The HTML page, rendered when the first format needs it (and timed with it)."""
        from separ.report.exporter import ReportExporter

        return ReportExporter().html(nb)

    written = []
    for fmt, path in paths.items():
        if on_step:
            on_step(fmt)
        start = time.perf_counter()
        path.parent.mkdir(parents=True, exist_ok=True)
        pages: int | None = None
        if fmt == "html":
            path.write_text(page(), encoding="utf-8")
        elif fmt == "pdf":
            from separ.report.pdf import print_page, shown_text

            data = print_page(page(), shown_text(nb))
            path.write_bytes(data)
            pages = pdf_pages(data)
        else:
            from separ.report.xlsx import write_xlsx

            pages = write_xlsx(report, path)
        written.append(Written(fmt, path, path.stat().st_size, time.perf_counter() - start, pages))
    return written
