"""Errors a user can cause, carrying where in their input the problem is.

The CLI turns an :class:`InputError` into one line on stderr (:func:`terminal_message`)
and exit status 2, so every validation path raises this and nothing else.
"""

from __future__ import annotations

import reprlib
from pathlib import Path
from typing import Any

#: Longest message shown for one error: a message that quotes a user's input must not
#: flood the terminal (a multi-megabyte "line" of YAML, say). Messages are cut to this
#: length when the error is made, so the Python API's exceptions are as short as the CLI's.
MAX_MESSAGE = 600
#: Longest quotation of a user's value inside a message.
MAX_QUOTE = 80

_quote = reprlib.Repr()
_quote.maxstring = _quote.maxother = MAX_QUOTE
_quote.maxlist = _quote.maxdict = _quote.maxtuple = _quote.maxset = 6


def quote(value: Any) -> str:
    """``repr(value)`` shortened for a message: a user's value is quoted, never echoed whole."""
    return _quote.repr(value)


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to ``limit`` characters, saying so."""
    return text if len(text) <= limit else text[: limit - 15] + " ... (shortened)"


class InputError(ValueError):
    """A bad user input: names the file, line and field path where known."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = shorten(message)
        self.file = shorten(str(file), 300) if file is not None else None
        self.line = line
        self.field = field
        super().__init__(self.format())

    def format(self) -> str:
        """``file:line: field: message``, with whichever parts are known."""
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class OutOfSpace(InputError):
    """The disk filled up (or a size limit was reached) while writing results; the partial output is removed.

    The CLI prints it as one line and exits 1 (the input was fine; the machine was not).
    """


class InputWarning(UserWarning):
    """An input that runs but probably does not do what was meant (``file:line: field: message``).

    Raised through :func:`warn`; the CLI prints each distinct one as a
    ``hedgesim: warning:`` line once the inputs are checked, Python shows it as a warning.
    """


def warn(message: str, *, file: str | Path | None = None, line: int | None = None, field: str | None = None) -> None:
    """Issue an :class:`InputWarning` located like an :class:`InputError`."""
    import warnings

    where = InputError(message, file=file, line=line, field=field).format()
    warnings.warn(InputWarning(where), stacklevel=2)


class ExprError(InputError):
    """A trigger or rule expression that does not parse or names unknown state."""


def terminal_message(exc: InputError, prog: str = "hedgesim") -> str:
    """The one line the command line prints for ``exc``: one line, capped at :data:`MAX_MESSAGE`."""
    return f"{prog}: error: {shorten(' '.join(exc.format().split()))}"
