"""``hedgesim calibrate``: the posterior of the behavioural parameters given the historical cases.

Why importance sampling on shared prior vectors, not ABC-SMC (pyabc): the model runs fastest
as one vectorized ensemble of many replicates, and here one ensemble runs a case on a whole
block of parameter vectors at once (:mod:`.tasks`). Every case runs on the same vectors, so
the posterior is a reweighting (:mod:`.weights`) and leave-one-case-out validation is the
same reweighting without the case: no second round of simulation, and exactly what
calibrating without the case on these vectors gives. ABC-SMC proposes one particle at a
time and would repeat the whole inference once per left-out case. The price is efficiency
when the posterior is far narrower than the prior; the effective sample size and Pareto
``k`` in the manifest say whether that bites.

Importance sampling from the prior fails in about 140 dimensions, so the vectors carry only
the parameters a screening stage finds the outcomes sensitive to (:mod:`.screening`); every
other parameter is drawn per replicate from its prior and so integrated out.

The work is blocks (stage x case x vectors), stored as they finish, so a calibration
resumes after a kill and runs on any executor (process pool, Dask) with the same numbers.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..calibration import shipped_folder
from ..calibration.posterior import FORMAT as POSTERIOR_FORMAT
from ..calibration.posterior import MANIFEST, SAMPLES
from ..core import OUTCOME_NAMES
from ..errors import InputError
from ..sweep.drive import drive, own_executor
from ..util import new_folder, write_file
from ..validation import case_paths
from . import proposal
from .design import U_PREFIX, parameter_items, prior_vectors, value_columns
from .identification import identification
from .scores import base_rate_loo, neutrality_always
from .screening import screening
from .store import STAGES, CalibrationStore, Case, read_cases
from .tasks import COUNT_COLUMNS, STAGE_KEYS, BlockResult, BlockTask, run_block
from .weights import K_HAT_LIMIT, ess, leave_one_out, log_likelihoods, predictive, psis_weights

#: Defaults: screening 1,024 vectors x 16 replicates per case; then the 12 most influential
#: parameters calibrated on 4,096 prior vectors and 4,096 refinement vectors, x 32 replicates
#: per case; 128 vectors per block.
SCREEN_VECTORS = 1024
SCREEN_REPLICATES = 16
CALIBRATED = 12
VECTORS = 4096
REFINE_VECTORS = 4096
REPLICATES = 32
BLOCK = 128
SEED = 20190108  # the ECFR commentary's publication date (the seed text)
PREDICTIONS = "predictions.parquet"
COUNTS = "counts.parquet"


@dataclass
class CalibrationReport:
    """What a calibration session did, and where its result is."""

    folder: Path
    blocks: int
    blocks_run: int = 0
    blocks_skipped: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def complete(self) -> bool:
        """Whether every block is stored (and so the posterior was written)."""
        return not self.failures and not self.interrupted and (self.folder / "posterior" / SAMPLES).is_file()


class CalibrationInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a calibration; finished blocks are kept."""

    def __init__(self, folder: Path, message: str) -> None:
        super().__init__(message)
        self.folder = folder
        self.message = message


def _check_sizes(**sizes: Any) -> None:
    limits = {
        "screen_vectors": (16, 1_000_000),
        "screen_replicates": (1, 10_000),
        "calibrated": (1, 10_000),
        "vectors": (16, 1_000_000),
        "refine_vectors": (0, 1_000_000),
        "replicates": (1, 10_000),
        "block": (1, 100_000),
    }
    for name, value in sizes.items():
        lo, hi = limits[name]
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or not lo <= value <= hi:
            raise InputError(f"must be a whole number from {lo:,} to {hi:,}, got {value!r}", field=flag)
    runs = sizes["block"] * max(sizes["replicates"], sizes["screen_replicates"])
    if runs > 2_000_000:
        raise InputError(
            f"a block is {runs:,} runs in memory at once (limit 2,000,000): lower --block", field="--block"
        )


def calibrate(
    cases: Sequence[str | Path] | None = None,
    *,
    screen_vectors: int = SCREEN_VECTORS,
    screen_replicates: int = SCREEN_REPLICATES,
    calibrated: int = CALIBRATED,
    vectors: int = VECTORS,
    refine_vectors: int = REFINE_VECTORS,
    replicates: int = REPLICATES,
    block: int = BLOCK,
    seed: int = SEED,
    out: str | Path | None = None,
    resume: str | Path | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    max_inflight: int | None = None,
    results_root: str | Path = "results",
    progress: bool | None = None,
    command: list[str] | None = None,
    echo: Callable[[str], None] | None = None,
) -> CalibrationReport:
    """Run (or resume) a calibration and write its posterior.

    ``cases``: case files (default: every shipped case; those without ``observed:`` are
    listed as not scored and left out). Screening runs ``screen_vectors`` prior vectors of
    every parameter ``screen_replicates`` times per case; the ``calibrated`` most
    influential parameters are then calibrated on ``vectors`` prior vectors and
    ``refine_vectors`` vectors from a proposal fitted to them (0: no refinement),
    ``replicates`` runs per case each. Results do not depend on the executor, workers or
    ``block``.

    Raises:
        InputError: a case, an argument or the folder is invalid (nothing has run).
        CalibrationInterrupted: Ctrl-C or SIGTERM, after keeping the finished blocks.
    """
    say = echo or (lambda msg: print(msg, file=sys.stderr))
    if out is not None and resume is not None:
        raise InputError("give --out (a new calibration) or --resume (an existing one), not both", field="--out")
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise InputError(f"--workers must be at least 1, got {workers}", field="--workers")
    if resume is not None:
        store, manifest = CalibrationStore.open(Path(resume))
        try:
            case_list = store.cases(manifest)
        except BaseException:
            store.lock.release()
            raise
    else:
        sizes = {
            "screen_vectors": screen_vectors,
            "screen_replicates": screen_replicates,
            "calibrated": calibrated,
            "vectors": vectors,
            "refine_vectors": refine_vectors,
            "replicates": replicates,
            "block": block,
        }
        _check_sizes(**sizes)
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**63:
            raise InputError(f"seed must be a whole number from 0 to 2**63 - 1, got {seed!r}", field="--seed")
        paths = [Path(p) for p in cases] if cases else case_paths()
        case_list, unscored = read_cases(paths)
        items = parameter_items([c.scenario for c in case_list])
        screen_vec = prior_vectors(items, screen_vectors, seed)
        folder = Path(out) if out is not None else _new_folder(Path(results_root))
        settings = {"seed": int(seed), **{k: int(v) for k, v in sizes.items()}}
        priors = {c: it.describe for c, it in items.items()}
        store = CalibrationStore.create(folder, case_list, screen_vec, settings, priors, unscored, command)
        manifest = json.loads((folder / "manifest.json").read_text())
    try:
        return _run(store, manifest, case_list, executor, workers, max_inflight, progress, command, say)
    finally:
        store.lock.release()


def _new_folder(root: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = root / "calibrations" / stamp
    out, k = base, 1
    while out.exists():
        out = base.with_name(f"{stamp}-{k}")
        k += 1
    return out


def _stage_sizes(manifest: dict[str, Any], stage: str) -> tuple[int, int]:
    """(vectors, replicates) of a stage."""
    if stage == "screen":
        return int(manifest["screen_vectors"]), int(manifest["screen_replicates"])
    if stage == "refine":
        return int(manifest["refine_vectors"]), int(manifest["replicates"])
    return int(manifest["vectors"]), int(manifest["replicates"])


def _offset(manifest: dict[str, Any], stage: str) -> int:
    """The first theta_id of a stage: refinement vectors are numbered after the calibration ones."""
    return int(manifest["vectors"]) if stage == "refine" else 0


def _run(
    store: CalibrationStore,
    manifest: dict[str, Any],
    cases: list[Case],
    executor: Executor | None,
    workers: int | None,
    max_inflight: int | None,
    progress: bool | None,
    command: list[str] | None,
    say: Callable[[str], None],
) -> CalibrationReport:
    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    store.clean_tmp()
    B, seed = int(manifest["block"]), int(manifest["seed"])
    steps = {c.name: c.scenario.horizon for c in cases}
    blocks = {
        st: [(c, _offset(manifest, st) + f) for c in cases for f in range(0, _stage_sizes(manifest, st)[0], B)]
        for st in STAGES
    }
    total = sum(len(b) for b in blocks.values())
    done0 = {st: store.done(st) for st in STAGES}
    report = CalibrationReport(store.folder, total, blocks_skipped=sum(len(d) for d in done0.values()))
    ex, n_workers, own = own_executor(executor, workers)
    store.log(
        {
            "event": "start",
            "command": command or list(sys.argv),
            "executor": type(ex).__name__,
            "workers": n_workers,
            "blocks_present": report.blocks_skipped,
            "blocks_total": total,
        }
    )

    def work(st: str) -> int:
        M, K = _stage_sizes(manifest, st)
        return sum(steps.values()) * M * K

    bar = tqdm(
        total=sum(work(st) for st in STAGES),
        unit="run-step",
        unit_scale=True,
        dynamic_ncols=True,
        disable=(not progress) if progress is not None else None,
        desc="calibrate",
        smoothing=0.05,
    )
    limit = (lambda: max_inflight) if max_inflight else (lambda: 2 * n_workers)
    interrupted, broken = False, None
    try:
        for st in STAGES:
            if not blocks[st]:
                continue  # no refinement asked for
            vec = store.vectors(st)
            if vec is None:  # chosen once the stage before is complete
                vec = _choose(store, manifest, cases) if st == "calibrate" else _propose(store, manifest, cases)
            M, K = _stage_sizes(manifest, st)
            cols = value_columns(vec)
            off = _offset(manifest, st)
            bar.update(sum(steps[c] * min(B, M + off - f) * K for c, f in done0[st]))
            todo = [(c, f) for c, f in blocks[st] if (c.name, f) not in done0[st]]

            def task(cf: tuple[Case, int], st: str = st, vec: pd.DataFrame = vec, cols: list[str] = cols) -> BlockTask:
                c, f = cf
                M, K = _stage_sizes(manifest, st)
                rows = np.arange(f - _offset(manifest, st), min(f - _offset(manifest, st) + B, M))
                ids = vec["theta_id"].to_numpy()[rows]
                return BlockTask(st, c.name, c.scenario, ids, {k: vec[k].to_numpy()[rows] for k in cols}, K, seed)

            def collect(t: BlockTask, fut: Future) -> None:
                try:
                    res: BlockResult = fut.result()
                except BaseException as exc:  # the executor failed, not the model
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    res = BlockResult(t.stage, t.case, int(t.theta_ids[0]), error=f"{type(exc).__name__}: {exc}")
                if res.error is None:
                    store.write_part(res.stage, res.case, res.first, res.data)  # type: ignore[arg-type]
                    report.blocks_run += 1
                else:
                    report.failures.append(store.write_failure(res.stage, res.case, res.first, res.error))
                    bar.write(f"block failed: {res.stage} {res.case}, vectors from {res.first}: {res.error}")
                bar.update(steps[t.case] * len(t.theta_ids) * t.replicates)

            outcome = drive((task(cf) for cf in todo), run_block, collect, ex, limit, own=False)
            interrupted, broken = outcome.interrupted, outcome.broken
            if interrupted or broken or len(store.done(st)) < len(blocks[st]):
                break
    finally:
        bar.close()
        if own:
            ex.shutdown(wait=True, cancel_futures=True)
    report.interrupted = interrupted
    report.seconds = time.perf_counter() - t0
    report.failures = store.failure_records()
    store.log(
        {
            "event": "interrupted" if interrupted else "end",
            "blocks_run": report.blocks_run,
            "failed": len(report.failures),
            "seconds": round(report.seconds, 3),
        }
    )
    stored = sum(len(store.done(st)) for st in STAGES)
    if interrupted:
        raise CalibrationInterrupted(
            store.folder, f"interrupted: {stored} of {total} blocks are stored in {store.folder}"
        )
    if broken is not None:
        say(f"the executor broke ({broken}); resume to run the blocks that are missing")
    if stored == total and not (store.folder / "posterior").exists():
        finish(store, manifest, cases)
    return report


def _choose(store: CalibrationStore, manifest: dict[str, Any], cases: list[Case]) -> pd.DataFrame:
    """From the complete screening, the parameters to calibrate and their vectors (stored, then returned)."""
    screen = store.vectors("screen")
    assert screen is not None
    _, K = _stage_sizes(manifest, "screen")
    counts = {c.name: store.counts("screen", c.name) for c in cases}
    table = screening(screen, counts, K, int(manifest["calibrated"]))
    chosen = ["draw." + p for p in table.loc[table["calibrated"], "parameter"]]
    items = parameter_items([c.scenario for c in cases])
    vec = prior_vectors({c: items[c] for c in chosen}, int(manifest["vectors"]), int(manifest["seed"]) + 1)
    store.write_vectors("calibrate", vec, {"screening.csv": table.to_csv(index=False)})
    return vec


def _stage_loglik(store: CalibrationStore, manifest: dict[str, Any], cases: list[Case], stage: str) -> pd.DataFrame:
    M, K = _stage_sizes(manifest, stage)
    counts = {c.name: store.counts(stage, c.name) for c in cases}
    loglik = log_likelihoods(counts, {c.name: c.observed for c in cases}, K, M, first=_offset(manifest, stage))
    return loglik


def _propose(store: CalibrationStore, manifest: dict[str, Any], cases: list[Case]) -> pd.DataFrame:
    """From the complete calibration round, a proposal and the refinement vectors drawn from it (stored)."""
    first = store.vectors("calibrate")
    assert first is not None
    cols = value_columns(first)
    w, _k = psis_weights(_stage_loglik(store, manifest, cases, "calibrate").sum(axis=1).to_numpy())
    prop = proposal.fit(first, w, cols)
    rng = np.random.default_rng(np.random.SeedSequence(int(manifest["seed"]), spawn_key=(STAGE_KEYS["refine"],)))
    u = proposal.sample(prop, int(manifest["refine_vectors"]), rng)
    items = parameter_items([c.scenario for c in cases])
    n = len(u)
    data: dict[str, np.ndarray] = {"theta_id": np.arange(n, dtype=np.int64) + _offset(manifest, "refine")}
    for i, c in enumerate(cols):
        data[U_PREFIX + c] = u[:, i]
    for i, c in enumerate(cols):
        data[c] = np.asarray(items[c].sample(u[:, i]), dtype=float)
    vec = pd.DataFrame(data)
    store.write_vectors("refine", vec, {"proposal.json": json.dumps(prop.to_dict(), indent=2) + "\n"})
    return vec


def finish(store: CalibrationStore, manifest: dict[str, Any], cases: list[Case]) -> Path:
    """Weights, leave-one-out predictions and identification from the stored counts: ``posterior/``.

    The calibration and refinement rounds are weighted together (:mod:`.proposal`).
    """
    stages = ["calibrate"] + (["refine"] if int(manifest.get("refine_vectors", 0)) > 0 else [])
    vec = pd.concat([store.vectors(st) for st in stages], ignore_index=True).sort_values("theta_id", ignore_index=True)
    M1 = int(manifest["vectors"])
    _, K = _stage_sizes(manifest, "calibrate")
    counts = {
        c.name: pd.concat([store.counts(st, c.name) for st in stages], ignore_index=True).sort_values(
            "theta_id", ignore_index=True
        )
        for c in cases
    }
    observed = {c.name: c.observed for c in cases}
    loglik = log_likelihoods(counts, observed, K, len(vec))
    cols = value_columns(vec)
    if "refine" in stages:
        prop = proposal.Proposal(**json.loads((store.folder / "proposal.json").read_text()))
        U = vec[[U_PREFIX + c for c in prop.columns]].to_numpy(dtype=float)
        log_q = proposal.log_mixture(prop, U, M1, len(vec) - M1)
    else:
        log_q = np.zeros(len(vec))
    w, k_hat = psis_weights(loglik.sum(axis=1).to_numpy() - log_q)
    prior_rows = vec["theta_id"].to_numpy() < M1
    predictions = prediction_table(loglik, counts, observed, K, w, log_q, prior_rows)
    ident, threshold = identification(vec, w, seed=int(manifest["seed"]), prior_rows=prior_rows)
    screen_table = pd.read_csv(store.folder / "screening.csv")
    sessions = [json.loads(x) for x in (store.folder / "sessions.jsonl").read_text().splitlines() if x.strip()]
    seconds = sum(s.get("seconds", 0.0) for s in sessions if s.get("event") in ("end", "interrupted"))
    keys = ("created", "command", "seed", "screen_vectors", "screen_replicates", "calibrated", "vectors")
    post_manifest = {
        "format": POSTERIOR_FORMAT,
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "calibration": {k: manifest[k] for k in (*keys, "refine_vectors", "replicates", "block")},
        "cases": manifest["cases"],
        "not_scored": manifest.get("not_scored", []),
        "priors": manifest["priors"],
        "calibrated": cols,
        "versions": manifest["versions"],
        "git": manifest["git"],
        "likelihood": "per case (n_observed + 1/2) / (K + 3/2) from K replicates per vector; product over cases",
        "weights": "Pareto-smoothed (PSIS, arviz-stats) importance weights of the prior round and the "
        "refinement round together (deterministic mixture)",
        "diagnostics": {
            "ess": ess(w),
            "k_hat": k_hat if math.isfinite(k_hat) else None,  # None: tied tail, no Pareto fit
            "k_hat_limit": K_HAT_LIMIT,
            "ess_prior_round": ess(psis_weights(loglik.sum(axis=1).to_numpy()[prior_rows])[0]),
            "identification_threshold": threshold,
            "compute_seconds": round(seconds, 1),
        },
    }
    samples = vec.copy()
    samples.insert(1, "weight", w)
    count_table = pd.concat([df.assign(case=name) for name, df in counts.items()], ignore_index=True)
    count_table = count_table[["case", "theta_id", *COUNT_COLUMNS]]
    final = store.folder / "posterior"
    with new_folder(final) as tmp:
        samples.to_parquet(tmp / SAMPLES, index=False)
        predictions.to_parquet(tmp / PREDICTIONS, index=False)
        count_table.to_parquet(tmp / COUNTS, index=False)
        ident.to_csv(tmp / "identification.csv", index=False)
        screen_table.to_csv(tmp / "screening.csv", index=False)
        (tmp / MANIFEST).write_text(json.dumps(post_manifest, indent=2) + "\n")
    return final


def prediction_table(
    loglik: pd.DataFrame,
    counts: dict[str, pd.DataFrame],
    observed: dict[str, str],
    replicates: int,
    weights: np.ndarray,
    log_q: np.ndarray | None = None,
    prior_rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """Every case's predicted outcome probabilities by method.

    Methods: leave-one-out (``loo``), in-sample fit (``fit``), prior predictive (``prior``,
    the prior round's vectors with equal weights), and the two baselines (``base_rate``,
    ``neutrality_always``).
    """
    names = list(loglik.columns)
    obs = [observed[n] for n in names]
    loo = leave_one_out(loglik, counts, replicates, log_q).set_index("case").loc[names]
    M = len(loglik)
    rows_prior = np.ones(M, dtype=bool) if prior_rows is None else np.asarray(prior_rows)
    flat = rows_prior / rows_prior.sum()
    frames = {
        "loo": loo[list(OUTCOME_NAMES)].to_numpy(),
        "fit": np.array([predictive(counts[n], replicates, weights) for n in names]),
        "prior": np.array([predictive(counts[n], replicates, flat) for n in names]),
        "base_rate": base_rate_loo(obs),
        "neutrality_always": neutrality_always(len(names)),
    }
    rows = []
    for method, p in frames.items():
        for i, n in enumerate(names):
            row = {"case": n, "observed": obs[i], "method": method, **dict(zip(OUTCOME_NAMES, p[i], strict=True))}
            row["k_hat"] = float(loo.at[n, "k_hat"]) if method == "loo" else math.nan
            row["ess"] = float(loo.at[n, "ess"]) if method == "loo" else math.nan
            rows.append(row)
    return pd.DataFrame(rows)


def install(folder: str | Path, target: Any = None) -> Path:
    """Copy a finished calibration's posterior into the package (the checkout's ``src/hedgesim/data``).

    The shipped posterior is a generated file like the docs: replacing it is what this
    command is for, so it is replaced whole (each file written to a temporary name, then renamed).

    Raises:
        InputError: ``folder`` has no finished posterior, or the package is not a writable checkout.
    """
    src = Path(folder) / "posterior"
    if not (src / SAMPLES).is_file():
        src = Path(folder)
    if not (src / SAMPLES).is_file() or not (src / MANIFEST).is_file():
        raise InputError(f"{folder} holds no finished posterior (posterior/{SAMPLES})", field="--install")
    dest = Path(str(target if target is not None else shipped_folder()))
    if target is None and not (dest.parents[3] / "pyproject.toml").is_file():
        raise InputError(
            f"the package at {dest.parents[1]} is not a source checkout: install a posterior from a checkout "
            "(pip install -e .)",
            field="--install",
        )
    dest.mkdir(parents=True, exist_ok=True)
    for name in (SAMPLES, MANIFEST, PREDICTIONS, COUNTS, "identification.csv", "screening.csv"):
        if (src / name).is_file():
            write_file(dest / name, (src / name).read_bytes(), replace=True)
    return dest
