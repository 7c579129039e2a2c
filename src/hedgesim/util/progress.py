"""Progress bars: tqdm's notebook widget where it can be drawn, its text bar elsewhere."""

from __future__ import annotations

from typing import Any


def progress_bar(**kwargs: Any) -> Any:
    """A ``tqdm`` progress bar: a widget in a notebook with ipywidgets, else the text bar.

    ``tqdm.auto`` falls back to the text bar by itself in a notebook without ipywidgets,
    but prints an "IProgress not found" warning first; this picks the text bar quietly.
    """
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        from tqdm.std import tqdm
    else:
        from tqdm.auto import tqdm
    return tqdm(**kwargs)
