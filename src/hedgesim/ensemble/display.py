"""How results show themselves in a notebook: a summary table, sizes and outcome bars, in plain HTML.

No matplotlib here (results know nothing of figures): the thumbnail is inline SVG drawn
from the share table, in the outcome registry's colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd

from ..core import ALL_OUTCOMES
from ..util import html_block, html_table, svg_share_bars

_COLOURS = {**{o.label: o.colour for o in ALL_OUTCOMES}, **{o.key: o.colour for o in ALL_OUTCOMES}}


def shares_html(shares: pd.DataFrame, level: float = 0.95) -> str:
    """A share table (``n, share, lo, hi`` indexed by outcome) as an HTML table next to SVG bars."""
    labels = [str(i) for i in shares.index]
    pct = round(100 * level)
    rows = [
        (label, f"{r['share']:.1%}", f"[{r['lo']:.1%}, {r['hi']:.1%}]", f"{int(r['n']):,}")
        for label, (_, r) in zip(labels, shares.iterrows(), strict=True)
    ]
    table = html_table(["outcome", "share", f"{pct}% interval", "runs"], rows, numeric=[False, True, True, True])
    bars = svg_share_bars(
        labels,
        shares["share"].tolist(),
        shares["lo"].tolist(),
        shares["hi"].tolist(),
        [_COLOURS.get(label, "#888888") for label in labels],
    )
    return f'<div style="display:flex;gap:1.5em;align-items:flex-start">{table}{bars}</div>'


def facts_line(facts: Sequence[tuple[str, object]]) -> str:
    """``name: value`` pairs joined into one line."""
    return "; ".join(f"{k}: {v}" for k, v in facts)


def results_html(title: str, facts: Sequence[tuple[str, object]], shares: pd.DataFrame, note: str = "") -> str:
    """The whole ``_repr_html_`` block: title, a line of sizes, the shares as a table and bars."""
    return html_block(title, f"<div>{escape(facts_line(facts))}</div>" + shares_html(shares), note)
