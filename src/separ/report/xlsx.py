"""The Excel annex: every table of the report, one sheet each, headed as printed.

A contents sheet lists the tables by number; each sheet carries its number and caption
on top, then the headers and rows. Workshop text stays text: a cell starting with "="
is written as a string, never as a formula.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from separ.i18n import Lang
from separ.report.assembly import Report
from separ.report.blocks import Table
from separ.report.html import merged_spans
from separ.report.labels import label
from separ.report.numbers import (
    decimals_of,
    excel_format,
    fixed,
    grouped_column,
    half_up,
    is_number,
    numeric_column,
)

SHEET_MAX = 31
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEAD_FILL = PatternFill("solid", fgColor="E9EEF3")
WRAP = Alignment(wrap_text=True, vertical="top")


def _width(text: str) -> int:
    """Display width of a line: Hangul and other wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalars
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, int | float) or hasattr(value, "isoformat"):
        return value
    return str(value)


def _put(sheet: Worksheet, row: int, col: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=col, value=_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # "=..." typed by a participant is text, not a formula


def sheet_name(key: str, caption: str, taken: set[str]) -> str:
    """ "표 3-1 회차별 진행현황" cut to Excel's 31 characters, unique in the workbook."""
    base = BAD_SHEET_CHARS.sub(" ", f"{key} {caption}").strip()[:SHEET_MAX].strip()
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_MAX - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(name.lower())
    return name


def write_xlsx(report: Report, path: Path) -> int:
    """Write the annex workbook; returns its number of sheets (the contents sheet too)."""
    lang = report.lang
    book = Workbook()
    contents = book.active
    assert contents is not None
    contents.title = label("contents_sheet", lang)
    taken = {contents.title.lower()}
    headers = [
        label(k, lang) for k in ("sheet_header_number", "sheet_header_title", "sheet_header_sheet")
    ]
    for col, header in enumerate(headers, start=1):
        _put(contents, 1, col, header)
        contents.cell(row=1, column=col).font = Font(bold=True)
        contents.cell(row=1, column=col).fill = HEAD_FILL
    _put(contents, 2, 1, report.cover.title)
    items = report.tables()
    for row, item in enumerate(items, start=3):
        table = item.block
        assert isinstance(table, Table)
        name = sheet_name(item.key, table.caption, taken)
        _put(contents, row, 1, item.label)
        _put(contents, row, 2, table.caption)
        _put(contents, row, 3, name)
        _write_table(book.create_sheet(name), f"{item.label} {table.caption}", table, lang)
    for col, width in enumerate((14, 50, 34), start=1):
        contents.column_dimensions[get_column_letter(col)].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return len(book.sheetnames)


def _write_table(sheet: Worksheet, title: str, table: Table, lang: Lang) -> None:
    _put(sheet, 1, 1, title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    frame = table.frame
    widths = [_width(str(c)) for c in frame.columns]
    for col, header in enumerate(frame.columns, start=1):
        _put(sheet, 3, col, str(header))
        cell = sheet.cell(row=3, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    columns = [frame.iloc[:, i].tolist() for i in range(frame.shape[1])]
    numeric = [numeric_column(v) for v in columns]
    decimals = [decimals_of(v) if n else 0 for n, v in zip(numeric, columns, strict=True)]
    formats = [
        excel_format(d, grouped_column(v)) if n else None
        for n, d, v in zip(numeric, decimals, columns, strict=True)
    ]
    for r, values in enumerate(frame.itertuples(index=False), start=4):
        for c, value in enumerate(values, start=1):
            form = formats[c - 1]
            number = form is not None and is_number(value)
            if number:  # the value as printed: rounded half up to the column's decimals
                value = float(half_up(float(value), decimals[c - 1]))
                value = int(value) if not decimals[c - 1] else value
            _put(sheet, r, c, value)
            cell = sheet.cell(row=r, column=c)
            cell.alignment = WRAP
            if form is not None and number:
                cell.number_format = form
            shown = fixed(value, decimals[c - 1], True) if number else value
            lines = str(shown).split("\n") if shown is not None else [""]
            widths[c - 1] = max(widths[c - 1], *(_width(line) for line in lines))
    for (r, c), span in merged_spans(frame, table.merge).items():
        if span > 1:
            sheet.merge_cells(
                start_row=4 + r, start_column=c + 1, end_row=3 + r + span, end_column=c + 1
            )
    below = [
        text
        for text in (table.note, table.source and label("source", lang, source=table.source))
        if text
    ]
    for i, text in enumerate(below):
        _put(sheet, len(frame) + 5 + i, 1, text)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 6), 60)
    sheet.freeze_panes = "A4"
