"""A report as data: the chosen sections, numbered, with a cover -- before any format.

Numbering happens here once, so the HTML, the PDF, the Excel annex and the
researcher's DataFrames all call 〈표 3-1〉 the same table.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from separ.i18n import Lang
from separ.model import Session
from separ.report import registry
from separ.report.blocks import Block, Figure, Section, Table
from separ.report.labels import label, month
from separ.report.print_size import fit

if TYPE_CHECKING:
    import pandas as pd

    from separ.store import Store


@dataclass(frozen=True)
class Numbered:
    """A table or figure with the number the report gives it."""

    block: Table | Figure
    number: str
    """"3-1" (ko) / "3.1" (en); annex items are numbered "1", "2" … with their own label."""
    label: str
    """As printed before the caption: "〈표 3-1〉", "[그림 3-1]", "Table 3.1"."""
    key: str
    """As researchers look it up: "표 3-1", "부표 2", "Table 3.1"."""
    anchor: str


@dataclass(frozen=True)
class Chapter:
    name: str
    """The registry slot ("sessions")."""
    heading: str
    """As printed: "3. 회차별 진행현황", or the bare title for an annex."""
    anchor: str
    items: list[Block | Numbered]


@dataclass(frozen=True)
class Cover:
    title: str
    kind: str
    region: str
    network: str | None
    date: str | None
    organisers: list[str]
    facilitators: list[str]


@dataclass(frozen=True)
class Report:
    lang: Lang
    cover: Cover
    chapters: list[Chapter] = field(default_factory=list)

    def numbered(self) -> list[Numbered]:
        return [item for ch in self.chapters for item in ch.items if isinstance(item, Numbered)]

    def tables(self) -> list[Numbered]:
        return [n for n in self.numbered() if isinstance(n.block, Table)]

    def figures(self) -> list[Numbered]:
        return [n for n in self.numbered() if isinstance(n.block, Figure)]


def default_date(store: Store, lang: Lang) -> str | None:
    """The cover date when none is given: the month of the last session (no clock involved)."""
    dates = [s.date for s in store.list(Session) if s.date]
    return month(max(dates), lang) if dates else None


def assemble(
    store: Store,
    lang: Lang | None = None,
    sections: list[str] | None = None,
    date: str | None = None,
    on_section: Callable[[str], None] | None = None,
    built: MutableMapping[str, Section | None] | None = None,
) -> Report:
    """Build the chosen sections (all available ones by default) and number them.

    ``date`` is printed on the cover as given; without it the month of the last session
    is used, so the same workshop always gives the same report. ``built`` keeps sections
    between calls in the same language: a section found there is used as it is (its
    figures too), one missing is built and put there -- a view drops the ones whose
    records changed.
    """
    names = registry.chosen(sections)
    ws = store.workshop()
    lang = lang or ws.lang
    cover = Cover(
        title=ws.title,
        kind=label("kind", lang),
        region=ws.region,
        network=ws.network,
        date=date if date is not None else default_date(store, lang),
        organisers=list(ws.organisers),
        facilitators=list(ws.facilitators),
    )
    made: list[tuple[str, Section]] = []
    for name in names:
        if on_section:
            on_section(name)
        if built is not None and name in built:
            section = built[name]
        else:
            section = registry.builder(name)(store, lang)
            if built is not None:
                built[name] = section
        if section is not None:
            made.append((name, section))
    return number_sections(Report(lang, cover), made)


def number_sections(report: Report, sections: list[tuple[str, Section]]) -> Report:
    """Number ``sections`` (slot name, section) into ``report``'s chapters, tables and
    figures, fitting each figure's type for print and giving each item its source line."""
    lang = report.lang
    chapter_no = 0
    annex_tables = annex_figures = 0
    seen: set[str] = set()
    for name, section in sections:
        if section.appendix or not section.numbered:
            heading, number = section.title, None
        else:
            chapter_no += 1
            number = str(chapter_no)
            heading = label("chapter", lang, number=number, title=section.title)
        items: list[Block | Numbered] = []
        tables = figures = 0
        for block in section.blocks:
            if not isinstance(block, Table | Figure):
                items.append(block)
                continue
            if block.key in seen:
                raise ValueError(f"two report items share the key {block.key!r}")
            seen.add(block.key)
            is_table = isinstance(block, Table)
            if isinstance(block, Figure):
                fit(block.figure, block.width)  # ≥ 7 pt on paper
            if number is not None and block.source is None:  # every chapter item says whence
                block = replace(block, source=label("source_default", lang))
            if number is None:
                if is_table:
                    annex_tables += 1
                    n = str(annex_tables)
                else:
                    annex_figures += 1
                    n = str(annex_figures)
                prefix = "annex_"
            else:
                if is_table:
                    tables += 1
                    m = tables
                else:
                    figures += 1
                    m = figures
                n = f"{number}{label('number_sep', lang)}{m}"
                prefix = ""
            kind = "table" if is_table else "figure"
            items.append(
                Numbered(
                    block=block,
                    number=n,
                    label=label(f"{prefix}{kind}_label", lang, number=n),
                    key=label(f"{prefix}table_key", lang, number=n)
                    if is_table
                    else label(f"{prefix}{kind}_label", lang, number=n),
                    anchor=f"{'a' if number is None else ''}{'tbl' if is_table else 'fig'}-"
                    f"{n.replace('.', '-')}",
                )
            )
        report.chapters.append(Chapter(name, heading, f"sec-{name}", items))
    return report


def frames(report: Report) -> dict[str, pd.DataFrame]:
    """Every table of ``report`` as a DataFrame keyed as printed ("표 3-1"), with attrs."""
    out: dict[str, pd.DataFrame] = {}
    for item in report.tables():
        assert isinstance(item.block, Table)
        df = item.block.frame.copy()
        df.attrs = {"key": item.block.key, "number": item.label, "caption": item.block.caption}
        out[item.key] = df
    return out
