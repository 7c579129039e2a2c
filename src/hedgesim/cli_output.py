"""How the command line talks: -q/-v on every command, normal and detail output, input warnings.

Kept apart from :mod:`hedgesim.cli` so each command module can use the same verbosity.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import click

from .errors import InputWarning

__all__ = ["_Command", "_checking", "_detail", "_level", "_say", "_show", "_verbosity_options"]


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: int | bool) -> None:
    """Record -q (level 0) or -v (level 2, 3, ...) for every command of this invocation (ctx.meta is shared)."""
    if param.name == "quiet" and value:
        ctx.meta["hedgesim.verbosity"] = 0
    elif param.name == "verbose" and value:
        ctx.meta["hedgesim.verbosity"] = 1 + int(value)


def _verbosity_options() -> list[click.Option]:
    return [
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_set_verbosity,
            help="Print only what scripts need (results' paths, errors); no progress bar.",
        ),
        click.Option(
            ["-v", "--verbose"],
            count=True,
            expose_value=False,
            callback=_set_verbosity,
            help="Also say what is being done and how long it took.",
        ),
    ]


class _Command(click.Command):
    """Every command takes -q/--quiet and -v/--verbose."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.params.extend(_verbosity_options())


def _level() -> int:
    """0 quiet, 1 normal, 2+ verbose."""
    ctx = click.get_current_context(silent=True)
    return int(ctx.meta.get("hedgesim.verbosity", 1)) if ctx is not None else 1


def _say(message: str, *, err: bool = False) -> None:
    """Normal output: hidden by -q."""
    if _level() >= 1:
        click.echo(message, err=err)


def _detail(message: str) -> None:
    """What -v adds: one line on stderr."""
    if _level() >= 2:
        click.echo(f"hedgesim: {message}", err=True)


@contextlib.contextmanager
def _checking() -> Iterator[list[str]]:
    """Collect the input warnings raised while inputs are checked; :func:`_show` prints them once checks pass."""
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        yield notes
    for w in caught:
        if issubclass(w.category, InputWarning):
            if str(w.message) not in notes:
                notes.append(str(w.message))
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def _show(notes: list[str]) -> None:
    if not _level():
        return
    for note in notes:
        click.echo(f"hedgesim: warning: {' '.join(note.split())}", err=True)


def _scores(predictions: Path) -> str:
    """Mean Brier and log scores per method from a posterior's ``predictions.parquet``, as a table."""
    import pandas as pd

    from .inference import score_table

    scores = score_table(pd.read_parquet(predictions))
    return scores[["method", "cases", "brier", "log"]].to_string(index=False, float_format=lambda v: f"{v:.3f}")
