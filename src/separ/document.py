"""The whole workshop as one JSON document (``"schema": "separ-workshop"``).

The document is the interchange format: what ``separ export --format json`` writes,
what ``separ import`` reads, and what the sample workshops are. One key per table
(``workshop`` is an object, every other table a list of rows), codes rather than
labels, ISO dates. See ``docs/workshop-format.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from separ import schema
from separ.errors import VERSION, Place, SeparError, Term, Word, at, word
from separ.i18n import add_messages
from separ.model import Workshop
from separ.records import Record
from separ.store import Store
from separ.validation import build, check_set

DOC_SCHEMA = "separ-workshop"

add_messages(
    {
        "json_not_list": {
            "ko": "행의 목록([...])이어야 합니다",
            "en": "must be a list of rows ([...])",
        },
        "json_not_object": {
            "ko": "항목과 값의 묶음({{...}})이어야 합니다",
            "en": "must be an object ({{...}})",
        },
        "json_not_utf8": {
            "ko": "UTF-8 글자가 아닌 바이트가 있습니다 ({at}번째 바이트): UTF-8로 저장해 주세요",
            "en": "not UTF-8 text (byte {at}): save the file as UTF-8",
        },
    }
)

JSON_PROBLEMS: dict[str, str] = {
    "Expecting value": "json_expecting_value",
    "Expecting property name": "json_expecting_name",
    "Expecting ':'": "json_expecting_colon",
    "Expecting ','": "json_expecting_comma",
    "Unterminated string": "json_unterminated",
    "Invalid control character": "json_control",
    "Invalid \\escape": "json_escape",
    "Invalid \\uXXXX": "json_escape",
    "Extra data": "json_extra_data",
    "Illegal trailing comma": "json_trailing_comma",
}
"""Python's JSON parser speaks English: the start of each of its usual complaints, and
the key of the message that says it in the user's language."""

add_messages(
    {
        "json_expecting_value": {"ko": "값이 와야 할 자리입니다", "en": "a value is expected"},
        "json_expecting_name": {
            "ko": '큰따옴표로 감싼 항목 이름("이름")이 와야 합니다',
            "en": 'a name in double quotes ("name") is expected',
        },
        "json_expecting_colon": {"ko": "':'이(가) 빠졌습니다", "en": "a ':' is missing"},
        "json_expecting_comma": {"ko": "','이(가) 빠졌습니다", "en": "a ',' is missing"},
        "json_unterminated": {
            "ko": "따옴표가 닫히지 않았습니다",
            "en": "a string is not closed",
        },
        "json_control": {
            "ko": "따옴표 안에 줄바꿈이나 제어 문자가 있습니다",
            "en": "a line break or control character inside a string",
        },
        "json_escape": {
            "ko": "역슬래시(\\) 뒤의 글자가 잘못되었습니다",
            "en": "a bad escape after a backslash (\\)",
        },
        "json_extra_data": {
            "ko": "JSON이 끝난 뒤에 글자가 더 있습니다",
            "en": "more text after the end of the JSON",
        },
        "json_trailing_comma": {
            "ko": "닫는 괄호 앞에 쉼표가 남았습니다",
            "en": "a comma before a closing bracket",
        },
        "json_syntax": {"ko": "문법 오류", "en": "syntax error"},
    }
)


def _problem(msg: str) -> Word:
    return word(next((k for p, k in JSON_PROBLEMS.items() if msg.startswith(p)), "json_syntax"))


def to_document(store: Store) -> dict[str, Any]:
    """Everything in ``store`` as a JSON-ready document."""
    doc: dict[str, Any] = {"schema": DOC_SCHEMA, "version": schema.SCHEMA_VERSION}
    with store.reading() as tx:
        for rtype in schema.exported_types():
            rows = [record.row() for record in tx.find(rtype)]
            if rtype is Workshop:
                doc["workshop"] = rows[0] if rows else None
            else:
                doc[rtype.table] = rows
    return doc


def records_of(doc: Any, where: str) -> list[Record]:
    """Validate a document completely; return its records in table order, or raise."""
    if not isinstance(doc, dict) or doc.get("schema") != DOC_SCHEMA:
        raise SeparError("bad_schema", where=where)
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise SeparError("bad_value", where=at(where, VERSION, sep=": "), detail=repr(version))
    if version > schema.SCHEMA_VERSION:
        raise SeparError(
            "newer_version", where=where, found=version, supported=schema.SCHEMA_VERSION
        )
    known = {rtype.table for rtype in schema.exported_types()} | {"schema", "version"}
    for key in doc:
        if key not in known:
            raise SeparError("unknown_table", where=where, name=key)
    return _checked(_rows(doc, where))


def _table(rtype: type[Record]) -> Term:
    """A table of the document: its key in English, its sheet name in Korean."""
    return Term(ko=rtype.sheet["ko"], en=rtype.table)


def _rows(doc: dict[str, Any], where: str) -> Iterator[tuple[Record, Place]]:
    for rtype in schema.exported_types():
        if rtype is Workshop:
            data = doc.get("workshop")
            place = at(where, _table(rtype), sep=": ")
            if not isinstance(data, dict):
                raise SeparError("missing_field", where=place)
            yield build(rtype, data, place), place
            continue
        rows = doc.get(rtype.table, [])
        if not isinstance(rows, list):
            raise SeparError("json_not_list", where=at(where, _table(rtype), sep=": "))
        for i, data in enumerate(rows):
            item = word("loc_json_item", table=rtype.table, sheet=rtype.sheet["ko"], i=i, n=i + 1)
            place = at(where, item, sep=": ")
            if not isinstance(data, dict):
                raise SeparError("json_not_object", where=place)
            yield build(rtype, data, place), place


def _checked(rows: Iterator[tuple[Record, Place]]) -> list[Record]:
    """Keys, references, and every ballot by its poll's rules, before anything is written."""
    from separ.ballots import check_stored

    pairs = list(rows)
    check_set(pairs)
    check_stored(pairs)
    return [record for record, _ in pairs]


def replace(store: Store, records: list[Record]) -> None:
    """Make ``store`` hold exactly ``records``, in one transaction.

    ``records`` come checked as a whole (:func:`records_of`, the Excel reader), so they go
    in as a set (:meth:`~separ.store.Transaction.insert_all`), not one by one: opening a
    workshop file is what every ``separ`` command on a file does first.
    """
    with store.transaction() as tx:
        tx.clear()
        tx.insert_all(records)


def read_json(path: Path) -> list[Record]:
    """Read and validate a workshop JSON file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeparError("file_not_found", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise SeparError("json_not_utf8", where=str(path), at=exc.start + 1) from None
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        place = at(str(path), word("loc_line", line=exc.lineno, column=exc.colno))
        raise SeparError("bad_json", where=place, detail=_problem(exc.msg)) from None
    except RecursionError:
        raise SeparError("json_too_deep", where=str(path)) from None
    return records_of(doc, str(path))


def write_json(store: Store, path: Path) -> None:
    path.write_text(dump(to_document(store)), encoding="utf-8")


def dump(doc: dict[str, Any]) -> str:
    """Stable, readable JSON: Korean as is, two-space indent, a final newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
