"""Small HTML pieces for notebooks and reports: escaped tables and share bars drawn as inline SVG.

Results show themselves in Jupyter (``_repr_html_``) without importing matplotlib: the
results layers know nothing of figures, so a thumbnail of outcome shares is a few SVG
rectangles written here from plain numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any


def html_table(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, numeric: Sequence[bool] = ()) -> str:
    """A plain HTML table, every cell escaped; ``numeric`` columns are right-aligned; no head row if all are empty."""
    align = list(numeric) + [False] * (len(header) - len(numeric))

    def cell(tag: str, value: Any, right: bool) -> str:
        style = ' style="text-align:right"' if right else ""
        return f"<{tag}{style}>{escape(str(value))}</{tag}>"

    head = "".join(cell("th", h, r) for h, r in zip(header, align, strict=True))
    body = "".join(
        "<tr>" + "".join(cell("td", v, r) for v, r in zip(row, align, strict=True)) + "</tr>" for row in rows
    )
    thead = f"<thead><tr>{head}</tr></thead>" if any(str(h) for h in header) else ""
    return f'<table class="hedgesim">{thead}<tbody>{body}</tbody></table>'


def svg_share_bars(
    labels: Sequence[str],
    shares: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    colours: Sequence[str],
    *,
    width: int = 320,
    bar: int = 14,
) -> str:
    """Horizontal bars of shares (0 to 1) with interval whiskers, as one inline ``<svg>``.

    Each row: its label, a bar in its colour, a black whisker from low to high, the share
    in per cent. Values outside [0, 1] or NaN draw nothing for that part.
    """
    label_w, text_w = 150, 48
    plot_w = width - label_w - text_w
    gap = 6
    height = len(labels) * (bar + gap) + gap

    def x(v: float) -> float:
        return label_w + plot_w * min(max(float(v), 0.0), 1.0)

    parts = [
        f'<svg width="{width}" height="{height}" role="img" aria-label="outcome shares" style="font: 11px sans-serif">',
        f'<line x1="{label_w}" y1="0" x2="{label_w}" y2="{height}" stroke="#999" stroke-width="1"/>',
    ]
    for i, (label, s, lo, hi, c) in enumerate(zip(labels, shares, lows, highs, colours, strict=True)):
        y = gap + i * (bar + gap)
        mid = y + bar / 2
        parts.append(f'<text x="{label_w - 4}" y="{mid + 4:.1f}" text-anchor="end">{escape(str(label))}</text>')
        if s == s:  # not NaN
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{x(s) - label_w:.1f}" height="{bar}" fill="{escape(c)}"/>'
            )
            parts.append(f'<text x="{label_w + plot_w + 4}" y="{mid + 4:.1f}">{100 * float(s):.1f}%</text>')
        if lo == lo and hi == hi:
            parts.append(
                f'<line x1="{x(lo):.1f}" y1="{mid:.1f}" x2="{x(hi):.1f}" y2="{mid:.1f}" '
                'stroke="black" stroke-width="1.5"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def html_block(title: str, body: str, note: str = "") -> str:
    """A titled block for ``_repr_html_``: a bold title line, the body, and a small note under it."""
    small = f'<div style="color:#666;font-size:90%">{escape(note)}</div>' if note else ""
    return f'<div class="hedgesim-repr"><div><b>{escape(title)}</b></div>{body}{small}</div>'
