"""Turn raw rows into records, and check a whole set of records before anything is written.

Both importers (JSON and Excel) go through here, so a bad row gets the same clear
message from either, naming where it is. A set passes only if every row is valid,
every key is unique and every reference points at a row of the set: an import then
writes all of it in one transaction, or nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import ValidationError

from separ import schema
from separ.errors import Field, Invalid, SeparError, Term, Where, at
from separ.i18n import MESSAGES, NOUNS, Lang, add_messages
from separ.records import Choice, Record, choice_of

R = TypeVar("R", bound=Record)

MAX_DEPTH = 20
"""Nesting allowed inside one value (a JSON field's lists and objects): real data is flat."""


def plain(value: Any, where: Where, depth: int = 0) -> None:
    """Refuse what no phone could send: Infinity or NaN, and values nested deeper than
    :data:`MAX_DEPTH` (a hostile file nested 100,000 deep must give one line, not a crash)."""
    if depth > MAX_DEPTH:
        raise SeparError("too_deep", where=where, limit=MAX_DEPTH)
    if isinstance(value, float) and not math.isfinite(value):
        raise SeparError("not_finite", where=where, value=value)
    if isinstance(value, dict):
        for item in value.values():
            plain(item, where, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            plain(item, where, depth + 1)


add_messages(
    {
        "not_finite": {
            "ko": "유한한 숫자가 아닙니다: {value}",
            "en": "not a finite number: {value}",
        },
        "too_deep": {
            "ko": "값이 너무 깊게 중첩되어 있습니다 (최대 {limit}단계)",
            "en": "the value is nested too deeply (at most {limit} levels)",
        },
        "json_too_deep": {
            "ko": "JSON이 너무 깊게 중첩되어 있습니다",
            "en": "the JSON is nested too deeply",
        },
    }
)


def noun(rtype: type[Record]) -> Term:
    """What a message calls one record of ``rtype`` ("전략" / "strategy"): its noun, or its
    sheet name when its noun is only "row"."""
    if rtype.noun != "row" and rtype.noun in NOUNS:
        return Term(**NOUNS[rtype.noun])
    return Term(**rtype.sheet)


def field_of(rtype: type[Record], name: str) -> Field:
    """The field ``name`` of ``rtype`` as a place: its Korean label, its English name."""
    return Field(name, rtype.labels.get(name, {}).get("ko", name))


def build(rtype: type[R], data: dict[str, Any], where: Where | None = None) -> R:
    """Validate one row; ``where`` says where it came from (file, row), by default the
    record itself (a form or a command names no file: "전략, 제목: …")."""
    place = noun(rtype) if where is None else where
    for field, value in data.items():
        plain(value, at(place, field_of(rtype, field)))
    try:
        return rtype.model_validate(data)
    except ValidationError as exc:
        raise translate(exc, rtype, place) from None


def translate(exc: ValidationError, rtype: type[Record], where: Where) -> SeparError:
    """The first problem of a pydantic error as a :class:`SeparError` naming the field
    (by its label in the message's language)."""
    err = exc.errors()[0]
    loc = [str(part) for part in err["loc"]]
    field = loc[0] if loc else ""
    place = at(where, field_of(rtype, field)) if field else where
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
            return SeparError(
                "unknown_choice", where=place, value=err["input"], choices=choice_list(choice)
            )
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, Invalid):
        return SeparError(cause.key, where=place, **cause.params)
    if kind in PYDANTIC:
        ctx = err.get("ctx") or {}
        return SeparError(
            f"pydantic_{kind}",
            where=place,
            value=_shown(err["input"]),
            **{k: ctx[k] for k in ("gt", "ge", "lt", "le") if k in ctx},
        )
    message = err["msg"].removeprefix("Value error, ")
    if kind == "value_error" and message in MESSAGES:  # a validator's own i18n key
        return SeparError(message, where=place)
    return SeparError("bad_value", where=place, detail=message)


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


PYDANTIC: dict[str, dict[Lang, str]] = {
    "greater_than": {
        "ko": "{gt}보다 커야 합니다: {value}",
        "en": "must be greater than {gt}: {value}",
    },
    "greater_than_equal": {
        "ko": "{ge} 이상이어야 합니다: {value}",
        "en": "must be at least {ge}: {value}",
    },
    "less_than": {"ko": "{lt}보다 작아야 합니다: {value}", "en": "must be less than {lt}: {value}"},
    "less_than_equal": {
        "ko": "{le} 이하여야 합니다: {value}",
        "en": "must be at most {le}: {value}",
    },
    "int_parsing": {"ko": "정수여야 합니다: {value}", "en": "must be a whole number: {value}"},
    "int_from_float": {"ko": "정수여야 합니다: {value}", "en": "must be a whole number: {value}"},
    "int_type": {"ko": "정수여야 합니다: {value}", "en": "must be a whole number: {value}"},
    "float_parsing": {"ko": "숫자여야 합니다: {value}", "en": "must be a number: {value}"},
    "float_type": {"ko": "숫자여야 합니다: {value}", "en": "must be a number: {value}"},
    "bool_parsing": {"ko": "예/아니요로 써 주세요: {value}", "en": "must be yes or no: {value}"},
    "bool_type": {"ko": "예/아니요로 써 주세요: {value}", "en": "must be yes or no: {value}"},
    "date_parsing": {
        "ko": "날짜(YYYY-MM-DD)여야 합니다: {value}",
        "en": "must be a date (YYYY-MM-DD): {value}",
    },
    "date_from_datetime_parsing": {
        "ko": "날짜(YYYY-MM-DD)여야 합니다: {value}",
        "en": "must be a date (YYYY-MM-DD): {value}",
    },
    "date_from_datetime_inexact": {
        "ko": "시각 없이 날짜만 써 주세요: {value}",
        "en": "must be a date without a time: {value}",
    },
    "date_type": {
        "ko": "날짜(YYYY-MM-DD)여야 합니다: {value}",
        "en": "must be a date (YYYY-MM-DD): {value}",
    },
    "string_type": {"ko": "글자여야 합니다: {value}", "en": "must be text: {value}"},
    "list_type": {"ko": "목록이어야 합니다: {value}", "en": "must be a list: {value}"},
    "dict_type": {
        "ko": "항목과 값의 묶음이어야 합니다: {value}",
        "en": "must be an object: {value}",
    },
}
"""Korean (and plain English) for pydantic's usual complaints, so no English sentence from
pydantic appears inside a Korean message."""

add_messages(
    {
        f"pydantic_{kind}": {
            "ko": "값이 올바르지 않습니다: " + texts["ko"],
            "en": "invalid value: " + texts["en"],
        }
        for kind, texts in PYDANTIC.items()
    }
)


def choice_list(choice: type[Choice]) -> str:
    return ", ".join(f"{code} ({names['ko']})" for code, names in choice.labels().items())


def check_set(records: Iterable[tuple[Record, Where]]) -> None:
    """Unique keys and references across a whole import; raises on the first problem."""
    ids: dict[str, set[str]] = defaultdict(set)
    keys: dict[tuple[str, tuple[str, ...]], set[tuple[Any, ...]]] = defaultdict(set)
    pending: list[tuple[Record, Where]] = []
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
                target_noun = schema.record_type(target).noun
                raise SeparError(
                    "unknown_reference",
                    where=at(where, field_of(type(record), field)),
                    what=target_noun,
                    value=value,
                )
