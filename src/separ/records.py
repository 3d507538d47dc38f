"""The base of every stored record, and the small vocabulary records are written in.

A record type is a pydantic model that also says how it is stored and exchanged:
its table name, its sheet and column labels in Korean and English, its unique keys
and the tables its ``*_id`` fields point at. The store (:mod:`separ.store`), the JSON
document (:mod:`separ.document`) and the Excel workbook (:mod:`separ.excel`) are
generic over these declarations, so a stage adds a table by declaring one record type
in a module its :class:`separ.stages.Stage` lists -- nothing else.

pydantic rather than dataclasses: imports are validated field by field, and its error
locations (row, field) become the "which row, which field" of separ's messages.
"""

from __future__ import annotations

import typing
import uuid
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from separ.i18n import Lang

NAME_MAX = 200
TEXT_MAX = 4000

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
"""A required short text: a name, a title, a place."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX)]
"""A longer free text (notes, descriptions)."""
Line = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=NAME_MAX * 2, pattern=r"^[^\r\n]*$"
    ),
]
"""One item of a list (an agenda point, an outcome): one line, no line breaks."""
RecordId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class Choice(StrEnum):
    """A closed set of codes, each with a Korean and an English label.

    Codes are stored and exchanged in JSON; labels are shown, written to Excel and
    accepted back from it (see :meth:`_missing_`), so a facilitator can type
    "사회적기업" in a sheet.
    """

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        raise NotImplementedError

    def label(self, lang: Lang) -> str:
        return self.labels()[self.value][lang]

    @classmethod
    def _missing_(cls, value: object) -> Choice | None:
        """A label (or a code with spaces around it) names its member.

        Enum lookup calls this when ``value`` is not a code, and pydantic validates
        enum fields through it: so a field is typed as plainly as ``group: Group`` and
        still takes "사회적기업" from a sheet.
        """
        code = cls.parse(value)
        return cls(code) if isinstance(code, str) and code != value else None

    @classmethod
    def parse(cls, value: object) -> object:
        """Map a code or a label in either language to the code; leave others to pydantic."""
        if isinstance(value, str):
            wanted = value.strip()
            for code, names in cls.labels().items():
                if wanted == code or wanted in names.values():
                    return code
        return value


def new_id() -> str:
    """A short random id: records keep it for life, whatever they are renamed to."""
    return uuid.uuid4().hex[:12]


class Record(BaseModel):
    """A row of one table, with what the store and the interchange formats need to know."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)

    table: ClassVar[str]
    """Table name in the store and key in the JSON document."""
    sheet: ClassVar[dict[Lang, str]]
    """Sheet name in the Excel workbook (at most 31 characters)."""
    labels: ClassVar[dict[str, dict[Lang, str]]]
    """Column headers per field, in both languages."""
    unique: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """Sets of fields that must be unique together (besides ``id``)."""
    references: ClassVar[dict[str, str]] = {}
    """Field -> table it points at (by id)."""
    noun: ClassVar[str] = "row"
    """How messages call one record of this table (a key of :data:`separ.i18n.NOUNS`)."""
    exported: ClassVar[bool] = True
    """False for the running room's own state (access tokens, what is live): it stays in
    the store and never goes into exports, DataFrames or reports."""

    id: RecordId = Field(default_factory=new_id)

    def row(self) -> dict[str, Any]:
        """The record as JSON-ready values (codes, ISO dates)."""
        return self.model_dump(mode="json")


def choice_of(annotation: Any) -> type[Choice] | None:
    """The :class:`Choice` a field annotation is made of, if any (for messages)."""

    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, Choice):
            return item
        stack.extend(typing.get_args(item))
    return None
