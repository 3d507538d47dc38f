"""One reader for every table file a facilitator has: CSV/TSV in any encoding Excel writes; xlsx.

Korean Excel saves "CSV" as CP949, "CSV UTF-8" with a BOM, and "Unicode text" as
tab-separated UTF-16; LibreOffice and scripts write UTF-8 without a BOM. Every importer
(ballots, Delphi answers, ties, assets) reads through :func:`read_table`, so each of
these files works the same everywhere, and a bad one gives one line naming the file,
row and column instead of a traceback.

Text is cleaned on the way in: a Word soft line break (``\\x0b``), a form feed or a
Unicode line separator becomes a line break; any other control character is refused,
because it means the file is damaged or not what the user thinks it is.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from separ.errors import SeparError, Where, at, in_row, word
from separ.i18n import add_messages

add_messages(
    {
        "table_encoding": {
            "ko": "글자 인코딩을 알 수 없습니다: UTF-8, CP949(EUC-KR) 또는 UTF-16으로 저장해 주세요",
            "en": "unknown text encoding: save the file as UTF-8, CP949 (EUC-KR) or UTF-16",
        },
        "table_format": {
            "ko": "읽을 수 없는 파일 형식입니다: {suffix} (.csv, .tsv, .txt 또는 .xlsx)",
            "en": "unsupported file type: {suffix} (use .csv, .tsv, .txt or .xlsx)",
        },
        "table_xls": {
            "ko": "예전 엑셀 형식(.xls)은 읽을 수 없습니다: 엑셀에서 .xlsx로 저장해 주세요",
            "en": "the old Excel format (.xls) is not supported: save it as .xlsx in Excel",
        },
        "table_control": {
            "ko": "제어 문자 {code}가 들어 있습니다: 파일이 손상되었을 수 있습니다",
            "en": "contains the control character {code}: the file may be damaged",
        },
        "table_formula": {
            "ko": "수식 {formula}의 계산된 값이 저장되어 있지 않습니다: 엑셀에서 파일을 열어 "
            "저장한 뒤 다시 가져와 주세요",
            "en": "the formula {formula} has no saved value: open the file in Excel, save it "
            "and import it again",
        },
        "table_bad_csv": {
            "ko": "CSV 형식이 잘못되었습니다 ({detail})",
            "en": "malformed CSV ({detail})",
        },
        "empty_import": {"ko": "가져올 행이 없습니다", "en": "there are no rows to import"},
        "no_suffix": {"ko": "(확장자 없음)", "en": "(none)"},
    }
)

NO_SUFFIX = word("no_suffix")
"""A file name without an extension, as the format messages show it."""

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")

LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
"""What Word, Excel and old Macs use for a line break inside a cell: all become ``\\n``."""

CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""Control characters that are never text (tab and the line breaks above are)."""


@dataclass(frozen=True)
class Table:
    """A table file's rows, each with the row number the user sees in Excel (header = 1)."""

    path: Path
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, object]], ...]
    """(row number, {header: value}) of the non-empty rows; empty cells are left out.
    Values from text files are stripped strings; from xlsx they keep Excel's type."""
    encoding: str
    """``utf-8``, ``utf-8-sig``, ``cp949``, ``utf-16`` or ``xlsx``: what was detected."""


def clean_text(value: str, where: Where) -> str:
    """``value`` with every kind of line break as ``\\n``; other control characters refused."""
    value = LINE_BREAKS.sub("\n", value)
    bad = CONTROL.search(value)
    if bad:
        raise SeparError("table_control", where=where, code=f"U+{ord(bad.group()):04X}")
    return value


def decode(data: bytes, where: Where) -> tuple[str, str]:
    """(text, encoding) of a text file: a BOM decides; else UTF-16 without BOM (zero bytes),
    strict UTF-8, then CP949 (a superset of EUC-KR, what Korean Windows writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data[:400]:  # separators and digits of UTF-16 text have a zero byte
        odd, even = data[1:400:2].count(0), data[0:400:2].count(0)
        candidates = ["utf-16-le" if odd >= even else "utf-16-be", "utf-8", "cp949"]
    else:
        candidates = ["utf-8", "cp949"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding.startswith("utf-16-") and ("\x00" in text or "\n" not in text):
            continue  # a zero byte in an 8-bit file, not UTF-16 text
        return text, encoding.removesuffix("-le").removesuffix("-be")
    raise SeparError("table_encoding", where=where)


def _delimiter(text: str, suffix: str, encoding: str) -> str:
    """Tab for .tsv and Excel's "Unicode text" (UTF-16); else whichever the header uses more."""
    first = text.split("\n", 1)[0]
    if suffix == ".tsv" or encoding == "utf-16":
        return "\t" if "\t" in first or suffix == ".tsv" else ","
    return "\t" if first.count("\t") > first.count(",") else ","


def _text_table(path: Path) -> tuple[list[list[object]], str]:
    text, encoding = decode(path.read_bytes(), str(path))
    delimiter = _delimiter(text, path.suffix.lower(), encoding)
    try:
        table: list[list[object]] = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        ]
    except csv.Error as exc:
        raise SeparError("table_bad_csv", where=str(path), detail=str(exc)) from None
    return table, encoding


def _open_xlsx(path: Path, data_only: bool) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        AttributeError,
    ) as exc:
        raise SeparError("bad_xlsx", where=str(path), detail=type(exc).__name__) from None


def check_formulas(path: Path, sheets: Sequence[str] | None = None) -> None:
    """Refuse a formula Excel never computed (openpyxl and scripts save formulas without
    values): read as data it would be an empty cell, silently dropped."""
    from openpyxl.utils import get_column_letter

    book = _open_xlsx(path, data_only=False)
    values = _open_xlsx(path, data_only=True)
    try:
        for sheet in book.worksheets:
            if sheets is not None and sheet.title not in sheets:
                continue
            data = [list(row) for row in values[sheet.title].iter_rows(values_only=True)]
            for r, row in enumerate(sheet.iter_rows(values_only=True)):
                for c, raw in enumerate(row):
                    if (
                        isinstance(raw, str)
                        and raw.startswith("=")
                        and r < len(data)
                        and (c >= len(data[r]) or data[r][c] is None)
                    ):
                        where = f"{path.name}, '{sheet.title}' {get_column_letter(c + 1)}{r + 1}"
                        raise SeparError("table_formula", where=where, formula=raw)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise SeparError("bad_xlsx", where=str(path), detail=type(exc).__name__) from None
    finally:
        book.close()
        values.close()


def _xlsx_table(path: Path) -> list[list[object]]:
    """The first sheet's values (an uncomputed formula is refused, :func:`check_formulas`)."""
    book = _open_xlsx(path, data_only=True)
    try:
        first = book.worksheets[0]
        table: list[list[object]] = [list(row) for row in first.iter_rows(values_only=True)]
        title = first.title
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError) as exc:
        raise SeparError("bad_xlsx", where=str(path), detail=type(exc).__name__) from None
    finally:
        book.close()
    check_formulas(path, [title])
    return table


def read_table(path: Path, *, allow_empty: bool = False) -> Table:
    """Read a .csv/.tsv/.txt (any encoding above) or the first sheet of an .xlsx file.

    Raises a :class:`SeparError` for a missing file, an unknown type or encoding, a
    damaged workbook, a control character or an uncomputed formula (naming the cell),
    and, unless ``allow_empty``, for a file with no rows under its header.
    """
    if not path.is_file():
        raise SeparError("file_not_found", path=str(path))
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        table, encoding = _text_table(path)
    elif suffix == ".xlsx":
        table, encoding = _xlsx_table(path), "xlsx"
    elif suffix == ".xls":
        raise SeparError("table_xls", where=str(path))
    else:
        raise SeparError("table_format", where=str(path), suffix=suffix or NO_SUFFIX)
    header = tuple(_header(table[0], path)) if table else ()
    rows = []
    for number, values in enumerate(table[1:], start=2):
        row: dict[str, object] = {}
        for name, value in zip(header, values, strict=False):
            if isinstance(value, str):
                value = clean_text(value, at(path.name, in_row(number), name)).strip()
            if name and value is not None and value != "":
                row[name] = value
        if row:
            rows.append((number, row))
    if not rows and not allow_empty:
        raise SeparError("empty_import", where=str(path))
    return Table(path, header, tuple(rows), encoding)


def _header(values: list[object], path: Path) -> list[str]:
    where = at(path.name, in_row(1))
    return [clean_text(str(v), where).strip() if v is not None else "" for v in values]


def text_of(value: object) -> str:
    """A cell as the text a user typed: 3.0 from Excel is "3", None is ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


YES = frozenset({"예", "네", "o", "○", "있음", "가능", "적합", "y", "yes", "true", "1"})
NO = frozenset({"아니오", "아니요", "x", "×", "없음", "불가", "부적합", "n", "no", "false", "0"})
"""How Korean and English sheets write yes/no (예/아니요/아니오, O/X, Y/N …)."""


def yes_no(value: object) -> bool | None:
    """True/False for a yes/no word (any case) or a bool/0/1; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower() if isinstance(value, str) else ""
    if word in YES:
        return True
    if word in NO:
        return False
    return None
