"""The look shared by every figure: outcome colours (from the outcome registry), new figures, saving."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt  # also sets up the backend (inline in a notebook), so returned figures display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..core import ALL_OUTCOMES
from ..util import save_new

#: Colour of each outcome, by label and by key (one source: :mod:`hedgesim.core.vocabulary`).
COLOURS: dict[str, str] = {**{o.label: o.colour for o in ALL_OUTCOMES}, **{o.key: o.colour for o in ALL_OUTCOMES}}
FALLBACK_COLOUR = "#888888"
DPI = 120


def colour(outcome: str) -> str:
    """The colour of an outcome given by key or label (grey for anything else)."""
    return COLOURS.get(str(outcome), FALLBACK_COLOUR)


def subplots(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float], **kwargs: Any) -> tuple[Figure, Any]:
    """``plt.subplots`` without pyplot: the figure belongs to the caller, not to pyplot's list.

    A notebook then shows a returned figure once (not again when pyplot flushes its
    figures at the end of the cell), and a long script or server frees it when dropped.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)  # a canvas that can render (some drawing code asks it for a renderer)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def short_name(param: str) -> str:
    """``actors.Russia.rule.params.coercion`` -> ``Russia.coercion``, for axis labels."""
    m = re.fullmatch(r"actors\.([^.]+)\.(?:state|rule\.params)\.(.+)", param)
    if m:
        return f"{m.group(1)}.{m.group(2)}"
    return re.sub(r"^(parameters|mechanisms|outcomes)\.", "", param)


def slug(name: str) -> str:
    """A file-name-safe version of a parameter or outcome name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "param"


def save_figure(fig: Figure, folder: Path, stem: str) -> Path:
    """Save ``fig`` as ``folder/stem.png`` (or ``stem-2.png``...: never replacing a file) and close it."""
    try:
        return save_new(folder, stem, ".png", lambda p: fig.savefig(p, dpi=DPI))
    finally:
        plt.close(fig)
