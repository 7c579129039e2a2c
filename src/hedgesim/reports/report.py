"""``hedgesim report DIR...``: one self-contained HTML file for a run, a sweep or a comparison.

It says what was run (manifest, resolved scenario or sweep, versions), the outcome table,
the figures, time to outcome, and for sweeps the flagged sensitivity indices and what
scenario discovery finds. Several run folders make a comparison of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from ..analysis import FLAG_MEANINGS, FLAGS, comparison_cells, survival_table
from ..core import OUTCOMES_BY_SIDE
from ..ensemble import Results
from ..errors import InputError
from ..plots import (
    outcomes_figure,
    parameter_figure,
    phase_figure,
    sensitivity_figure,
    survival_figure,
    survival_points_figure,
    trajectories_figure,
)
from ..studies import Comparison, compare, discover, folder_kind
from ..studies.discovery import MAX_ROWS
from ..sweep import SweepResults
from ..util import html_table, save_new, write_file
from .html import bullets, details, facts, figure, frame, page, para, section, versions_line

#: At most this many parameters get a shares figure in a sweep report.
MAX_PARAMETER_FIGURES = 8
STEPS = (12, 36, 60, 120)


def _run_facts(res: Results) -> list[tuple[str, object]]:
    m = res.manifest
    return [
        ("scenario", res.scenario.name),
        ("description", res.scenario.description),
        ("replicates", f"{len(res.runs):,}"),
        ("seed", res.scenario.seed),
        ("horizon", f"{res.scenario.horizon} steps of {res.scenario.step_months} month(s) from {res.scenario.start}"),
        ("record", m.get("record", "steps" if res.steps is not None else "summary")),
        ("created", m.get("created_utc")),
        ("command", " ".join(m.get("command") or [])),
        ("git revision", m.get("git_revision")),
        ("versions", versions_line(m.get("versions"))),
        ("folder", str(res.folder) if res.folder else "(in memory)"),
    ]


def _survival_section(res: Results) -> str:
    table = survival_table(res.runs, times=STEPS)
    return section(
        "Time to outcome",
        figure(survival_figure(res), "Kaplan-Meier of neutrality and cumulative incidence of each outcome"),
        para("At chosen steps: P(neutrality still held) and P(each outcome by then), with 95% intervals."),
        frame(table),
    )


def run_report(res: Results) -> str:
    """The report of one run."""
    shares = res.outcome_shares(by_side=True)
    parts = [
        section("What was run", facts(_run_facts(res))),
        section("Outcomes", frame(shares, index=True), figure(outcomes_figure(res), "Outcome shares")),
        _survival_section(res),
    ]
    if res.steps is not None:
        parts.append(section("Trajectories", figure(trajectories_figure(res), "Median, 50% and 90% bands by outcome")))
    parts.append(section("Resolved scenario", details("the scenario as run (YAML)", res.scenario.to_dict())))
    return page(f"Run: {res.scenario.name}", parts)


def _sensitivity_section(res: SweepResults) -> str:
    table = res.sensitivity(flags=True)
    indices = (
        ["S1", "S1_conf", "ST", "ST_conf"] if res.design == "sobol" else ["mu", "mu_star", "mu_star_conf", "sigma"]
    )
    shown = table[["outcome", "parameter", *indices, "flags"]]
    raised = [f for f in FLAGS if f in table.columns and table[f].astype(bool).any()]
    legend = bullets(f"{FLAGS[f]}: {FLAG_MEANINGS[f]}" for f in raised) if raised else para("No index is flagged.")
    return section(
        f"Sensitivity ({res.design})",
        para("Indices of each outcome's probability with 95% bootstrap intervals; a flagged index should not be read."),
        frame(shown),
        legend,
        figure(sensitivity_figure(res, table), "Sensitivity indices; hatched or hollow: flagged"),
    )


def _discovery_section(res: SweepResults) -> str:
    level = "runs" if int(res.summary["n"].sum()) <= MAX_ROWS else "points"
    parts = []
    total = res.summary["n"].sum()
    for key in ("escalation", "bandwagoning"):
        share = res.summary[f"{key}_n"].sum() / total if total else 0
        if not 0.01 <= share <= 0.99:
            parts.append(para(f"{key}: in {share:.1%} of runs, too rare or too common to look for a region.", "note"))
            continue
        found = discover(res, key, level=level)
        parts += [section(key, f'<p class="summary">{escape(found.summary)}</p>', level=3)]
        parts.append(frame(found.box_table()[["parameter", "min", "max", "range_min", "range_max"]]))
        parts.append(figure(found.tradeoff_figure(), f"PRIM trajectory for {key}: coverage against density"))
        if found.tree is not None:
            parts.append(figure(found.cart_figure(), f"CART tree for {key}"))
        parts += [para(n, "note") for n in found.notes]
    return section("Scenario discovery", para(f"PRIM (and CART) at the {level} level."), *parts)


def sweep_report(res: SweepResults) -> str:
    """The report of one finished sweep."""
    m = res.manifest
    n = int(res.summary["n"].sum())
    rows = [
        ("sweep", m["name"]),
        ("design", f"{res.design}: {len(res.points):,} points x {int(m['replicates']):,} replicates = {n:,} runs"),
        ("parameters", ", ".join(res.params)),
        ("seed", m.get("seed")),
        ("created", m.get("created_utc")),
        ("command", " ".join(m.get("command") or [])),
        ("git revision", m.get("git_revision")),
        ("versions", versions_line(m.get("versions"))),
        ("folder", str(res.folder)),
    ]
    overall = []
    for o in OUTCOMES_BY_SIDE:
        k = int(res.summary[f"{o.key}_n"].sum())
        overall.append((o.label, f"{k / n:.1%}" if n else "", f"{k:,}"))
    parts = [
        section("What was run", facts(rows)),
        section(
            "Outcomes over the whole design",
            html_table(["outcome", "share", "runs"], overall, numeric=[False, True, True]),
        ),
    ]
    if res.failures:
        parts.append(para(f"{len(res.failures)} chunk(s) failed; their points have fewer runs.", "flag"))
    figs = [figure(parameter_figure(res, p), f"Shares along {p}") for p in res.params[:MAX_PARAMETER_FIGURES]]
    if len(res.params) >= 2:
        figs.append(figure(phase_figure(res, res.params[0], res.params[1], outcome=None), "Phase diagram"))
    parts.append(section("Shares along the parameters", *figs))
    parts.append(
        section(
            "Time to outcome by point", figure(survival_points_figure(res), "Five points along the first parameter")
        )
    )
    if res.supports_sensitivity:
        parts.append(_sensitivity_section(res))
    parts.append(_discovery_section(res))
    parts.append(
        section(
            "Resolved sweep",
            details("the sweep specification (YAML)", m.get("spec", {})),
            details("the base scenario (YAML)", m.get("base_scenario", {})),
        )
    )
    return page(f"Sweep: {m['name']}", parts)


def comparison_report(cmp: Comparison) -> str:
    """The report of a comparison."""
    header, rows = comparison_cells(cmp.table)
    parts = [
        section(
            "What was compared",
            bullets(
                f"{n}: {len(r.runs):,} replicates, seed {r.scenario.seed}, from {s}"
                for (n, r), s in zip(cmp.results.items(), cmp.sources or [""] * len(cmp.names), strict=True)
            ),
            bullets(cmp.notes()),
        ),
        section(
            f"Outcomes and differences against {cmp.reference}",
            html_table(header, rows, numeric=[False] + [True] * (len(header) - 1)),
            para(
                "Differences in percentage points; paired intervals (Newcombe) where the runs share common "
                "random numbers."
            ),
            figure(cmp.figure(), "Shares and differences"),
        ),
        section(
            "Time to outcome",
            figure(cmp.survival_figure(), "Survival and competing risks"),
            frame(cmp.survival_table()),
        ),
    ]
    for name, res in cmp.results.items():
        parts.append(
            section(name, facts(_run_facts(res)), details("resolved scenario (YAML)", res.scenario.to_dict()), level=3)
        )
    return page(f"Comparison: {', '.join(cmp.names)}", parts)


def render_report(targets: Sequence[str | Path]) -> str:
    """The HTML of a report on one run, sweep or comparison folder, or a comparison of several run folders.

    Raises:
        InputError: no folder, a folder hedgesim did not write, or several that are not all runs.
    """
    paths = [Path(t) for t in targets]
    if not paths:
        raise InputError("give a run, sweep or comparison folder", field="DIR")
    kinds = [folder_kind(p) for p in paths]
    for p, k in zip(paths, kinds, strict=True):
        if k is None:
            raise InputError("not a hedgesim run, sweep or comparison folder (no manifest.json of theirs)", file=p)
    if len(paths) > 1:
        if any(k != "run" for k in kinds):
            raise InputError("several folders make a comparison: give run folders only", field="DIR")
        return comparison_report(compare(*paths))
    kind = kinds[0]
    if kind == "run":
        return run_report(Results.load(paths[0]))
    if kind == "sweep":
        return sweep_report(SweepResults.load(paths[0]))
    return comparison_report(Comparison.load(paths[0]))


def write_report(targets: Sequence[str | Path], out: str | Path | None = None) -> Path:
    """Write the report as one HTML file; return its path.

    ``out`` defaults to ``DIR/report.html`` (``report-2.html``... if taken) for one folder,
    and ``results/reports/report-<UTC time>.html`` for several. An existing ``out`` is never replaced.

    Raises:
        InputError: bad targets (see :func:`render_report`), or ``out`` exists.
    """
    text = render_report(targets)
    if out is not None:
        try:
            return write_file(out, text)
        except FileExistsError:
            raise InputError(f"{out} already exists; reports are never overwritten", file=out, field="--out") from None
    if len(targets) == 1:
        return save_new(Path(targets[0]), "report", ".html", lambda p: Path(p).write_text(text, encoding="utf-8"))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return save_new(
        Path("results") / "reports", f"report-{stamp}", ".html", lambda p: Path(p).write_text(text, encoding="utf-8")
    )
