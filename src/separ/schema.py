"""Every table separ stores, in dependency order, and how the schema changes over time.

Versioning: a small ordered list of migration steps rather than Alembic. The tables
are derived from the record types, ``create_all`` adds whole new tables, and the rare
change to an existing table is one function here. That keeps the one thing Alembic
would give (ordered, recorded upgrades on open) without its env.py, revision files
and a second source of truth for the table definitions.
"""

from __future__ import annotations

import datetime as dt
import importlib
import types
import typing
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from separ import stages
from separ.records import Record

SCHEMA_VERSION = 4
"""Bumped whenever a table changes; documents and stores carry it.

1: the workshop, organisations, participants, sessions, attendance.
2: the stages' tables (context, assets and network, surveys, polls, roadmap, follow-up,
   live tokens and check-ins); all new tables, so no step is needed.
3: ``checkins.person``: check-ins keyed by person (participant or access token), not by
   an anonymous display name.
4: ``live_state`` without ``allow_name_match`` (a listed name is joined with a roster
   card; the rule was stored but no longer read). ``live_state`` is not in documents, so
   a version 3 document reads as before.
"""

Migration = Callable[[Connection], None]


def _checkins_by_person(conn: Connection) -> None:
    """Add ``checkins.person``, filled with the participant of each check-in's attendance.

    Anonymous rows stay None: the token they came from was never recorded, so the next
    tap of such a phone starts a new row rather than guessing by display name.
    """
    inspector = sa.inspect(conn)
    if not inspector.has_table("checkins") or any(
        c["name"] == "person" for c in inspector.get_columns("checkins")
    ):
        return
    conn.execute(sa.text("ALTER TABLE checkins ADD COLUMN person VARCHAR(64)"))
    conn.execute(
        sa.text(
            "UPDATE checkins SET person = (SELECT participant_id FROM attendance"
            " WHERE attendance.id = checkins.attendance_id)"
        )
    )
    conn.execute(
        sa.text(
            "CREATE UNIQUE INDEX uq_checkins_session_id_person ON checkins (session_id, person)"
        )
    )


def _live_state_without_name_match(conn: Connection) -> None:
    """Rebuild ``live_state`` without ``allow_name_match``, keeping its one row.

    The column is NOT NULL without a default, so a store that still had it could not
    write a new live state once the record lost the field. Rebuilt rather than
    ``ALTER TABLE … DROP COLUMN``, which SQLite has only since 3.35 (older Linux
    distributions' Pythons ship 3.31); the table is one row of the room's state.
    """
    inspector = sa.inspect(conn)
    if not inspector.has_table("live_state"):
        return
    found = {c["name"] for c in inspector.get_columns("live_state")}
    if "allow_name_match" not in found:
        return
    kept = table("live_state")
    names = ", ".join(c.name for c in kept.columns if c.name in found)
    rows = [dict(r) for r in conn.execute(sa.text(f"SELECT {names} FROM live_state")).mappings()]
    conn.execute(sa.text("DROP TABLE live_state"))
    kept.create(conn)
    for row in rows:
        conn.execute(sa.insert(kept).values(row))


MIGRATIONS: dict[int, Migration] = {3: _checkins_by_person, 4: _live_state_without_name_match}
"""``{n: step}`` upgrades a store from version n-1 to n (new tables need no step)."""


def record_types() -> tuple[type[Record], ...]:
    """All record types of every stage (:mod:`separ.stages`), parents before the tables
    that point at them."""
    return _record_types(stages.generation())


@cache
def _record_types(generation: int) -> tuple[type[Record], ...]:
    found: list[type[Record]] = []
    for name in stages.record_modules():
        found.extend(importlib.import_module(name).RECORDS)
    return tuple(found)


def exported_types() -> tuple[type[Record], ...]:
    """The record types that make up a workshop document (see ``Record.exported``)."""
    return tuple(rtype for rtype in record_types() if rtype.exported)


def record_type(table: str) -> type[Record]:
    for rtype in record_types():
        if rtype.table == table:
            return rtype
    raise KeyError(table)


def plain_type(annotation: Any) -> tuple[Any, bool]:
    """(the plain type, whether None is allowed) of a field annotation."""
    nullable = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            nullable = nullable or len(args) < len(typing.get_args(annotation))
            annotation = args[0] if len(args) == 1 else Any
        else:
            return annotation, nullable


def _column_type(annotation: Any) -> sa.types.TypeEngine[Any]:
    origin = typing.get_origin(annotation) or annotation
    if origin in (list, dict, tuple) or annotation is Any:
        return sa.JSON()
    if isinstance(origin, type):
        if issubclass(origin, bool):
            return sa.Boolean()
        if issubclass(origin, int):
            return sa.BigInteger()
        if issubclass(origin, float):
            return sa.Float()
        if issubclass(origin, dt.datetime):
            return sa.DateTime(timezone=True)
        if issubclass(origin, dt.date):
            return sa.Date()
        if issubclass(origin, (str, Enum)):
            return sa.Text()
    raise TypeError(f"no column type for {annotation!r}")


def _table(rtype: type[Record], metadata: sa.MetaData) -> sa.Table:
    columns: list[Any] = []
    for name, field in rtype.model_fields.items():
        plain, nullable = plain_type(field.annotation)
        ctype: sa.types.TypeEngine[Any] = _column_type(plain)
        args: list[Any] = []
        if name == "id" or name in rtype.references:
            ctype = sa.String(64)
        if name in rtype.references:
            args.append(sa.ForeignKey(f"{rtype.references[name]}.id", ondelete="CASCADE"))
        columns.append(sa.Column(name, ctype, *args, primary_key=name == "id", nullable=nullable))
    for fields in rtype.unique:
        columns.append(sa.UniqueConstraint(*fields, name=f"uq_{rtype.table}_{'_'.join(fields)}"))
    return sa.Table(rtype.table, metadata, *columns)


def metadata() -> sa.MetaData:
    """Tables for every record type, plus ``separ_meta`` (schema version and other
    store-wide values) and ``separ_revision`` (a counter every write transaction bumps)."""
    return _metadata(stages.generation())


@cache
def _metadata(generation: int) -> sa.MetaData:
    meta = sa.MetaData()
    sa.Table(
        "separ_meta",
        meta,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    sa.Table(
        "separ_revision",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("n", sa.BigInteger, nullable=False),
    )
    for rtype in record_types():
        _table(rtype, meta)
    return meta


def table(rtype: type[Record] | str) -> sa.Table:
    name = rtype if isinstance(rtype, str) else rtype.table
    return metadata().tables[name]
