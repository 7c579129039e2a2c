"""Errors a user can cause, carrying where in their input the problem is.

The CLI turns an :class:`InputError` into one line on stderr (:func:`terminal_message`)
and exit status 2, so every validation path raises this and nothing else.
"""

from __future__ import annotations

from pathlib import Path

#: Longest message shown for one error: a message that quotes a user's input must not
#: flood the terminal (a multi-megabyte "line" of YAML, say).
MAX_MESSAGE = 600


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
        self.message = message
        self.file = str(file) if file is not None else None
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


class ExprError(InputError):
    """A trigger or rule expression that does not parse or names unknown state."""


def terminal_message(exc: InputError, prog: str = "hedgesim") -> str:
    """The one line the command line prints for ``exc``: one line, capped at :data:`MAX_MESSAGE`."""
    text = " ".join(exc.format().split())
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 15] + " ... (shortened)"
    return f"{prog}: error: {text}"
