"""Bulk import of ties and assets from a CSV or Excel sheet a facilitator filled in.

Such sheets name organisations ("보성자원"), not ids, and write yes/no in Korean; they
are read here, every row checked (values, names, duplicates in the file and in the
store) before anything is written, and then written in one transaction. The first bad
row stops the import with its row number, and the store is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from separ.actors import Actor, require_facilitator
from separ.assets import Asset
from separ.errors import Place, SeparError, at, in_row
from separ.i18n import add_messages
from separ.model import Organisation, Participant
from separ.network import Tie, _check_tie
from separ.records import Record
from separ.store import Store
from separ.tablefile import read_table, yes_no
from separ.validation import build, field_of

add_messages(
    {
        "unknown_organisation": {
            "ko": "등록되지 않은 조직입니다: {value}",
            "en": "no such organisation: {value}",
        },
    }
)


TIE_ALIASES = {
    "from": "from_org_id",
    "to": "to_org_id",
    "조직": "from_org_id",
    "상대 조직": "to_org_id",
    "강도": "strength",
    "방향": "directed",
}
ASSET_ALIASES = {"holder_org_id": "holder", "holder_participant_id": "holder"}


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(row number as the user sees it, {header: value}) of a table file (see tablefile)."""
    return list(read_table(path).rows)


def _fields(
    rtype: type[Record], row: dict[str, Any], aliases: dict[str, str], where: Place
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for header, value in row.items():
        field = aliases.get(header)
        if field is None:
            for name, labels in rtype.labels.items():
                if header == name or header in labels.values():
                    field = name
        if field is None or field == "id":
            raise SeparError("unknown_column", where=where, name=header)
        out[aliases.get(field, field)] = value.strip() if isinstance(value, str) else value
    return out


def _bool(value: Any) -> Any:
    found = yes_no(value)
    return value if found is None else found


def _date(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return value.replace(".", "-").replace("/", "-")
    return value


def _resolver(store: Store) -> Callable[[str], str | None]:
    by_key: dict[str, str] = {}
    for org in store.list(Organisation):
        by_key[org.id] = org.id
        by_key[org.name] = org.id
    return lambda value: by_key.get(str(value).strip())


def import_ties(store: Store, actor: Actor, path: Path) -> list[Tie]:
    """Add every tie of the sheet, or none. Columns: 조직/from, 상대 조직/to, 관계 유형/kind,
    일자/date, 강도/strength, 방향/directed, 비고/notes (names or ids of organisations)."""
    require_facilitator(actor)
    org = _resolver(store)
    ties: list[tuple[Tie, Place]] = []
    seen: dict[tuple[Any, ...], Place] = {}
    for number, row in read_rows(path):
        where = at(path.name, in_row(number), sep=": ")
        data = _fields(Tie, row, TIE_ALIASES, where)
        for end in ("from_org_id", "to_org_id"):
            if end in data:
                found = org(data[end])
                if found is None:
                    raise SeparError(
                        "unknown_organisation", where=at(where, field_of(Tie, end)), value=data[end]
                    )
                data[end] = found
        if "directed" in data:
            data["directed"] = _bool(data["directed"])
        if "date" in data:
            data["date"] = _date(data["date"])
        tie = build(Tie, data, where)
        assert isinstance(tie, Tie)
        if tie.key() in seen:
            raise SeparError("duplicate", where=where, what="tie", value=seen[tie.key()])
        seen[tie.key()] = where
        ties.append((tie, where))
    with store.transaction() as tx:
        for tie, where in ties:
            _check_tie(tx, tie, where)
            tx.add(tie)
    return [t for t, _ in ties]


def import_assets(store: Store, actor: Actor, path: Path) -> list[Asset]:
    """Add every asset of the sheet, or none. The holder column may name a registered
    organisation or participant (it is then linked) or anyone else (kept as text)."""
    require_facilitator(actor)
    org = _resolver(store)
    people = {p.name: p.id for p in store.list(Participant)}
    assets: list[Asset] = []
    for number, row in read_rows(path):
        where = at(path.name, in_row(number), sep=": ")
        data = _fields(Asset, row, ASSET_ALIASES, where)
        for forbidden in ("status", "merged_into", "added_by"):
            if forbidden in data:
                raise SeparError("unknown_column", where=where, name=forbidden)
        holder = data.pop("holder", None)
        if holder is not None:
            if org(holder):
                data["holder_org_id"] = org(holder)
            elif str(holder) in people:
                data["holder_participant_id"] = people[str(holder)]
            else:
                data["holder"] = holder
        if "shareable" in data:
            data["shareable"] = _bool(data["shareable"])
        asset = build(Asset, data, where)
        assert isinstance(asset, Asset)
        assets.append(asset)
    with store.transaction() as tx:
        tx.add_all(assets)
    return assets
