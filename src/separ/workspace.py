"""Open a workshop from whatever the user points at: a folder, a URL, or a file.

Every command that reads a workshop accepts a workshop folder or a workshop JSON
(or Excel) file; a file is loaded into a private in-memory store, so the rest of
separ only ever sees a :class:`~separ.store.Store`.
"""

from __future__ import annotations

from pathlib import Path

from separ.document import read_json, replace, write_json
from separ.errors import SeparError
from separ.model import Workshop
from separ.records import Record
from separ.store import Store
from separ.tablefile import NO_SUFFIX

FORMATS = ("json", "xlsx")


def read_file(path: Path) -> list[Record]:
    """Validate a workshop JSON or Excel file; nothing is written anywhere."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_json(path)
    if suffix == ".xlsx":
        from separ.excel import read_xlsx  # openpyxl: only for Excel files (0.2 s to import)

        return read_xlsx(path)
    raise SeparError("unknown_format", where=str(path), suffix=suffix or NO_SUFFIX)


def open_workshop(location: str | Path, db: str | None = None) -> Store:
    """A store for a workshop folder (or ``db`` URL), or a fresh one holding a file's workshop."""
    path = Path(location)
    if path.is_file():
        store = Store.memory()
        replace(store, read_file(path))
        return store
    if not path.exists() and db is None:
        raise SeparError("not_a_workshop", path=str(path))
    return Store.open(path, db)


def create_workshop(folder: str | Path, workshop: Workshop, db: str | None = None) -> Store:
    """A new workshop folder holding ``workshop``; refuses to overwrite an existing one."""
    store = Store.open(folder, db, create=True)
    if store.counts()[Workshop.table]:
        store.close()
        raise SeparError("workshop_exists", path=str(folder))
    store.add(workshop)
    return store


def import_file(folder: str | Path, path: Path, db: str | None = None) -> Store:
    """Replace the workshop in ``folder`` with the file's (the folder is created if new).

    The file is validated completely before the store is touched, and written in one
    transaction: a bad file leaves the workshop as it was.
    """
    records = read_file(path)
    store = Store.open(folder, db, create=True)
    replace(store, records)
    return store


def export_file(store: Store, fmt: str, out: Path) -> None:
    if fmt == "json":
        write_json(store, out)
    elif fmt == "xlsx":
        from separ.excel import write_xlsx

        write_xlsx(store, out)
    else:
        raise SeparError("unknown_format", where=str(out), suffix=fmt)


def workbook_store(workshop_dir: str | Path | None, db: str | None = None) -> Store:
    """The store a workbook works on: its ``workshop_dir`` parameter, else $SEPAR_WORKSHOP.

    Workbooks follow papermill's convention: a first code cell tagged ``parameters``
    holds ``workshop_dir = None``; Voila and the tests fill it in or set the variable.
    """
    import os

    location = workshop_dir or os.environ.get("SEPAR_WORKSHOP")
    if not location:
        raise SeparError("not_a_workshop", path="(workshop_dir / SEPAR_WORKSHOP)")
    return open_workshop(location, db or os.environ.get("SEPAR_DB"))
