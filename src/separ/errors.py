"""One error type for every user mistake, with its message in the user's language.

Facilitators never read tracebacks: the CLI and the widgets catch :class:`SeparError`
and show :meth:`SeparError.message` in the workshop's language. Anything else that
escapes is a bug in separ, not a user mistake.

Where the mistake is (file, sheet, row, field, option) is a :class:`Place`, not an
English string: its parts are the user's own names (a file name, a sheet title, a voter,
an option label — never translated) and location words (:class:`Word`: "row 3" / "3행")
or separ's own names in both languages (:class:`Term`, :class:`Field`), so a Korean
message is Korean from its first word ("ballots.csv, 3행, 값: …").
"""

from __future__ import annotations

from dataclasses import dataclass

from separ.i18n import Lang, add_messages, text

add_messages(
    {
        # location words: the parts of a Place, in the message's language
        "loc_row": {"ko": "{n}행", "en": "row {n}"},
        "loc_column": {"ko": "{column}열", "en": "column {column}"},
        "loc_value": {"ko": "값", "en": "value"},
        "loc_option": {"ko": "선택지", "en": "option"},
        "loc_version": {"ko": "버전", "en": "version"},
        "loc_line": {
            "ko": "{line}번째 줄 {column}번째 글자",
            "en": "line {line}, column {column}",
        },
        # a JSON list item: English keeps the document's key and index (organisations[0]),
        # Korean names the table and counts from one (조직 1번째 항목)
        "loc_json_item": {"ko": "{sheet} {n}번째 항목", "en": "{table}[{i}]"},
        "loc_nth": {"ko": "{n}번째 {what}", "en": "{what} #{n}"},
    }
)


@dataclass(frozen=True)
class Word:
    """A location word from the message tables ("row 3" / "3행"), rendered in the
    message's language; ``params`` fill its placeholders."""

    key: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: Lang) -> str:
        return text(self.key, lang, **dict(self.params))


def word(key: str, **params: object) -> Word:
    return Word(key, tuple(params.items()))


def in_row(number: int) -> Word:
    """The row of a table file or sheet, numbered as the user sees it (header = 1)."""
    return word("loc_row", n=number)


def in_column(name: object) -> Word:
    """A spreadsheet column, by its letter ("column C" / "C열")."""
    return word("loc_column", column=name)


def nth(what: str, number: int) -> Word:
    """The n-th of something the user typed, counted from one ("ballot #2" / "2번째 투표지");
    ``what`` is a noun of :data:`separ.i18n.NOUNS`."""
    return word("loc_nth", what=what, n=number)


VALUE = word("loc_value")
"""The value cell of a ballot sheet's row."""
OPTION = word("loc_option")
"""The option cell of a ballot sheet's row."""
VERSION = word("loc_version")
"""The ``version`` of a workshop document."""


@dataclass(frozen=True)
class Term:
    """A name separ gives in both languages (a table's noun, a sheet name): not a word of
    the message tables because the record types declare it."""

    ko: str
    en: str

    def text(self, lang: Lang) -> str:
        return self.ko if lang == "ko" else self.en


@dataclass(frozen=True)
class Field:
    """A record's field: its column label in Korean (the header of the Korean workbook),
    its own name in English — the key of the JSON document and the name separ's English
    docs and users' scripts know (``organisation_id``, ``to_org_id``)."""

    name: str
    ko: str

    def text(self, lang: Lang) -> str:
        return self.ko if lang == "ko" else self.name


Part = str | Word | Term | Field
"""One piece of a place: a plain string is the user's own (a file name, a sheet title
in quotes, a voter, separators) and is never translated."""


@dataclass(frozen=True)
class Place:
    """Where a mistake is, as parts rendered and joined in the message's language.

    Build one with :func:`at`; ``str(place)`` is the English rendering (logs, ``str(err)``).
    """

    parts: tuple[Part, ...] = ()

    def text(self, lang: Lang = "en") -> str:
        return "".join(p if isinstance(p, str) else p.text(lang) for p in self.parts)

    def __bool__(self) -> bool:
        return any(self.parts)

    def __str__(self) -> str:
        return self.text("en")


Where = str | Place | Word | Term | Field
"""What a ``where=`` takes: a plain string still works (a path, a CLI flag)."""


def at(*pieces: Where, sep: str = ", ") -> Place:
    """The pieces joined by ``sep`` (empty ones left out): ``at(name, in_row(3), VALUE)`` is
    "ballots.csv, row 3, value" in English and "ballots.csv, 3행, 값" in Korean. A Place
    among the pieces keeps its own separators, so places nest: ``at(file, at("'조직'",
    in_row(3), sep=" "), sep=": ")``."""
    parts: list[Part] = []
    for piece in pieces:
        if not piece:
            continue
        if parts:
            parts.append(sep)
        parts.extend(piece.parts if isinstance(piece, Place) else (piece,))
    return Place(tuple(parts))


def _place(where: Where) -> Place:
    return where if isinstance(where, Place) else at(where)


def _shown(value: object, lang: Lang) -> object:
    """A parameter in ``lang``: a Place, Word or Term parameter is rendered (e.g. the
    first row of a duplicate), anything else is the user's own value."""
    if isinstance(value, Place | Word | Term | Field):
        return value.text(lang)
    return value


class SeparError(Exception):
    """A user mistake (bad file, bad value, closed poll, ...) that has a clear message.

    ``key`` names a message in :mod:`separ.i18n`; ``where`` says which file, row or
    field is wrong so the message can point at it. It is kept as a :class:`Place`
    (``place``) and rendered with the message, in the same language.
    """

    def __init__(self, key: str, *, where: Where = "", **params: object) -> None:
        self.key = key
        self.place = _place(where)
        self.params = params
        super().__init__(self.message("en"))

    @property
    def where(self) -> str:
        """The place in English (as ``str(err)`` shows it)."""
        return self.place.text("en")

    def message(self, lang: Lang = "en") -> str:
        shown = {k: _shown(v, lang) for k, v in self.params.items()}
        body = text(key=self.key, lang=lang, **shown)
        return f"{self.place.text(lang)}: {body}" if self.place else body

    def located(self, where: Where, sep: str = ": ") -> SeparError:
        """Return the same error with ``where`` prefixed (file name before row, etc.)."""
        return SeparError(self.key, where=at(where, self.place, sep=sep), **self.params)


class Invalid(ValueError):
    """A record's own rule broken, raised inside a pydantic validator.

    pydantic turns a ``ValueError`` into a validation error and keeps the exception;
    :func:`separ.validation.translate` finds this one there and makes the
    :class:`SeparError` of ``key``, so the message is Korean for a Korean user, never
    pydantic's English.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(text(key, "en", **params))
