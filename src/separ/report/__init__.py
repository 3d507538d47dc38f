"""The workshop report: sections from every stage, numbered, as HTML, PDF and Excel.

A researcher's way in::

    from separ.report import tables
    tables(store)["표 3-1"]          # any table of the report as a DataFrame

Stages add sections through :mod:`separ.report.registry`; :func:`export` writes the
files; the report is an nbformat notebook rendered with nbconvert and separ's template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from separ.i18n import Lang
from separ.report import _nbformat  # noqa: F401  # first: nbformat without the IRI grammar
from separ.report.assembly import Report, assemble
from separ.report.assembly import frames as _frames
from separ.report.blocks import Block, Figure, Heading, PageBreak, Paragraph, Section, Table
from separ.report.export import FORMATS, Written, export
from separ.report.registry import ORDER, available, register_section

if TYPE_CHECKING:
    import pandas as pd

    from separ.store import Store


def tables(
    store: Store, lang: Lang | None = None, sections: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Every table of the report as a DataFrame, keyed as printed ("표 3-1", "Table 3.1").

    Each frame's ``attrs`` holds ``key`` (a stable name such as ``"sessions"``),
    ``number`` ("〈표 3-1〉") and ``caption``.
    """
    return _frames(assemble(store, lang, sections))


__all__ = [
    "FORMATS",
    "ORDER",
    "Block",
    "Figure",
    "Heading",
    "PageBreak",
    "Paragraph",
    "Report",
    "Section",
    "Table",
    "Written",
    "assemble",
    "available",
    "export",
    "register_section",
    "tables",
]
