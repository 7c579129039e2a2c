"""The analysis commands of the ``hedgesim`` command line: compare, survival, discover, report, export, ema.

Click only, as in :mod:`hedgesim.cli` (which registers these on its group): each command
checks its options, calls one function of the layers below and prints where it wrote.
An :class:`~hedgesim.errors.InputError` becomes one line on stderr and exit status 2.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from .errors import InputError

_TARGETS = click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TARGET...")
_REPLICATES = click.option(
    "--replicates", "-n", type=int, help="Replicates of each scenario file (default: the scenario's)."
)
_SEED = click.option("--seed", type=int, help="Seed of each scenario file (default: the scenario's).")


def _default_folder(root: Path, kind: str) -> Path:
    from .ensemble import free_folder

    return free_folder(root / kind, datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))


def _fresh(out: Path) -> Path:
    if out.exists() or out.is_symlink():
        raise InputError(f"{out} already exists; results are never overwritten (choose another --out)", file=out)
    return out


@click.command()
@_TARGETS
@_REPLICATES
@_SEED
@click.option("--outcome", "outcomes", multiple=True, help="Compare only this outcome (repeatable; default: all).")
@click.option("--out", type=click.Path(path_type=Path), help="New folder (default: results/comparisons/<UTC time>/).")
@click.option("--results-root", type=click.Path(path_type=Path), default=Path("results"), show_default=True)
def compare(
    targets: tuple[Path, ...],
    replicates: int | None,
    seed: int | None,
    outcomes: tuple[str, ...],
    out: Path | None,
    results_root: Path,
) -> None:
    """Compare scenario files or run folders with the first: shares, differences, intervals, figures.

    Runs that share common random numbers with the first (same seed, replicates, actors,
    roles and rules) get paired intervals; the output says which are paired and why.
    Writes comparison.csv, comparison.md, survival.csv, figures/ and the runs to a new folder.
    """
    from .studies import compare as run_compare

    folder = _fresh(out) if out is not None else _default_folder(results_root, "comparisons")
    cmp = run_compare(*targets, replicates=replicates, seed=seed, outcomes=list(outcomes) or None)
    path = cmp.save(folder, command=["hedgesim", *sys.argv[1:]])
    click.echo(cmp.markdown())
    click.echo(f"results: {path}")


@click.command()
@_TARGETS
@_REPLICATES
@_SEED
@click.option("--point", "points", multiple=True, type=int, help="Sweep: this design point (repeatable).")
@click.option("--param", help="Sweep: five points spread along this parameter (default: the first).")
@click.option("--out", type=click.Path(path_type=Path), help="Folder for the table and figure (see below).")
def survival(
    targets: tuple[Path, ...],
    replicates: int | None,
    seed: int | None,
    points: tuple[int, ...],
    param: str | None,
    out: Path | None,
) -> None:
    """Time to loss of neutrality and to each outcome, by scenario or run folder, or by point of one sweep.

    Writes survival.csv (P(still neutral) and P(each outcome) at 12, 36, 60 and 120 steps),
    survival_curves.csv and figures/survival.png: into the folder when given one run or
    sweep folder (never replacing a file), else into --out or results/survival/<UTC time>/.
    """
    from .studies import folder_kind
    from .studies import survival as run_survival

    study = run_survival(*targets, points=list(points) or None, param=param, replicates=replicates, seed=seed)
    if out is None:
        one = len(targets) == 1 and folder_kind(targets[0]) in ("run", "sweep")
        out = targets[0] if one else _default_folder(Path("results"), "survival")
    for path in study.save(out):
        click.echo(f"wrote: {path}")
    click.echo(study.table().to_string(index=False, float_format=lambda v: f"{v:.3f}"))


@click.command()
@click.argument("folder", metavar="SWEEP_DIR", type=click.Path(path_type=Path))
@click.option("--outcome", default="escalation", show_default=True, help="The outcome whose region to find.")
@click.option("--threshold", type=float, default=0.8, show_default=True, help="Density PRIM's box should reach.")
@click.option("--level", type=click.Choice(["runs", "points"]), default="runs", show_default=True)
@click.option("--point-threshold", type=float, default=0.5, show_default=True, help="--level points: share for a case.")
@click.option("--engine", type=click.Choice(["numpy", "ema"]), default="numpy", show_default=True, help="PRIM engine.")
@click.option("--box", type=int, help="Describe this box of the trajectory instead of the selected one.")
@click.option(
    "--cart/--no-cart", "cart_tree", default=None, help="CART tree (default: when scikit-learn is installed)."
)
@click.option("--max-depth", type=int, default=3, show_default=True, help="Depth of the CART tree.")
def discover(
    folder: Path,
    outcome: str,
    threshold: float,
    level: str,
    point_threshold: float,
    engine: str,
    box: int | None,
    cart_tree: bool | None,
    max_depth: int,
) -> None:
    """Scenario discovery on a sweep: where in the parameter space OUTCOME concentrates (PRIM, CART).

    Prints a plain-language summary and writes discovery_<outcome>.md, prim_<outcome>.csv
    and figures (trade-off, tree) into SWEEP_DIR, never replacing a file.
    """
    from .studies import discover as run_discover

    if max_depth < 1:
        raise InputError(f"--max-depth must be at least 1, got {max_depth}", field="--max-depth")
    found = run_discover(
        folder,
        outcome,
        threshold=threshold,
        level=level,
        point_threshold=point_threshold,
        engine=engine,
        cart_tree=cart_tree,
        max_depth=max_depth,
    )
    if box is not None:
        found.select(box)
    click.echo(found.summary)
    for note in found.notes:
        click.echo(note)
    for path in found.save():
        click.echo(f"wrote: {path}")


@click.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="DIR...")
@click.option(
    "--out", type=click.Path(path_type=Path), help="The HTML file (default: DIR/report.html; never replaced)."
)
def report(folders: tuple[Path, ...], out: Path | None) -> None:
    """One self-contained HTML report of a run, sweep or comparison folder (several run folders: compared).

    Figures are embedded; the file has no links outside itself.
    """
    from .reports import write_report

    click.echo(f"wrote: {write_report(list(folders), out)}")


@click.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="New folder (default: DIR/csv, or DIR/csv-2...).")
def export(folder: Path, fmt: str, out: Path | None) -> None:
    """Write a run's or sweep's tables as CSV into a new folder (streamed: bounded memory)."""
    from .ensemble import Results
    from .studies import folder_kind
    from .sweep import SweepResults

    kind = folder_kind(folder)
    if kind == "run":
        path = Results.load(folder).export(out, fmt)
    elif kind == "sweep":
        path = SweepResults.load(folder).export(out, fmt)
    else:
        raise InputError("not a run or sweep folder (no manifest.json of theirs)", file=folder)
    click.echo(f"wrote: {path}")


@click.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--uncertainty", "uncertainties", multiple=True, required=True, metavar="PATH=LO:HI|PATH=a,b")
@click.option("--lever", "levers", multiple=True, metavar="PATH=LO:HI|PATH=a,b")
@click.option("--set", "fixed", multiple=True, metavar="PATH=VALUE", help="Fixed override at every experiment.")
@click.option("--scenarios", "n_scenarios", type=int, default=20, show_default=True, help="Sampled uncertainties.")
@click.option("--policies", "n_policies", type=int, default=0, show_default=True, help="Sampled levers.")
@click.option("--replicates", "-n", type=int, default=200, show_default=True, help="Replicates per experiment.")
@click.option("--seed", type=int, help="Model seed (default: the scenario's); the same at every experiment.")
@click.option("--sample-seed", type=int, default=20190222, show_default=True, help="Seed of EMA's sampler.")
@click.option("--workers", type=int, help="EMA's MultiprocessingEvaluator with N processes (default: sequential).")
@click.option("--out", type=click.Path(path_type=Path), help="New folder (default: results/ema/<UTC time>/).")
def ema(
    scenario: Path,
    uncertainties: tuple[str, ...],
    levers: tuple[str, ...],
    fixed: tuple[str, ...],
    n_scenarios: int,
    n_policies: int,
    replicates: int,
    seed: int | None,
    sample_seed: int,
    workers: int | None,
    out: Path | None,
) -> None:
    """Run SCENARIO under EMA Workbench (hedgesim[ema]): sampled uncertainties and levers, EMA's evaluator.

    Writes experiments.csv (parameters and outcome shares per experiment) and
    feature_scores.csv to a new folder.
    """
    from . import ema as interop
    from .ensemble import export_tables

    folder = _fresh(out) if out is not None else _default_folder(Path("results"), "ema")
    model = interop.build_model(scenario, uncertainties, levers, replicates=replicates, seed=seed, fixed=fixed)
    evaluator = "multiprocessing" if workers and workers > 1 else "sequential"
    experiments, outcomes = interop.run_experiments(
        model, n_scenarios, n_policies, seed=sample_seed, evaluator=evaluator, n_processes=workers
    )
    tables = {"experiments": interop.experiments_frame(model, experiments, outcomes)}
    try:
        tables["feature_scores"] = interop.feature_scores(experiments, outcomes).reset_index()
    except InputError as exc:
        click.echo(f"no feature scores: {exc.message}", err=True)
    manifest = {"format": "hedgesim-ema/1", "scenario": str(scenario), "command": ["hedgesim", *sys.argv[1:]]}
    path = export_tables(tables, folder, manifest=manifest)
    click.echo(tables["experiments"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    click.echo(f"results: {path}")


COMMANDS = (compare, survival, discover, report, export, ema)
