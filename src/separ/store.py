"""The one store: every read and write of a workshop goes through :class:`Store`.

A workshop folder holds one SQLite file (WAL, a busy timeout, foreign keys on), so
many participant kernels and the facilitator's notebooks share one truth. Give a
PostgreSQL URL instead and the same code runs there. Callers never see sessions or
tables: they pass records in and get records back, and each call is one transaction.
Group several writes with ``with store.transaction() as tx:``; if anything in the block
fails, nothing of it is written.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.pool import StaticPool

from separ import schema
from separ.errors import SeparError
from separ.model import Workshop
from separ.records import Record

R = TypeVar("R", bound=Record)

DB_FILE = "workshop.db"
CONFIG_FILE = "separ.json"
BUSY_TIMEOUT_MS = 30_000
SCHEMA_KEY = "schema_version"
"""The ``separ_meta`` key of the store's schema version."""


def _values(record: Record) -> dict[str, Any]:
    """The record as column values (enum codes as plain strings)."""
    out = record.model_dump(mode="python")
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in out.items()}


def _load(rtype: type[R], row: sa.Row[Any]) -> R:
    return rtype.model_validate(dict(row._mapping))


class Transaction:
    """Reads and writes inside one database transaction (see :meth:`Store.transaction`)."""

    def __init__(self, conn: Connection, *, write: bool = False) -> None:
        self.conn = conn
        self.write = write

    def _select(self, tbl: sa.Table) -> sa.Select[Any]:
        """SELECT, locking the rows read inside a write transaction.

        SQLite's BEGIN IMMEDIATE already serialises writers; on PostgreSQL, read
        committed would let two read-modify-write transactions lose an update, so the
        rows a writer reads are locked until it commits.
        """
        query = sa.select(tbl)
        return query.with_for_update() if self.write else query

    def get(self, rtype: type[R], record_id: str) -> R:
        tbl = schema.table(rtype)
        row = self.conn.execute(self._select(tbl).where(tbl.c.id == record_id)).first()
        if row is None:
            raise SeparError("not_found", what=rtype.noun, value=record_id)
        return _load(rtype, row)

    def find(self, rtype: type[R], order_by: str | None = None, **equal: Any) -> list[R]:
        """Records of ``rtype`` whose fields equal ``equal``, in ``order_by`` or insertion order."""
        tbl = schema.table(rtype)
        query = self._select(tbl)
        for name, value in equal.items():
            value = value.value if isinstance(value, Enum) else value
            query = query.where(tbl.c[name].is_(None) if value is None else tbl.c[name] == value)
        if order_by:
            query = query.order_by(tbl.c[order_by])
        return [_load(rtype, row) for row in self.conn.execute(query)]

    def count(self, rtype: type[Record]) -> int:
        tbl = schema.table(rtype)
        return int(self.conn.execute(sa.select(sa.func.count()).select_from(tbl)).scalar_one())

    def _check_unique(self, record: Record) -> None:
        tbl = schema.table(type(record))
        values = _values(record)
        for fields in type(record).unique:
            if any(values[f] is None for f in fields):
                continue
            query = sa.select(tbl.c.id).where(tbl.c.id != record.id)
            for f in fields:
                query = query.where(tbl.c[f] == values[f])
            if self.conn.execute(query).first() is not None:
                shown = ", ".join(str(values[f]) for f in fields)
                raise SeparError("duplicate", what=type(record).noun, value=shown)

    def add(self, record: R) -> R:
        self._check_unique(record)
        try:
            with self.conn.begin_nested():
                self.conn.execute(sa.insert(schema.table(type(record))).values(_values(record)))
        except IntegrityError as exc:
            raise _integrity(exc) from None
        return record

    def add_all(self, records: Iterable[Record]) -> None:
        for record in records:
            self.add(record)

    def insert_all(self, records: Iterable[Record]) -> None:
        """Insert records that a check of the whole set has passed (ids, unique keys and
        references: :func:`separ.validation.check_set`), one statement per run of records
        of a type, without :meth:`add`'s unique query and savepoint per record: a workshop
        file of 800 records goes in in a tenth of the time. The tables' constraints still
        hold; a record that breaks one fails the transaction."""
        try:
            for rtype, group in itertools.groupby(records, key=type):
                self.conn.execute(sa.insert(schema.table(rtype)), [_values(r) for r in group])
        except IntegrityError as exc:
            raise _integrity(exc) from None

    def update(self, record: R) -> R:
        self._check_unique(record)
        tbl = schema.table(type(record))
        try:
            with self.conn.begin_nested():
                result = self.conn.execute(
                    sa.update(tbl).where(tbl.c.id == record.id).values(_values(record))
                )
        except IntegrityError as exc:
            raise _integrity(exc) from None
        if result.rowcount == 0:
            raise SeparError("not_found", what=type(record).noun, value=record.id)
        return record

    def delete(self, rtype: type[Record], record_id: str) -> None:
        tbl = schema.table(rtype)
        result = self.conn.execute(sa.delete(tbl).where(tbl.c.id == record_id))
        if result.rowcount == 0:
            raise SeparError("not_found", what=rtype.noun, value=record_id)

    def meta(self, key: str) -> str | None:
        """A store-wide value kept outside the records (never exported), or None."""
        tbl = schema.table("separ_meta")
        found = self.conn.execute(sa.select(tbl.c.value).where(tbl.c.key == key))
        value: str | None = found.scalar_one_or_none()
        return value

    def set_meta(self, key: str, value: str | None) -> None:
        """Keep ``value`` under ``key`` (None deletes it): e.g. an anonymous poll's secret,
        which must never reach an export and must be gone once the poll closes."""
        if key == SCHEMA_KEY:
            raise ValueError("the schema version is the store's own")
        tbl = schema.table("separ_meta")
        self.conn.execute(sa.delete(tbl).where(tbl.c.key == key))
        if value is not None:
            self.conn.execute(sa.insert(tbl).values(key=key, value=value))

    def clear(self) -> None:
        """Delete every record of every table (children first)."""
        for rtype in reversed(schema.record_types()):
            self.conn.execute(sa.delete(schema.table(rtype)))


def _integrity(exc: IntegrityError) -> SeparError:
    detail = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
    return SeparError("integrity", detail=detail)


class Store:
    """A workshop's store. Open it with :meth:`open` (a folder or URL) or :meth:`memory`."""

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location
        self._upgrade()

    # -- opening -----------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path, db: str | None = None, *, create: bool = False) -> Store:
        """Open the workshop in ``folder``; ``db`` (a URL) overrides the SQLite file.

        ``create`` makes the folder and an empty store when they don't exist yet.
        """
        path = Path(folder)
        config = path / CONFIG_FILE
        if db is None and config.is_file():
            db = json.loads(config.read_text(encoding="utf-8")).get("db")
        if db is None:
            dbfile = path / DB_FILE
            if not dbfile.exists() and not create:
                raise SeparError("not_a_workshop", path=str(path))
            path.mkdir(parents=True, exist_ok=True)
            return cls(sqlite_engine(f"sqlite:///{dbfile}"), str(dbfile))
        if create:
            path.mkdir(parents=True, exist_ok=True)
            config.write_text(json.dumps({"db": db}), encoding="utf-8")
        return cls(_url_engine(db), db)

    @classmethod
    def memory(cls) -> Store:
        """A private in-memory store, e.g. to read a workshop JSON file."""
        engine = sa.create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        _sqlite_pragmas(engine, wal=False)
        return cls(engine, ":memory:")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------
    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        try:
            with self.engine.connect().execution_options(separ_write=True) as conn, conn.begin():
                yield conn
        except OperationalError as exc:
            raise SeparError("store_unreachable", detail=str(exc.orig)) from None

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction: all of it is written, or none of it.

        It also bumps the store's revision, so every page can tell cheaply that
        something changed (see :meth:`revision`).
        """
        with self._writing() as conn:
            yield Transaction(conn, write=True)
            rev = schema.table("separ_revision")
            conn.execute(sa.update(rev).where(rev.c.id == 1).values(n=rev.c.n + 1))

    def revision(self) -> int:
        """A number that grows with every committed write, from any process.

        Live pages poll this one-row read and reload only when it moved.
        """
        rev = schema.table("separ_revision")
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(rev.c.n).where(rev.c.id == 1)).scalar_one())

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A read-only snapshot (several reads that must agree with each other)."""
        with self.engine.connect() as conn, conn.begin():
            yield Transaction(conn)

    # -- one-call conveniences -------------------------------------------------------
    def get(self, rtype: type[R], record_id: str) -> R:
        with self.reading() as tx:
            return tx.get(rtype, record_id)

    def list(self, rtype: type[R], order_by: str | None = None, **equal: Any) -> list[R]:
        with self.reading() as tx:
            return tx.find(rtype, order_by=order_by, **equal)

    def add(self, record: R) -> R:
        with self.transaction() as tx:
            return tx.add(record)

    def update(self, record: R) -> R:
        with self.transaction() as tx:
            return tx.update(record)

    def delete(self, rtype: type[Record], record_id: str) -> None:
        with self.transaction() as tx:
            tx.delete(rtype, record_id)

    def workshop(self) -> Workshop:
        return self.get(Workshop, "workshop")

    def counts(self) -> dict[str, int]:
        """Rows per table, for ``separ info`` and sanity checks."""
        with self.reading() as tx:
            return {rtype.table: tx.count(rtype) for rtype in schema.record_types()}

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return _stored_version(conn) or 0

    # -- schema --------------------------------------------------------------------
    def _upgrade(self) -> None:
        """Create the tables of a new store, or bring an older one up to date."""
        with self._writing() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(74201)"))
            found = _stored_version(conn)
            if found is not None and found > schema.SCHEMA_VERSION:
                raise SeparError("store_newer", found=found)
            start = found if found is not None else schema.SCHEMA_VERSION
            for version in range(start + 1, schema.SCHEMA_VERSION + 1):
                if version in schema.MIGRATIONS:
                    schema.MIGRATIONS[version](conn)
            schema.metadata().create_all(conn)
            rev = schema.table("separ_revision")
            if conn.execute(sa.select(rev.c.n)).first() is None:
                conn.execute(sa.insert(rev).values(id=1, n=0))
            if found != schema.SCHEMA_VERSION:
                meta = schema.table("separ_meta")
                conn.execute(sa.delete(meta).where(meta.c.key == SCHEMA_KEY))
                conn.execute(
                    sa.insert(meta).values(key=SCHEMA_KEY, value=str(schema.SCHEMA_VERSION))
                )


def _stored_version(conn: Connection) -> int | None:
    if not sa.inspect(conn).has_table("separ_meta"):
        return None
    meta = schema.table("separ_meta")
    value = conn.execute(
        sa.select(meta.c.value).where(meta.c.key == SCHEMA_KEY)
    ).scalar_one_or_none()
    return int(value) if value is not None else None


def sqlite_engine(url: str) -> Engine:
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    _sqlite_pragmas(engine, wal=True)
    return engine


def _sqlite_pragmas(engine: Engine, *, wal: bool) -> None:
    """WAL, busy timeout and foreign keys on every connection; writers take the lock first.

    pysqlite's own transaction handling is switched off so that a write transaction
    starts with BEGIN IMMEDIATE: two writers then queue on the busy timeout instead of
    failing with "database is locked" when both try to upgrade a read lock.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("separ_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _url_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return sqlite_engine(url)
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # a bad URL or a missing driver: say which
        raise SeparError("store_unreachable", detail=str(exc)) from None
