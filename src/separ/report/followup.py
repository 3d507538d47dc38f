"""The follow-up chapters (progress, indicators, Delphi) as report sections.

The follow-up stage builds its parts as plain titles, paragraphs, tables and
figures (:mod:`separ.report.followup_parts`); this turns each into the report's blocks, so
they are numbered, escaped and printed like every other chapter.
"""

from __future__ import annotations

from separ.i18n import Lang
from separ.report.blocks import Figure, Paragraph, Section, Table
from separ.report.followup_parts import Part, delphi_part, indicators_part, progress_part
from separ.store import Store


def _section(part: Part | None) -> Section | None:
    return None if part is None else part_section(part)


def part_section(part: Part) -> Section:
    """A follow-up part as a report section (its tables and figures numbered later)."""
    blocks: list[Paragraph | Table | Figure] = [Paragraph(text) for text in part.paragraphs]
    blocks += [
        Table(frame, caption=caption, key=f"{part.key}-table-{i}")
        for i, (caption, frame) in enumerate(part.tables, start=1)
    ]
    blocks += [
        Figure(fig, caption=caption, key=f"{part.key}-figure-{i}", width=0.9)
        for i, (caption, fig) in enumerate(part.figures, start=1)
    ]
    return Section(title=part.title, blocks=list(blocks))


def progress_section(store: Store, lang: Lang) -> Section | None:
    """추진 현황: where the plan stands at the yearly review date (example records left out)."""
    return _section(progress_part(store, lang, examples=False))


def indicators_section(store: Store, lang: Lang) -> Section | None:
    """성과지표: indicators with their latest values against targets (example values left
    out)."""
    return _section(indicators_part(store, lang, examples=False))


def delphi_section(store: Store, lang: Lang) -> Section | None:
    """델파이 조사: ratings per round, convergence and the keep/drop decision."""
    return _section(delphi_part(store, lang))
