"""Progress bars for long runs: a widget in a notebook that has ipywidgets, text in a terminal, else none.

``tqdm.auto`` picks the notebook widget whenever it runs in a Jupyter kernel and, when
ipywidgets is missing, warns "IProgress not found" before falling back. Here the widget
is chosen only when ipywidgets can be imported, so a plain Jupyter install gets the
text bar and no warning; outside a notebook the bar is drawn only on a terminal, so logs
and pipes stay clean.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

__all__ = ["in_notebook", "progress_bar"]


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel (IPython's ZMQ shell)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except AttributeError:  # pragma: no cover - an unusual IPython
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def progress_bar(total: int, *, enabled: bool | None = None, **kwargs: Any) -> Any:
    """A tqdm progress bar over ``total`` items.

    ``enabled``: True draws it (text when no widget can be), False never, None (the default)
    only where someone can see it: a notebook, or a terminal on stderr.
    """
    notebook = in_notebook()
    if notebook and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    if enabled is None:
        enabled = notebook or sys.stderr.isatty()
    return tqdm(total=total, disable=not enabled, file=sys.stderr, **kwargs)
