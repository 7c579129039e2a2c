"""The page's pictures as plain HTML and SVG: no front-end library, no CDN, quick to redraw.

Outcome colours come from the outcome registry (:mod:`hedgesim.core.vocabulary`), as in
every figure. Elements carry ``data-`` attributes (the settings' key, shares, the story's
month count) so a test can read what the page shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from ..core import outcome
from .compute import Summary
from .storymodel import Month

__all__ = ["MINOR_POSTURE", "distribution_html", "loss_html", "story_html"]

#: Posture adjustments (deployments, drawdowns) smaller than this are counted, not told, in the story.
MINOR_POSTURE = 0.02

_ROW = (
    '<div class="hs-row" data-outcome="{key}" data-share="{share:.4f}" '
    'style="display:flex;align-items:center;margin:5px 0">'
    '<div style="width:140px;font-size:12px">{label}</div>'
    '<div style="position:relative;flex:1;height:20px;background:#eee" '
    'title="{label}: {share:.1%} of replicates, 95% interval {lo:.1%} to {hi:.1%}">'
    '<div style="position:absolute;left:0;top:0;bottom:0;width:{width:.2f}%;background:{colour}"></div>'
    '<div style="position:absolute;top:9px;height:2px;left:{left:.2f}%;width:{span:.2f}%;background:#000"></div>'
    '<div style="position:absolute;top:4px;height:12px;width:2px;left:{left:.2f}%;background:#000"></div>'
    '<div style="position:absolute;top:4px;height:12px;width:2px;left:calc({right:.2f}% - 2px);background:#000"></div>'
    "</div>"
    '<div style="width:150px;text-align:right;font:11px monospace;white-space:pre">'
    "{share:6.1%} [{lo:.1%}, {hi:.1%}]</div>"
    "</div>"
)


def distribution_html(summary: Summary, stale: bool = False) -> str:
    """Outcome shares as bars with their 95% Wilson intervals (dimmed while a new one is computed)."""
    rows = "".join(
        _ROW.format(
            key=escape(r.key),
            label=escape(r.label),
            colour=escape(r.colour),
            share=r.share,
            lo=r.lo,
            hi=r.hi,
            width=100 * r.share,
            left=100 * r.lo,
            span=100 * (r.hi - r.lo),
            right=100 * r.hi,
        )
        for r in summary.rows
    )
    return (
        f'<div class="hs-dist" data-key="{escape(summary.key)}" data-stale="{int(stale)}" '
        f'style="opacity:{0.45 if stale else 1};transition:opacity .1s">'
        f'<div style="font-size:13px;margin-bottom:6px">Outcome at month {len(summary.curves[0][1]) - 1} '
        f"of {summary.replicates:,} replicates of <b>{escape(summary.scenario)}</b> "
        f'<span style="color:#777">(computed in {summary.seconds * 1000:.0f} ms)</span></div>{rows}'
        '<div style="font-size:11px;color:#555;margin-top:4px">bar: share of replicates; '
        "black whisker: 95% Wilson interval (Monte Carlo error only)</div></div>"
    )


def _polyline(values: Sequence[float], width: float, height: float, pad: float) -> str:
    n = max(len(values) - 1, 1)
    return " ".join(f"{pad + width * i / n:.1f},{pad + height * (1 - v):.1f}" for i, v in enumerate(values))


def loss_html(summary: Summary) -> str:
    """Time to loss of neutrality: the share lost, the months it took, and the cumulative curve by outcome."""
    share, lo, hi = summary.lost
    if summary.months_to_loss is None:
        text = f"Neutrality kept in every replicate (the 95% interval of the share lost reaches {hi:.1%})."
    else:
        q1, med, q3 = summary.months_to_loss
        text = (
            f"Neutrality lost in <b>{share:.1%}</b> [{lo:.1%}, {hi:.1%}] of replicates; month of loss: "
            f"median <b>{med:.0f}</b> (middle half {q1:.0f} to {q3:.0f})."
        )
    width, height, pad = 420.0, 150.0, 30.0
    months = (len(summary.curves[0][1]) - 1) * summary.month
    total = [sum(c[1][i] for c in summary.curves) for i in range(len(summary.curves[0][1]))]
    top = 1.0 if max(total) > 0.5 else max(0.05, math.ceil(max(total) * 11) / 10)
    scaled = [(key, [v / top for v in values]) for key, values in summary.curves]
    lines = "".join(
        f'<polyline fill="none" stroke="{escape(outcome(key).colour)}" stroke-width="2" '
        f'points="{_polyline(values, width, height, pad)}"><title>{escape(outcome(key).label)}</title></polyline>'
        for key, values in scaled
        if max(values) > 0
    )
    lines += (
        f'<polyline fill="none" stroke="#000" stroke-dasharray="4 3" stroke-width="1.5" '
        f'points="{_polyline([v / top for v in total], width, height, pad)}"><title>all</title></polyline>'
    )
    ticks = "".join(
        f'<text x="{pad + width * m / months:.1f}" y="{pad + height + 14}" font-size="10" '
        f'text-anchor="middle">{m}</text>'
        for m in range(0, months + 1, 24 if months > 48 else 12)
    )
    full_width, full_height = width + 2 * pad + 10, height + 2 * pad + 12
    svg = (
        f'<svg class="hs-loss-curve" viewBox="0 0 {full_width:.0f} {full_height:.0f}" width="100%" '
        f'style="max-width:{full_width:.0f}px" role="img" '
        'aria-label="cumulative share of replicates that lost neutrality, by month">'
        f'<rect x="{pad}" y="{pad}" width="{width}" height="{height}" fill="#fafafa" stroke="#999"/>{lines}{ticks}'
        f'<text x="{pad - 4}" y="{pad + 4}" font-size="10" text-anchor="end">{top:.0%}</text>'
        f'<text x="{pad - 4}" y="{pad + height}" font-size="10" text-anchor="end">0</text>'
        f'<text x="{pad + width / 2}" y="{pad + height + 27}" font-size="11" text-anchor="middle">'
        "months from the start</text>"
        f'<text x="{pad}" y="{pad - 8}" font-size="11">share of replicates that lost neutrality by then</text></svg>'
    )
    legend = " ".join(
        f'<span style="color:{escape(outcome(key).colour)}">&#9644; {escape(outcome(key).label)}</span>'
        for key, _ in summary.curves
    )
    return (
        f'<div class="hs-loss" data-key="{escape(summary.key)}"><div style="font-size:13px">{text}</div>{svg}'
        f'<div style="font-size:11px">{legend} <span>&#9476; all</span></div></div>'
    )


def _moves(month: Month) -> str:
    items, minor = [], list(month.continuing)
    for actor, move, target, intensity, origin, why in month.moves:
        if intensity < MINOR_POSTURE and move in ("deployment", "drawdown"):
            minor.append(f"{actor} {move}")
            continue
        arrow = f" &rarr; {escape(target)}" if target else ""
        items.append(
            f'<span title="{escape(why)} ({escape(origin)})"><b>{escape(actor)}</b>{arrow}: {escape(move)} '
            f'<span style="color:#777">({escape(origin)})</span></span>'
        )
    if minor:
        items.append(
            f'<span style="color:#777" title="{escape("; ".join(minor))}">+{len(minor)} continuing or minor</span>'
        )
    return "; ".join(items) or "&ndash;"


def story_html(replicate: int, scenario: str, horizon: int, months: Sequence[Month], rows: int = 12) -> str:
    """The story replicate: where it stands, and the last ``rows`` months, newest first."""
    last = months[-1] if months else None
    if last is None:
        head = f"Month 0 of {horizon}: press Step (sidebar) to advance one month, or Play."
    else:
        head = (
            f"Month {last.step} of {horizon} ({escape(last.date)}): alignment {last.alignment:+.2f}, "
            f"tension {last.tension:.2f}, outcome: <b>{escape(last.outcome)}</b>"
        )
    body = "".join(
        f'<tr class="hs-story-row{" hs-decided" if m.decided else ""}"><td>{escape(m.date)}</td>'
        f"<td>{m.alignment:+.2f}</td><td>{m.tension:.2f}</td><td>"
        + (f"<b>OUTCOME: {escape(m.outcome)}</b>. " if m.decided else "")
        + f"{_moves(m)}</td></tr>"
        for m in list(months)[-rows:][::-1]
    )
    return (
        f'<div class="hs-story" data-steps="{len(months)}" data-replicate="{replicate}">'
        f'<div class="hs-story-head" style="font-size:13px;margin-bottom:6px">{head}</div>'
        "<style>.hs-story td,.hs-story th{padding:2px 6px;text-align:left;vertical-align:top}"
        ".hs-decided{background:#fff3cd}</style>"
        '<table style="font-size:12px;border-collapse:collapse"><tr><th>month</th><th>alignment</th>'
        f"<th>tension</th><th>who did what (and why: hover)</th></tr>{body}</table>"
        f'<div style="font-size:11px;color:#555;margin-top:4px">replicate {replicate} of {escape(scenario)}: '
        "the same random stream as that replicate of the ensemble; alignment -1 patron, +1 bloc</div></div>"
    )
