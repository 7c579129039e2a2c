"""The one Markdown table helper, used by every generated document and table file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any


def md_cell(text: Any) -> str:
    """One table cell: a single line (whitespace runs collapsed), with pipes escaped."""
    return " ".join(str(text).split()).replace("|", r"\|")


def md_table(header: Sequence[Any], rows: Iterable[Sequence[Any]], cell: Callable[[Any], str] = md_cell) -> list[str]:
    """A Markdown table as lines: header, separator and one line per row, each cell through ``cell``."""
    lines = ["| " + " | ".join(str(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines
