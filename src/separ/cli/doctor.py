"""``separ doctor``: is this machine ready for a workshop? One line per part, and the fix.

A facilitator installs separ days before the workshop, often on a Windows laptop, and
finds out in the room what is missing: phones waiting on a CDN, no PDF, boxes instead of
Hangul. ``doctor`` checks all of it at once, while there is still internet and time:
separ's own files, the participant pages' bundles (``--fetch`` gets the missing ones),
a browser for the PDF, Korean fonts, the PostgreSQL driver, and the versions of what
separ runs on. Exit code 1 when something ``separ serve`` needs is missing.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
import sys
from dataclasses import dataclass
from typing import Annotated, Literal

import typer

from separ.cli import app
from separ.errors import SeparError

Status = Literal["ok", "warn", "missing"]
MARK: dict[Status, str] = {"ok": "ok  ", "warn": "warn", "missing": "FAIL"}
VERSIONS = (
    "separ",
    "solara",
    "voila",
    "ipywidgets",
    "nbconvert",
    "matplotlib",
    "sqlalchemy",
    "pandas",
)


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


def package_data() -> list[Check]:
    from separ.resources import data_dir

    checks = []
    for name in ("workbooks", "facilitator_guides", "sample_data"):
        try:
            checks.append(Check(name, "ok", str(data_dir(name))))
        except SeparError as exc:
            checks.append(
                Check(name, "missing", exc.message("en"), "pip install --force-reinstall separ")
            )
    return checks


def page_bundles(fetch: bool) -> Check:
    from separ.live import assets

    still = assets.ensure_local(quiet=True) if fetch else assets.missing()
    if still:
        return Check(
            "page bundles",
            "missing",
            f"not local: {', '.join(still)} (phones would need internet)",
            "separ doctor --fetch",
        )
    return Check("page bundles", "ok", f"local ({assets.cache_dir()})")


def pdf_browser() -> Check:
    from separ.report.pdf import find_chromium

    try:
        return Check("browser for PDF", "ok", find_chromium())
    except SeparError as exc:
        return Check(
            "browser for PDF",
            "warn",
            exc.message("en"),
            "install Chromium, Chrome or Edge, or set SEPAR_CHROMIUM",
        )


def korean_fonts() -> list[Check]:
    from separ.figures.style import korean_font
    from separ.report.fonts import installed_face

    fix = "Debian/Ubuntu: sudo apt install fonts-noto-cjk"
    figure = korean_font()
    checks = [
        Check(
            "Korean font, figures",
            "ok" if figure else "warn",
            figure or "none: Hangul would show as boxes",
            "" if figure else fix,
        )
    ]
    for family in ("Noto Sans CJK KR", "Noto Serif CJK KR"):
        found = installed_face(family, bold=False)
        checks.append(
            Check(
                f"Korean font, PDF ({family} or the system's)",
                "ok" if found else "warn",
                found[0] if found else "none: the PDF uses the browser's font",
                "" if found else fix,
            )
        )
    return checks


def postgres_driver() -> Check:
    if importlib.util.find_spec("psycopg") is None:
        return Check(
            "PostgreSQL driver",
            "warn",
            "psycopg not installed (SQLite works)",
            "pip install 'separ[postgres]'",
        )
    return Check("PostgreSQL driver", "ok", f"psycopg {importlib.metadata.version('psycopg')}")


def versions() -> Check:
    found = []
    for name in VERSIONS:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} ?")
    return Check(
        "versions",
        "ok",
        f"Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}; " + ", ".join(found),
    )


def checks(fetch: bool = False) -> list[Check]:
    """Every check, in the order a facilitator should fix them."""
    return [
        *package_data(),
        page_bundles(fetch),
        pdf_browser(),
        *korean_fonts(),
        postgres_driver(),
        versions(),
    ]


@app.command()
def doctor(
    fetch: Annotated[
        bool, typer.Option("--fetch", help="Fetch the missing page bundles (needs internet, once).")
    ] = False,
) -> None:
    """Check this machine: separ's files, offline pages, PDF browser, Korean fonts, versions."""
    found = checks(fetch)
    for check in found:
        typer.echo(f"[{MARK[check.status]}] {check.name}: {check.detail}")
        if check.fix:
            typer.echo(f"       -> {check.fix}")
    if any(check.status == "missing" for check in found):
        sys.exit(1)
