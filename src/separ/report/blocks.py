"""What a report section is made of: a few typed blocks, rendered the same way everywhere.

A stage contributes a section as plain data (headings, paragraphs, DataFrames,
matplotlib Figures), never as HTML: escaping, numbering, captions, print layout and
the Excel annex are then done once, by the report, for every stage alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure as MplFigure


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (the section title itself is level 1)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Plain text; a blank line starts a new paragraph. Never HTML: it is escaped."""

    text: str


@dataclass(frozen=True)
class Table:
    """A numbered table: the DataFrame's columns are the headers, its rows the body.

    ``key`` names the table for researchers (``tables(store)[...]`` carries it in
    ``attrs["key"]``) and must be unique within a report. Cells are shown as text; a
    cell holding several lines (an agenda) is written with ``\\n`` between them.
    ``widths`` gives relative column widths for print; ``note`` is the line under the
    table (source, remarks).
    """

    frame: pd.DataFrame
    caption: str
    key: str
    note: str | None = None
    widths: tuple[float, ...] | None = None
    compact: bool = False
    """Smaller type, for wide data tables (the annex)."""
    source: str | None = None
    """Printed under the table as "출처: …"; chapters' tables without one get the report's
    default (the workshop's own records)."""
    merge: int = 0
    """How many leading columns print a run of equal values as one merged cell (a strategy
    spanning its tasks), as the seed's strategy and role tables do."""


@dataclass(frozen=True)
class Figure:
    """A numbered figure from a matplotlib Figure (built with :mod:`separ.figures.style`)."""

    figure: MplFigure
    caption: str
    key: str
    width: float = 1.0
    """Fraction of the text width the figure takes."""
    source: str | None = None
    """Printed under the caption as "출처: …" (default: the workshop's own records)."""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page in print (ignored on screen)."""


Block = Heading | Paragraph | Table | Figure | PageBreak


@dataclass
class Section:
    """One chapter of the report, as a stage's section builder returns it."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    appendix: bool = False
    """An annex: not numbered as a chapter; its tables are 〈부표 n〉 / Table A.n."""
    numbered: bool = True
    """False for the prose around the chapters (제출문, 요약, 참고문헌): a title, no number."""
