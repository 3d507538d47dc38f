"""One error type for every user mistake, with its message in the user's language.

Facilitators never read tracebacks: the CLI and the widgets catch :class:`SeparError`
and show :meth:`SeparError.message` in the workshop's language. Anything else that
escapes is a bug in separ, not a user mistake.
"""

from __future__ import annotations

from separ.i18n import Lang, text


class SeparError(Exception):
    """A user mistake (bad file, bad value, closed poll, ...) that has a clear message.

    ``key`` names a message in :mod:`separ.i18n`; ``where`` says which file, row or
    field is wrong so the message can point at it.
    """

    def __init__(self, key: str, *, where: str = "", **params: object) -> None:
        self.key = key
        self.where = where
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "en") -> str:
        body = text(key=self.key, lang=lang, **self.params)
        return f"{self.where}: {body}" if self.where else body

    def located(self, where: str) -> SeparError:
        """Return the same error with ``where`` prefixed (file name before row, etc.)."""
        joined = f"{where}: {self.where}" if self.where else where
        return SeparError(self.key, where=joined, **self.params)


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
