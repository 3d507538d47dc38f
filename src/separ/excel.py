"""The whole workshop as an Excel workbook: one sheet per table, headers in the workshop's language.

Facilitators and city officials live in Excel, so the workbook is a first-class
interchange format: ``separ export --format xlsx`` writes it, ``separ import`` reads it
back, and JSON -> store -> XLSX -> store -> JSON loses nothing. Codes are written as
labels ("사회적기업"), lists one item per line, and both languages' headers are
accepted on import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
import zipfile
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from separ import schema
from separ.errors import Place, SeparError, Term, at, in_column, in_row
from separ.i18n import Lang
from separ.model import Workshop
from separ.records import Choice, Record
from separ.store import Store
from separ.tablefile import check_formulas, yes_no
from separ.validation import build, check_set

META_SHEET = "_separ"


def _kind(rtype: type[Record], field: str) -> str:
    plain, _ = schema.plain_type(rtype.model_fields[field].annotation)
    origin = typing.get_origin(plain) or plain
    if origin is list:
        return "list"
    if origin is dict or plain is Any:
        return "json"
    if plain is dt.date:
        return "date"
    return "plain"


BREAKS = re.compile("[\x0b\x0c]")
ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f]")
"""Characters an .xlsx cell cannot hold (openpyxl raises IllegalCharacterError)."""


def cell_text(value: str) -> str:
    """``value`` as an Excel cell can hold it: a Word soft line break (``\\x0b``) or a form
    feed becomes a line break, other control characters are dropped; a note pasted from
    Word must never stop the export of a whole workshop."""
    return ILLEGAL.sub("", BREAKS.sub("\n", value))


def _cell(rtype: type[Record], field: str, value: Any, lang: Lang) -> Any:
    out = _raw_cell(rtype, field, value, lang)
    return cell_text(out) if isinstance(out, str) else out


def _raw_cell(rtype: type[Record], field: str, value: Any, lang: Lang) -> Any:
    if value is None:
        return None
    if isinstance(value, Choice):
        return value.label(lang)
    if isinstance(value, Enum):
        return value.value
    kind = _kind(rtype, field)
    if kind == "list":
        return "\n".join(str(v) for v in value) if value else None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return value


def write_xlsx(store: Store, path: Path) -> None:
    """Write every table of ``store`` to ``path``, labelled in the workshop's language."""
    lang = store.workshop().lang
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    with store.reading() as tx:
        for rtype in schema.exported_types():
            sheet = book.create_sheet(rtype.sheet[lang])
            fields = list(rtype.model_fields)
            sheet.append([rtype.labels[f][lang] for f in fields])
            for record in tx.find(rtype):
                sheet.append([_cell(rtype, f, getattr(record, f), lang) for f in fields])
                _as_text(sheet[sheet.max_row])
            _style(sheet)
    meta = book.create_sheet(META_SHEET)
    meta.append(["schema", "separ-workshop"])
    meta.append(["version", schema.SCHEMA_VERSION])
    meta.append(["language", lang])
    meta.sheet_state = "hidden"
    book.save(path)


def _as_text(row: tuple[Any, ...]) -> None:
    """Keep participant text that starts with "=" a string, never a formula Excel runs."""
    for cell in row:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _style(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        width = max((len(str(c.value or "").split("\n")[0]) for c in column), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width * 1.6), 60)
        for c in column[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_table(name: str) -> type[Record] | None:
    for rtype in schema.exported_types():
        if name in rtype.sheet.values() or name == rtype.table:
            return rtype
    return None


def _field_of(rtype: type[Record], header: str) -> str | None:
    for field, names in rtype.labels.items():
        if header == field or header in names.values():
            return field
    return None


def _value(rtype: type[Record], field: str, value: Any) -> Any:
    kind = _kind(rtype, field)
    if (
        kind == "plain"
        and isinstance(value, str)
        and schema.plain_type(rtype.model_fields[field].annotation)[0] is bool
    ):
        found = yes_no(value)  # 예/아니요/아니오/Y/N as typed in Excel
        return value if found is None else found
    if kind == "list":
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    if kind == "json" and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


def _rows(book: Any, where: str) -> Iterator[tuple[Record, Place]]:
    tables: dict[str, Worksheet] = {}
    for sheet in book.worksheets:
        if sheet.title == META_SHEET:
            continue
        rtype = _sheet_table(sheet.title)
        if rtype is None:
            raise SeparError("unknown_table", where=where, name=sheet.title)
        tables[rtype.table] = sheet
    if Workshop.table not in tables:
        raise SeparError("missing_field", where=at(where, Term(**Workshop.sheet), sep=": "))
    for rtype in schema.exported_types():
        sheet = tables.get(rtype.table)
        if sheet is None:
            continue
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        fields: list[str | None] = []
        for col, name in enumerate(header, start=1):
            if name is None:
                fields.append(None)
                continue
            field = _field_of(rtype, str(name).strip())
            if field is None:
                cell = at(f"'{sheet.title}'", in_column(get_column_letter(col)), sep=" ")
                raise SeparError("unknown_column", where=at(where, cell, sep=": "), name=name)
            fields.append(field)
        count = 0
        for number, values in enumerate(rows, start=2):
            data = {
                f: _value(rtype, f, v)
                for f, v in zip(fields, values, strict=False)
                if f is not None and v is not None and v != ""
            }
            if not data:
                continue
            count += 1
            place = at(where, at(f"'{sheet.title}'", in_row(number), sep=" "), sep=": ")
            yield build(rtype, data, place), place
        if rtype is Workshop and count != 1:
            raise SeparError("single_workshop_row", where=f"{where}: '{sheet.title}'")


def read_xlsx(path: Path) -> list[Record]:
    """Read and validate a workbook written by :func:`write_xlsx` (or edited by hand)."""
    from separ.ballots import check_stored

    if not path.exists():
        raise SeparError("file_not_found", path=str(path))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SeparError("bad_xlsx", where=str(path), detail=type(exc).__name__) from None
    try:
        check_formulas(path)
        pairs = list(_rows(book, str(path)))
    finally:
        book.close()
    check_set(pairs)
    check_stored(pairs)
    return [record for record, _ in pairs]
