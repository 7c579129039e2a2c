"""The ``hedgesim`` command line.

Every user error becomes one line on stderr and exit status 2; nothing is
written before the inputs have been checked.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import InputError


class _Group(click.Group):
    """Turn InputError anywhere below into a clean message and exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"hedgesim: error: {exc.format()}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("hedgesim: interrupted; nothing was written for the unfinished work", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hedgesim")
def main() -> None:
    """Simulate a small state hedging between a patron and rival blocs."""


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--replicates", "-n", type=int, help="Replicates (default: the scenario's).")
@click.option("--seed", type=int, help="Seed (default: the scenario's).")
@click.option("--out", type=click.Path(path_type=Path), help="New folder for the results "
              "(default: results/<scenario>/<UTC timestamp>/).")
@click.option("--set", "overrides", multiple=True, metavar="PATH=VALUE",
              help="Override a scenario field, e.g. actors.Russia.state.posture=0.5 (repeatable).")
@click.option("--record", type=click.Choice(["summary", "steps"]), default="summary", show_default=True,
              help="steps also writes steps.parquet, moves.parquet and the trajectories figure.")
@click.option("--results-root", type=click.Path(path_type=Path), default=Path("results"), show_default=True,
              help="Where default result folders go.")
@click.option("--no-figures", is_flag=True, help="Skip the figures.")
def run(scenario: Path, replicates: int | None, seed: int | None, out: Path | None, overrides: tuple[str, ...],
        record: str, results_root: Path, no_figures: bool) -> None:
    """Run SCENARIO as an ensemble and write a new results folder."""
    from .results import new_run_folder
    from .runner import check_size, run as run_scenario
    from .scenario import load_scenario

    sc = load_scenario(scenario, overrides)
    n = sc.replicates if replicates is None else replicates
    check_size(sc, n, record)
    folder = out if out is not None else new_run_folder(results_root, sc.name)
    _check_writable(folder)
    res = run_scenario(sc, replicates=n, seed=seed, record=record)  # type: ignore[arg-type]
    path = res.save(folder, figures=not no_figures, command=["hedgesim", *sys.argv[1:]])
    click.echo(res.summary())
    click.echo(f"\nresults: {path}")


def _check_writable(folder: Path) -> None:
    if folder.exists():
        raise InputError(f"{folder} already exists; results are never overwritten (choose another --out)",
                         file=folder, field="--out")
    parent = folder.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    import os

    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write under {parent}", file=folder, field="--out")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario (and sweep) files without running them."""
    from .scenario import load_scenario

    bad = 0
    for f in files:
        try:
            kind = _validate_one(f, load_scenario)
            click.echo(f"{f}: ok ({kind})")
        except InputError as exc:
            click.echo(f"hedgesim: error: {exc.format()}", err=True)
            bad += 1
    if bad:
        sys.exit(2)


def _validate_one(path: Path, load_scenario) -> str:  # noqa: ANN001
    try:
        from .sweep import is_sweep_file, load_sweep
    except ImportError:  # sweeps not available
        is_sweep_file = None
    if is_sweep_file is not None and is_sweep_file(path):
        load_sweep(path)
        return "sweep"
    load_scenario(path)
    return "scenario"


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files, for editors."""
    from .scenario import json_schema

    click.echo(json_schema())


@main.command()
def rules() -> None:
    """List the registered decision rules and their parameters."""
    from .rules import available_rules

    for name, cls in sorted(available_rules().items()):
        click.echo(f"{name}  (roles: {', '.join(cls.roles)})")
        for field, info in cls.Params.model_fields.items():
            default = "required" if info.is_required() else repr(info.default)
            click.echo(f"    {field} = {default}  {info.description or ''}")


if __name__ == "__main__":  # pragma: no cover
    main()
