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
from separ.errors import SeparError
from separ.model import Workshop
from separ.records import Record
from separ.store import Store
from separ.validation import build, check_set

DOC_SCHEMA = "separ-workshop"


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
        raise SeparError("bad_value", where=f"{where}: version", detail=repr(version))
    if version > schema.SCHEMA_VERSION:
        raise SeparError(
            "newer_version", where=where, found=version, supported=schema.SCHEMA_VERSION
        )
    known = {rtype.table for rtype in schema.exported_types()} | {"schema", "version"}
    for key in doc:
        if key not in known:
            raise SeparError("unknown_table", where=where, name=key)
    return _checked(_rows(doc, where))


def _rows(doc: dict[str, Any], where: str) -> Iterator[tuple[Record, str]]:
    for rtype in schema.exported_types():
        if rtype is Workshop:
            data = doc.get("workshop")
            if not isinstance(data, dict):
                raise SeparError("missing_field", where=f"{where}: workshop")
            yield build(rtype, data, f"{where}: workshop"), f"{where}: workshop"
            continue
        rows = doc.get(rtype.table, [])
        if not isinstance(rows, list):
            raise SeparError("bad_value", where=f"{where}: {rtype.table}", detail="not a list")
        for i, data in enumerate(rows):
            place = f"{where}: {rtype.table}[{i}]"
            if not isinstance(data, dict):
                raise SeparError("bad_value", where=place, detail="not an object")
            yield build(rtype, data, place), place


def _checked(rows: Iterator[tuple[Record, str]]) -> list[Record]:
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
        raise SeparError("bad_json", where=str(path), detail=str(exc)) from None
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SeparError(
            "bad_json", where=str(path), detail=f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise SeparError("json_too_deep", where=str(path)) from None
    return records_of(doc, str(path))


def write_json(store: Store, path: Path) -> None:
    path.write_text(dump(to_document(store)), encoding="utf-8")


def dump(doc: dict[str, Any]) -> str:
    """Stable, readable JSON: Korean as is, two-space indent, a final newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
