"""The ``hedgesim`` command line.

Every user error becomes one line on stderr and exit status 2; nothing is
written before the inputs have been checked.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import click

from .cli_output import _checking, _Command, _detail, _level, _say, _scores, _show, _verbosity_options
from .errors import InputError, OutOfSpace, terminal_message
from .util.fs import check_new_path


class _Group(click.Group):
    """Turn InputError anywhere below into a clean message and exit 2."""

    command_class = _Command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OutOfSpace as exc:  # the input was fine; the disk was not
            click.echo(terminal_message(exc), err=True)
            ctx.exit(1)
        except InputError as exc:
            click.echo(terminal_message(exc), err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("hedgesim: interrupted; nothing was written for the unfinished work", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hedgesim")
def main() -> None:
    """Simulate a small state hedging between a patron and rival blocs.

    Every command takes -q/--quiet and -v/--verbose (also before the command's name).
    """


main.params.extend(_verbosity_options())


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--replicates", "-n", type=int, help="Replicates (default: the scenario's).")
@click.option("--seed", type=int, help="Seed (default: the scenario's).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="New folder for the results (default: results/<scenario>/<UTC timestamp>/).",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a scenario field, e.g. actors.Russia.state.posture=0.5 (repeatable).",
)
@click.option(
    "--record",
    type=click.Choice(["summary", "steps"]),
    default="summary",
    show_default=True,
    help="steps also writes steps.parquet, moves.parquet and the trajectories figure.",
)
@click.option(
    "--results-root",
    type=click.Path(path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Where default result folders go.",
)
@click.option("--no-figures", is_flag=True, help="Skip the figures.")
@click.option(
    "--uncertainty",
    type=click.Choice(["none", "prior", "posterior"]),
    help="What each replicate draws: none (point values), prior, posterior (default: the scenario's, posterior).",
)
def run(
    scenario: Path,
    replicates: int | None,
    seed: int | None,
    out: Path | None,
    overrides: tuple[str, ...],
    record: str,
    results_root: Path,
    no_figures: bool,
    uncertainty: str | None,
) -> None:
    """Run SCENARIO as an ensemble and write a new results folder."""
    from .ensemble import check_size, new_run_folder
    from .ensemble import run as run_scenario
    from .plots import write_run_figures
    from .scenario import load_scenario

    with _checking() as notes:
        sc = load_scenario(scenario, overrides)
        n = sc.replicates if replicates is None else replicates
        check_size(sc, n, record)
        if seed is not None and not 0 <= seed < 2**63:
            raise InputError(f"seed must be between 0 and 2**63-1, got {seed}", field="--seed")
        folder = out if out is not None else new_run_folder(results_root, sc.name)
        check_new_path(folder, field="--out")
    _show(notes)
    _detail(
        f"{sc.name}: {n:,} replicates x {sc.horizon} steps, seed {sc.seed if seed is None else seed}, record {record}"
    )
    t0 = time.perf_counter()
    res = run_scenario(
        sc,
        replicates=n,
        seed=seed,
        record=record,  # type: ignore[arg-type]
        progress=None if _level() else False,
        spool=folder,  # steps stream beside the results folder, on its disk, and are linked in
        uncertainty=uncertainty,
    )
    _detail(f"simulated in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    path = res.save(folder, extras=() if no_figures else (write_run_figures,), command=["hedgesim", *sys.argv[1:]])
    _detail(f"wrote {path} in {time.perf_counter() - t0:.1f} s")
    _say(res.summary() + "\n")
    click.echo(f"results: {path}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario (and sweep) files without running them."""
    from .scenario import load_scenario

    bad = 0
    for f in files:
        try:
            with _checking() as notes:
                kind = _validate_one(f, load_scenario)
            _say(f"{f}: ok ({kind})")
            _show(notes)
        except InputError as exc:
            click.echo(terminal_message(exc), err=True)
            bad += 1
    if bad:
        sys.exit(2)


def _validate_one(path: Path, load_scenario) -> str:
    from .sweep import is_sweep_file, load_sweep

    if is_sweep_file(path):
        load_sweep(path)
        return "sweep"
    load_scenario(path)
    return "scenario"


@main.command()
@click.argument("folder", metavar="DIR", required=False, type=click.Path(path_type=Path))
@click.option("--list", "listing", is_flag=True, help="Only list the shipped names.")
def examples(folder: Path | None, listing: bool) -> None:
    """Copy the shipped scenarios, cases and sweeps into DIR (default: ./hedgesim-examples) to edit.

    A shipped name also works wherever a scenario is expected: `hedgesim run baseline`,
    `hedgesim run cases/armenia_2013`, `extends: baseline`, a sweep's `base: baseline`.
    """
    from . import resources

    if listing:
        for name in resources.names():
            click.echo(name)
        return
    dest = folder if folder is not None else Path("hedgesim-examples")
    written = resources.copy_examples(dest)
    _say(f"copied {len(written)} files into {dest}: " + ", ".join(resources.names("scenarios")[:3]) + ", ...")
    _say(f"try: hedgesim run {dest / 'baseline.yaml'} -n 200")


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


# --------------------------------------------------------------------------- sweeps (issue 4)


@main.command()
@click.argument("sweep_file", metavar="SWEEP", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="New folder for the sweep (default: results/sweeps/<name>/<UTC timestamp>/).",
)
@click.option("--workers", "-w", type=int, help="Local worker processes (default: the CPUs available; 1 = in-process).")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on an existing Dask cluster, e.g. tcp://host:8786 (needs hedgesim[dask]).",
)
@click.option("--dask-local", type=int, metavar="N", help="Run on a local Dask cluster of N worker processes.")
@click.option(
    "--resume",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Run only the chunks missing from an earlier run of the same sweep.",
)
@click.option("--chunk-size", type=int, help="Replicates per chunk (default: the sweep file's, else 5000).")
@click.option("--connect-timeout", type=float, default=10.0, show_default=True, help="Seconds to wait for --scheduler.")
@click.option(
    "--results-root",
    type=click.Path(path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Where default sweep folders go (under sweeps/).",
)
@click.option("--no-figures", is_flag=True, help="Skip the figures at the end.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def sweep(
    sweep_file: Path,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    dask_local: int | None,
    resume: Path | None,
    chunk_size: int | None,
    connect_timeout: float,
    results_root: Path,
    no_figures: bool,
    progress: bool | None,
) -> None:
    """Run the sweep SWEEP: every design point x its replicates, in chunks, into a resumable folder.

    Exit status: 0 done, 1 some chunks failed (recorded in failures/), 2 bad input,
    130 interrupted (resume with --resume DIR).
    """
    from .plots import write_figures
    from .sweep import SweepInterrupted, SweepResults, dask_executor, load_sweep, run_sweep

    if scheduler and dask_local is not None:
        raise InputError("give --scheduler or --dask-local, not both", field="--scheduler")
    if (scheduler or dask_local is not None) and workers is not None:
        raise InputError(
            "--workers is for the local process pool; a Dask cluster has its own workers", field="--workers"
        )
    if out is not None and resume is not None:
        raise InputError("give --out (a new sweep) or --resume (an existing one), not both", field="--out")
    with _checking() as notes:  # shown at the end: --resume is checked when the sweep starts
        sw = load_sweep(sweep_file)
        if out is not None:
            check_new_path(out, field="--out")
    command = ["hedgesim", *sys.argv[1:]]
    with contextlib.ExitStack() as stack:
        executor = inflight = None
        if scheduler or dask_local is not None:
            executor, inflight = stack.enter_context(
                dask_executor(scheduler=scheduler, local=dask_local, connect_timeout=connect_timeout)
            )
        try:
            report = run_sweep(
                sw,
                out=out,
                resume=resume,
                executor=executor,
                workers=workers,
                max_inflight=inflight,
                chunk_size=chunk_size,
                results_root=results_root,
                progress=progress if progress is not None else (None if _level() else False),
                command=command,
                echo=lambda m: _say(m, err=True),
            )
        except SweepInterrupted as exc:
            click.echo(
                f"hedgesim: {exc.message}; finished chunks are kept.\n"
                f"resume with: hedgesim sweep {sweep_file} --resume {exc.folder}",
                err=True,
            )
            sys.exit(130)
    figures = write_figures(SweepResults.load(report.folder)) if report.complete and not no_figures else []
    _say(
        f"{sw.name}: {sw.n_points:,} points x {sw.spec.replicates:,} replicates; "
        f"{report.chunks_run:,} chunks run now, {report.chunks_skipped:,} already stored, "
        f"{len(report.failures):,} failed, in {report.seconds:.1f} s"
    )
    for path in figures:
        _say(f"wrote: {path}")
    click.echo(f"results: {report.folder}")
    _show(notes)
    if report.failures or report.not_run:
        for f in report.failures[:20]:
            click.echo(
                f"failed: point {f['point']}, replicates {f['replicates'][0]}-{f['replicates'][1]}: {f['error']}",
                err=True,
            )
        if len(report.failures) > 20:
            click.echo(f"... and {len(report.failures) - 20} more in {report.folder / 'failures'}", err=True)
        click.echo(
            f"hedgesim: {len(report.failures)} chunk(s) failed and {report.not_run} were not run; details in "
            f"{report.folder / 'failures'}; after a fix, run them with: "
            f"hedgesim sweep {sweep_file} --resume {report.folder}",
            err=True,
        )
        sys.exit(1)


@main.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="PATH",
    help="Sweep: shares along this parameter (repeatable; default: every parameter).",
)
@click.option(
    "--phase",
    "phases",
    multiple=True,
    nargs=2,
    metavar="PX PY",
    help="Sweep: phase diagram over two parameters (repeatable; default: pairs of the first four).",
)
@click.option(
    "--vars",
    "variables",
    multiple=True,
    metavar="COLUMN",
    help="Run: trajectories of this steps column, e.g. Belarus.autonomy (repeatable; default: alignment, tension).",
)
def plot(
    folder: Path, params: tuple[str, ...], phases: tuple[tuple[str, str], ...], variables: tuple[str, ...]
) -> None:
    """Write the figures of a sweep or run folder DIR into DIR/figures/ (never replacing a file: -2, -3...).

    A sweep without --param/--phase: shares along every parameter, phase diagrams of pairs of
    the first four, and for Sobol and Morris designs the sensitivity indices, flagged where
    they should not be read, as DIR/sensitivity.csv, DIR/sensitivity.md and a chart. With
    them: just those figures. A run: outcomes, time to outcome, and trajectories if it
    recorded its steps (--vars chooses them).
    """
    from .ensemble import Results
    from .plots import redraw_run_figures, write_figures
    from .studies import folder_kind
    from .sweep import SweepResults

    if folder_kind(folder) == "run":
        if params or phases:
            raise InputError("--param and --phase are for sweep folders; a run takes --vars", field="--param")
        paths = redraw_run_figures(Results.load(folder), list(variables) or None)
    else:
        if variables:
            raise InputError("--vars is for run folders (trajectories)", field="--vars")
        res = SweepResults.load(folder)
        paths = write_figures(res, params=list(params) or None, phases=list(phases) or None)
    for path in paths:
        click.echo(str(path))


def _say_out_of_sample() -> None:
    """The shipped posterior's leave-one-case-out scores against the baselines (docs/validation.md)."""
    from .calibration.posterior import shipped_folder

    predictions = shipped_folder() / "predictions.parquet"
    if not predictions.is_file():
        return
    _say(
        "\nOut of sample: each case predicted by the posterior calibrated on the other cases (leave-one-out, "
        "'loo'), against the prior and two baselines; mean scores over the cases, lower is better:"
    )
    _say(_scores(predictions))


@main.command("check-cases")
@click.option("--replicates", "-n", type=int, default=2000, show_default=True, help="Replicates per case.")
@click.option("--seed", type=int, help="One seed for every case (default: each file's).")
@click.option("--patterns/--no-patterns", default=True, show_default=True, help="Also test the cross-case patterns.")
def check_cases(replicates: int, seed: int | None, patterns: bool) -> None:
    """Run every historical case and compare the modal outcome with what happened.

    Exit status 0 when every case matches and every pattern holds, leaving out the
    documented expected misses (reported, not failed); else 1.
    """
    from .validation import Lab, check_cases, cross_case_patterns, failures, format_check, format_patterns

    if replicates < 1:
        raise InputError(f"replicates must be at least 1, got {replicates}", field="--replicates")
    lab = Lab(replicates, seed)
    table = check_cases(lab=lab)
    _say(
        "Each case under its scenario's uncertainty (the shipped posterior by default). The posterior was "
        "calibrated on these cases, so a match here is in-sample fit, not validation.\n"
    )
    _say(format_check(table))
    _say_out_of_sample()
    held = None
    if patterns:
        held = cross_case_patterns(lab=lab)
        _say("\n" + format_patterns(held))
    failed = failures(table, held)
    if failed:
        click.echo(f"\nnot as documented: {'; '.join(failed)}", err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--replicates", "-n", type=int, default=2000, show_default=True, help="Replicates per scenario.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="New file for the report (default: results/findings/<UTC timestamp>.md; never replaces a file).",
)
@click.option("--seed", type=int, help="One seed for every scenario (default: each file's).")
def findings(replicates: int, out: Path | None, seed: int | None) -> None:
    """Test the seed's claims as scenario comparisons and write the findings report.

    The project's own docs/findings.md is regenerated by `hedgesim docs`.
    """
    from datetime import UTC, datetime

    from .reports import write_findings

    if replicates < 1:
        raise InputError(f"replicates must be at least 1, got {replicates}", field="--replicates")
    if out is None:
        out = Path("results") / "findings" / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.md"
    check_new_path(out, field="--out")
    path = write_findings(out, replicates, seed)
    click.echo(f"wrote {path}")


@main.command()
@click.argument("scenario", default="baseline")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only)."
)
@click.option("--port", type=int, default=8765, show_default=True, help="Port to listen on (0: any free port).")
def dashboard(scenario: str, host: str, port: int) -> None:
    """Open the dashboard in a browser: live outcomes, time to loss of neutrality, one replicate's story.

    SCENARIO is a shipped scenario's name (baseline, flank_buildup, ...) or a scenario file.
    Needs the optional dependencies: pip install 'hedgesim[dashboard]'. Works with no internet.
    """
    from .dashboard import serve

    serve(scenario, host=host, port=port, echo=click.echo)


@main.command()
@click.option("--check", is_flag=True, help="Only compare with the tracked copies; exit 1 if any is stale.")
@click.option(
    "--only",
    "names",
    multiple=True,
    type=click.Choice(["model", "calibration", "validation", "findings"]),
    help="Just this document (repeatable; default: all).",
)
def docs(check: bool, names: tuple[str, ...]) -> None:
    """Regenerate the project's generated documents under docs/ (run from a checkout).

    docs/model.md and docs/calibration.md are rendered from the code, docs/validation.md
    from the shipped posterior; docs/findings.md reruns the seed's claims and the cases
    at their seeds (a few minutes).
    """
    from .reports import generate
    from .util import project_root

    root = project_root()
    if not (root / "docs" / "model.template.md").is_file():
        raise InputError("hedgesim docs works in a checkout of hedgesim (no docs/model.template.md here)", file=root)
    stale = 0
    for st in generate(list(names) or None, check=check, root=root):
        rel = st.path.relative_to(root)
        if st.status == "stale":
            stale += 1
            click.echo(f"{rel} is out of date: run `hedgesim docs`", err=True)
        else:
            _say(f"{rel} {st.status}")
    sys.exit(1 if stale else 0)


def _register_analysis() -> None:
    """Add the analysis commands (:mod:`hedgesim.cli_analysis`) and calibrate (:mod:`hedgesim.cli_inference`).

    They are plain click commands; each gets -q/--quiet and -v/--verbose like the rest.
    """
    from .cli_analysis import COMMANDS
    from .cli_inference import COMMANDS as INFERENCE

    for command in (*COMMANDS, *INFERENCE):
        if not any(p.name == "quiet" for p in command.params):
            command.params.extend(_verbosity_options())
        main.add_command(command)


_register_analysis()

if __name__ == "__main__":  # pragma: no cover
    main()
