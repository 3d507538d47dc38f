"""Every table as a pandas DataFrame: the researcher's way into a workshop.

``separ.frames.frame(store, "participants")`` gives one table;
``frames(store)`` gives all of them. Codes stay codes unless ``lang`` asks for
labelled columns and values, as a report shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from separ import schema
from separ.i18n import Lang
from separ.records import Choice, Record
from separ.store import Store

if TYPE_CHECKING:
    import pandas as pd


def frame(store: Store, table: str | type[Record], lang: Lang | None = None) -> pd.DataFrame:
    """One table as a DataFrame indexed by id; ``lang`` labels columns and codes."""
    import pandas as pd

    rtype = schema.record_type(table) if isinstance(table, str) else table
    records = store.list(rtype)
    fields = list(rtype.model_fields)
    rows = []
    for record in records:
        row = {}
        for f in fields:
            value = getattr(record, f)
            if lang and isinstance(value, Choice):
                value = value.label(lang)
            elif isinstance(value, Choice):
                value = value.value
            row[f] = value
        rows.append(row)
    df = pd.DataFrame(rows, columns=fields).set_index("id")
    if lang:
        df = df.rename(columns={f: rtype.labels[f][lang] for f in fields if f != "id"})
        df.index.name = rtype.labels["id"][lang]
    return df


def frames(store: Store, lang: Lang | None = None) -> dict[str, pd.DataFrame]:
    """Every table, keyed by table name."""
    return {rtype.table: frame(store, rtype, lang) for rtype in schema.exported_types()}
