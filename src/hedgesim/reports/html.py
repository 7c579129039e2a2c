"""The pieces of a self-contained HTML report: the page, sections, tables, embedded figures.

A report is one file a colleague can open offline: styles inline, figures embedded as
PNG data, no scripts and no links to anything outside the file.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import yaml
from matplotlib.figure import Figure

from ..ensemble import package_version
from ..plots.style import DPI
from ..util import html_table

_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1100px; margin: 2em auto;
       padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; }
h3 { margin-top: 1.3em; }
table.hedgesim { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
table.hedgesim th, table.hedgesim td { border: 1px solid #ccc; padding: 3px 8px; vertical-align: top; }
table.hedgesim th { background: #f3f3f3; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
.note { color: #555; font-size: 0.92em; } .flag { color: #a93226; }
.summary { background: #eef6ee; border-left: 4px solid #4c956c; padding: 0.6em 1em; }
"""


def page(title: str, sections: Iterable[str]) -> str:
    """A whole HTML document: inline styles, the title, a generated-by line, then the sections."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="note">Generated {stamp} by hedgesim {escape(package_version())}. '
        "Shares carry 95% Wilson intervals unless a section says otherwise.</p>\n"
        f"{body}\n</body>\n</html>\n"
    )


def section(title: str, *parts: str, level: int = 2) -> str:
    """A heading and its parts."""
    return f"<h{level}>{escape(title)}</h{level}>\n" + "\n".join(parts)


def para(text: str, cls: str = "") -> str:
    """A paragraph of escaped text."""
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(text)}</p>"


def bullets(items: Iterable[str]) -> str:
    """An unordered list of escaped items."""
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def figure(fig: Figure, caption: str = "") -> str:
    """A matplotlib figure as an embedded PNG (closed afterwards), with a caption."""
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=DPI)
    finally:
        plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">{cap}</figure>'


def frame(df: pd.DataFrame, digits: int = 3, index: bool = False) -> str:
    """A DataFrame as an escaped HTML table, floats to ``digits`` decimals, numbers right-aligned."""
    d = df.reset_index() if index else df

    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return "" if v != v else f"{v:.{digits}f}"
        return str(v)

    numeric = [pd.api.types.is_numeric_dtype(d[c]) and not pd.api.types.is_bool_dtype(d[c]) for c in d.columns]
    return html_table(
        [str(c) for c in d.columns], ([fmt(v) for v in row] for row in d.itertuples(index=False)), numeric=numeric
    )


def facts(rows: Sequence[tuple[str, Any]]) -> str:
    """A two-column table of what was run."""
    return html_table(["", ""], [(k, "" if v is None else v) for k, v in rows])


def details(summary: str, content: Mapping[str, Any] | str) -> str:
    """A collapsed block: YAML of a mapping (a scenario, a spec), or preformatted text."""
    text = content if isinstance(content, str) else yaml.safe_dump(dict(content), sort_keys=False, allow_unicode=True)
    return f"<details><summary>{escape(summary)}</summary><pre>{escape(text)}</pre></details>"


def versions_line(versions: Mapping[str, Any] | None) -> str:
    """``python 3.11.7, hedgesim 0.1.0, mesa 3.3.1, ...`` from a manifest's versions."""
    return ", ".join(f"{k} {v}" for k, v in (versions or {}).items())
