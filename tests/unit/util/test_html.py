"""The HTML pieces: everything escaped, bars within their box."""

from __future__ import annotations

import math

from hedgesim.util import html_table, svg_share_bars


def test_html_table_escapes_and_aligns() -> None:
    html = html_table(["a", "<b>"], [["<script>", 1.5]], numeric=[False, True])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert '<td style="text-align:right">1.5</td>' in html
    assert "<thead>" not in html_table(["", ""], [["k", "v"]])


def test_svg_bars_draw_each_share_and_skip_nan() -> None:
    svg = svg_share_bars(["a", "b <c>"], [0.5, math.nan], [0.4, math.nan], [0.6, math.nan], ["#111", "#222"])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 1 and "50.0%" in svg and "b &lt;c&gt;" in svg
