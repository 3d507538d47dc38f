"""Turn raw rows into records, and check a whole set of records before anything is written.

Both importers (JSON and Excel) go through here, so a bad row gets the same clear
message from either, naming where it is. A set passes only if every row is valid,
every key is unique and every reference points at a row of the set: an import then
writes all of it in one transaction, or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import ValidationError

from separ import schema
from separ.errors import Invalid, SeparError
from separ.records import Choice, Record, choice_of

R = TypeVar("R", bound=Record)


def build(rtype: type[R], data: dict[str, Any], where: str) -> R:
    """Validate one row; ``where`` says where it came from (file, row)."""
    try:
        return rtype.model_validate(data)
    except ValidationError as exc:
        raise translate(exc, rtype, where) from None


def translate(exc: ValidationError, rtype: type[Record], where: str) -> SeparError:
    """The first problem of a pydantic error as a :class:`SeparError` naming the field."""
    err = exc.errors()[0]
    loc = [str(part) for part in err["loc"]]
    field = loc[0] if loc else ""
    place = f"{where}, {field}" if field else where
    kind = err["type"]
    if kind == "missing":
        return SeparError("missing_field", where=place)
    if kind == "extra_forbidden":
        return SeparError("unknown_column", where=where, name=field)
    if kind == "string_too_long":
        length = len(err["input"]) if isinstance(err["input"], str) else 0
        return SeparError("too_long", where=place, length=length, limit=err["ctx"]["max_length"])
    if kind == "string_pattern_mismatch":
        return SeparError("one_line", where=place)
    if kind == "enum" and field in rtype.model_fields:
        choice = choice_of(rtype.model_fields[field].annotation)
        if choice is not None:
            return SeparError("unknown_choice", where=place, value=err["input"],
                              choices=choice_list(choice))
    cause = err.get("ctx", {}).get("error")
    if isinstance(cause, Invalid):
        return SeparError(cause.key, where=place, **cause.params)
    message = err["msg"].removeprefix("Value error, ")
    return SeparError("bad_value", where=place, detail=message)


def choice_list(choice: type[Choice]) -> str:
    return ", ".join(f"{code} ({names['ko']})" for code, names in choice.labels().items())


def check_set(records: Iterable[tuple[Record, str]]) -> None:
    """Unique keys and references across a whole import; raises on the first problem."""
    ids: dict[str, set[str]] = defaultdict(set)
    keys: dict[tuple[str, tuple[str, ...]], set[tuple[Any, ...]]] = defaultdict(set)
    pending: list[tuple[Record, str]] = []
    for record, where in records:
        rtype = type(record)
        if record.id in ids[rtype.table]:
            raise SeparError("duplicate", where=where, what="id", value=record.id)
        ids[rtype.table].add(record.id)
        values = record.row()
        for fields in rtype.unique:
            key = tuple(values[f] for f in fields)
            if any(v is None for v in key):
                continue
            if key in keys[(rtype.table, fields)]:
                shown = ", ".join(str(v) for v in key)
                raise SeparError("duplicate", where=where, what=rtype.noun, value=shown)
            keys[(rtype.table, fields)].add(key)
        pending.append((record, where))
    for record, where in pending:
        for field, target in type(record).references.items():
            value = getattr(record, field)
            if value is not None and value not in ids[target]:
                noun = schema.record_type(target).noun
                raise SeparError("unknown_reference", where=f"{where}, {field}",
                                 what=noun, value=value)
