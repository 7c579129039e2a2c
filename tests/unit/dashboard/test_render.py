"""The page's HTML: shares, intervals and the loss curve as drawn, marked for tests, colours from the registry."""

from __future__ import annotations

import re

from hedgesim.core import OUTCOMES_BY_SIDE
from hedgesim.dashboard import distribution_html, loss_html, make_settings, summarise


def test_distribution_shows_each_share_with_its_interval_and_key() -> None:
    summary = summarise(make_settings("flank_buildup", {}))
    page = distribution_html(summary)
    assert f'data-key="{summary.key}"' in page and 'data-stale="0"' in page
    shares = dict(re.findall(r'data-outcome="([a-z_]+)" data-share="([0-9.]+)"', page))
    assert list(shares) == [o.key for o in OUTCOMES_BY_SIDE]
    assert [float(v) for v in shares.values()] == [round(r.share, 4) for r in summary.rows]
    for o in OUTCOMES_BY_SIDE:
        assert o.colour in page
    assert 'data-stale="1"' in distribution_html(summary, stale=True)


def test_loss_curve_says_when_neutrality_was_lost() -> None:
    summary = summarise(make_settings("flank_buildup", {}))
    page = loss_html(summary)
    q1, med, q3 = summary.months_to_loss
    assert f"median <b>{med:.0f}</b> (middle half {q1:.0f} to {q3:.0f})" in page
    assert page.count("<polyline") == 1 + sum(max(c) > 0 for _, c in summary.curves)  # each outcome seen, and all
    assert "months from the start" in page
