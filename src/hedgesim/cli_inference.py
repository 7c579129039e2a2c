"""The calibration command of the ``hedgesim`` command line: ``hedgesim calibrate``.

Click only, as in :mod:`hedgesim.cli` (which registers it on its group): it checks its
options, calls :func:`hedgesim.inference.calibrate` and prints what it found and where.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from .cli_output import _scores
from .errors import InputError


@click.command()
@click.argument("cases", nargs=-1, type=click.Path(path_type=Path), metavar="[CASE...]")
@click.option("--screen-vectors", type=int, default=None, help="Screening: prior vectors of every parameter (1024).")
@click.option("--screen-replicates", type=int, default=None, help="Screening: replicates of each case per vector (16).")
@click.option(
    "--calibrated", type=int, default=None, help="How many of the most influential parameters to calibrate (12)."
)
@click.option("--vectors", type=int, default=None, help="Calibration: prior vectors of those parameters (4096).")
@click.option(
    "--refine-vectors", type=int, default=None, help="Refinement: vectors where the first round points (4096; 0: none)."
)
@click.option(
    "--replicates", "-n", type=int, default=None, help="Calibration: replicates of each case per vector (32)."
)
@click.option("--block", type=int, default=None, help="Vectors per task (default 128); results do not depend on it.")
@click.option("--seed", type=int, default=None, help="Seed of the prior vectors and the runs (default 20190108).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="New folder for the calibration (default: results/calibrations/<UTC timestamp>/).",
)
@click.option("--resume", type=click.Path(path_type=Path), metavar="DIR", help="Run only the blocks DIR is missing.")
@click.option("--workers", "-w", type=int, help="Local worker processes (default: the CPUs available; 1 = in-process).")
@click.option("--scheduler", metavar="ADDRESS", help="Run on an existing Dask cluster (needs hedgesim[dask]).")
@click.option("--dask-local", type=int, metavar="N", help="Run on a local Dask cluster of N worker processes.")
@click.option("--connect-timeout", type=float, default=10.0, show_default=True, help="Seconds to wait for --scheduler.")
@click.option(
    "--results-root",
    type=click.Path(path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Where default calibration folders go (under calibrations/).",
)
@click.option(
    "--install",
    is_flag=True,
    help="Make the result the posterior the package ships (in a checkout: src/hedgesim/data/posterior/).",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def calibrate(
    cases: tuple[Path, ...],
    screen_vectors: int | None,
    screen_replicates: int | None,
    calibrated: int | None,
    vectors: int | None,
    refine_vectors: int | None,
    replicates: int | None,
    block: int | None,
    seed: int | None,
    out: Path | None,
    resume: Path | None,
    workers: int | None,
    scheduler: str | None,
    dask_local: int | None,
    connect_timeout: float,
    results_root: Path,
    install: bool,
    progress: bool | None,
) -> None:
    """Estimate the posterior of the behavioural parameters from the historical cases.

    CASE files default to every shipped case (cases without 'observed:' are not scored).
    A screening stage finds the parameters the cases' outcomes are sensitive to; every case
    then runs on the same prior vectors of those, the others drawn per replicate from their
    priors, and on a second round of vectors where the first round's posterior lies. The
    posterior reweights the vectors by the cases' observed outcomes, and each case is also
    predicted from the others alone (leave-one-out).

    Exit status: 0 done, 1 some blocks failed, 2 bad input, 130 interrupted (resume with
    --resume DIR).
    """
    from .inference import (
        BLOCK,
        CALIBRATED,
        REFINE_VECTORS,
        REPLICATES,
        SCREEN_REPLICATES,
        SCREEN_VECTORS,
        SEED,
        VECTORS,
        CalibrationInterrupted,
    )
    from .inference import calibrate as run_calibration
    from .inference import install as install_posterior
    from .sweep import dask_executor

    if scheduler and dask_local is not None:
        raise InputError("give --scheduler or --dask-local, not both", field="--scheduler")
    if (scheduler or dask_local is not None) and workers is not None:
        raise InputError("--workers is for the local process pool; a Dask cluster has its own", field="--workers")
    given = (screen_vectors, screen_replicates, calibrated, vectors, refine_vectors, replicates, block, seed)
    if resume is not None and (cases or any(v is not None for v in given)):
        raise InputError(
            "--resume continues a calibration as it was started: give no cases, sizes or seed", field="--resume"
        )
    command = ["hedgesim", *sys.argv[1:]]
    with contextlib.ExitStack() as stack:
        executor = None
        if scheduler or dask_local is not None:
            executor, _threads = stack.enter_context(
                dask_executor(scheduler=scheduler, local=dask_local, connect_timeout=connect_timeout)
            )
        try:
            report = run_calibration(
                list(cases) or None,
                screen_vectors=SCREEN_VECTORS if screen_vectors is None else screen_vectors,
                screen_replicates=SCREEN_REPLICATES if screen_replicates is None else screen_replicates,
                calibrated=CALIBRATED if calibrated is None else calibrated,
                vectors=VECTORS if vectors is None else vectors,
                refine_vectors=REFINE_VECTORS if refine_vectors is None else refine_vectors,
                replicates=REPLICATES if replicates is None else replicates,
                block=BLOCK if block is None else block,
                seed=SEED if seed is None else seed,
                out=out,
                resume=resume,
                executor=executor,
                workers=workers,
                results_root=results_root,
                progress=progress,
                command=command,
                echo=lambda m: click.echo(m, err=True),
            )
        except CalibrationInterrupted as exc:
            click.echo(f"hedgesim: {exc.message}.\nresume with: hedgesim calibrate --resume {exc.folder}", err=True)
            sys.exit(130)
    click.echo(
        f"{report.blocks:,} blocks: {report.blocks_run:,} run now, {report.blocks_skipped:,} already stored, "
        f"{len(report.failures):,} failed, in {report.seconds:.1f} s"
    )
    if not report.complete:
        for f in report.failures[:20]:
            click.echo(f"failed: {f['stage']} {f['case']}, vectors from {f['first']}: {f['error']}", err=True)
        click.echo(
            f"hedgesim: not finished; run the missing blocks with: hedgesim calibrate --resume {report.folder}",
            err=True,
        )
        sys.exit(1)
    post = report.folder / "posterior"
    diag = json.loads((post / "manifest.json").read_text())["diagnostics"]
    k = "not estimable (tied tail)" if diag["k_hat"] is None else f"{diag['k_hat']:.2f}"
    click.echo(f"posterior: effective sample size {diag['ess']:.0f}, Pareto k {k}")
    click.echo("mean scores over the cases (lower is better; 'loo' predicts each case from the others):")
    click.echo(_scores(post / "predictions.parquet"))
    click.echo(f"results: {report.folder}")
    if install:
        click.echo(f"installed the posterior in {install_posterior(report.folder)}")


COMMANDS = (calibrate,)
