"""hedgesim calibrate end to end, on three short cases and a few vectors.

What a researcher relies on: the same numbers whatever the executor, workers or block
size; a resumed calibration equal to an uninterrupted one; leave-one-out equal to
calibrating without the case; a posterior that ``uncertainty: posterior`` then uses.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from hedgesim.calibration import posterior as posterior_mod
from hedgesim.cli import main
from hedgesim.core import OUTCOME_NAMES
from hedgesim.ensemble import run
from hedgesim.errors import InputError
from hedgesim.inference import calibrate, install, psis_weights
from hedgesim.inference.weights import predictive

from ..paths import BASELINE, SCENARIOS

CASES = [SCENARIOS / "cases" / f"{n}.yaml" for n in ("hungary_1956", "estonia_1939_1940", "czechoslovakia_1968")]
SMALL = {
    "screen_vectors": 32,
    "screen_replicates": 2,
    "calibrated": 5,
    "vectors": 32,
    "refine_vectors": 16,
    "replicates": 4,
    "block": 8,
    "seed": 5,
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cal") / "ref"
    report = calibrate(CASES, **SMALL, out=out, workers=1, progress=False)
    assert report.complete and report.blocks == 3 * (4 + 4 + 2) and report.blocks_run == 30
    return out


def _posterior(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "posterior" / "posterior.parquet")


def test_posterior_folder_is_complete_and_says_where_it_came_from(reference: Path) -> None:
    post = reference / "posterior"
    manifest = json.loads((post / "manifest.json").read_text())
    assert [c["name"] for c in manifest["cases"]] == ["hungary_1956", "estonia_1939_1940", "czechoslovakia_1968"]
    assert all(len(c["sha256"]) == 64 for c in manifest["cases"])
    assert manifest["calibration"]["vectors"] == 32 and manifest["calibration"]["seed"] == 5
    calibrated = [c for c in _posterior(reference).columns if c.startswith("draw.")]
    assert manifest["calibrated"] == calibrated and len(calibrated) == 5
    assert set(calibrated) < set(manifest["priors"])
    screen = pd.read_csv(post / "screening.csv")
    assert set(screen.loc[screen["calibrated"], "parameter"]) == {c.removeprefix("draw.") for c in calibrated}
    assert screen["influence"].is_monotonic_decreasing
    samples = _posterior(reference)
    assert samples["weight"].sum() == pytest.approx(1.0) and (samples["weight"] >= 0).all()
    pred = pd.read_parquet(post / "predictions.parquet")
    assert set(pred["method"]) == {"loo", "fit", "prior", "base_rate", "neutrality_always"}
    np.testing.assert_allclose(pred[list(OUTCOME_NAMES)].sum(axis=1), 1.0)
    counts = pd.read_parquet(post / "counts.parquet")
    per = counts.groupby(["case", "theta_id"])[[f"n_{o}" for o in OUTCOME_NAMES]].sum().sum(axis=1)
    assert (per == SMALL["replicates"]).all() and len(per) == 3 * (32 + 16)


@pytest.mark.slow
def test_same_numbers_whatever_the_executor_workers_or_block(reference: Path, tmp_path: Path) -> None:
    other = calibrate(CASES, **{**SMALL, "block": 5}, out=tmp_path / "pool", workers=2, progress=False)
    pd.testing.assert_frame_equal(_posterior(reference), _posterior(other.folder))
    a = pd.read_parquet(reference / "posterior" / "counts.parquet")
    b = pd.read_parquet(other.folder / "posterior" / "counts.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_resume_runs_exactly_the_missing_blocks_and_gives_the_same_posterior(reference: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(reference, copy)
    shutil.rmtree(copy / "posterior")
    for part in sorted((copy / "parts" / "calibrate" / "estonia_1939_1940").glob("*.parquet"))[:2]:
        part.unlink()
    report = calibrate(resume=copy, workers=1, progress=False)
    assert report.blocks_run == 2 and report.blocks_skipped == 28
    pd.testing.assert_frame_equal(_posterior(reference), _posterior(copy))


def test_leave_one_out_is_the_calibration_without_the_case(reference: Path, tmp_path: Path) -> None:
    # Screening on two cases could choose other parameters; calibrate the two on the same ones.
    two = tmp_path / "two"
    shutil.copytree(reference, two)
    shutil.rmtree(two / "posterior")
    shutil.rmtree(two / "parts" / "screen" / "czechoslovakia_1968")
    shutil.rmtree(two / "parts" / "calibrate" / "czechoslovakia_1968")
    # The refinement proposal depends on the cases; redraw it from the two cases' first round.
    shutil.rmtree(two / "parts" / "refine")
    (two / "vectors-refine.parquet").unlink()
    (two / "proposal.json").unlink()
    for case in ("hungary_1956", "estonia_1939_1940"):
        (two / "parts" / "refine" / case).mkdir(parents=True)
    manifest = json.loads((two / "manifest.json").read_text())
    manifest["cases"] = manifest["cases"][:2]
    (two / "manifest.json").write_text(json.dumps(manifest))
    assert calibrate(resume=two, workers=1, progress=False).blocks_run == 2 * 2
    counts3 = pd.read_parquet(reference / "posterior" / "counts.parquet")
    counts2 = pd.read_parquet(two / "posterior" / "counts.parquet")
    # A case's runs on the same vectors do not depend on which other cases are calibrated with it.
    first = (counts3["case"] != "czechoslovakia_1968") & (counts3["theta_id"] < SMALL["vectors"])
    pd.testing.assert_frame_equal(
        counts3[first].reset_index(drop=True), counts2[counts2["theta_id"] < SMALL["vectors"]].reset_index(drop=True)
    )
    # Without refinement, leaving a case out is exactly calibrating on the others: compare on the first round.
    from hedgesim.inference import leave_one_out, log_likelihoods

    c3 = {c: g.drop(columns="case") for c, g in counts3[counts3["theta_id"] < SMALL["vectors"]].groupby("case")}
    obs = {"hungary_1956": "escalation", "estonia_1939_1940": "bandwagoning", "czechoslovakia_1968": "escalation"}
    ll = log_likelihoods(c3, obs, SMALL["replicates"], SMALL["vectors"])
    loo = leave_one_out(ll, c3, SMALL["replicates"]).set_index("case")
    w2, _ = psis_weights(ll.drop(columns="czechoslovakia_1968").sum(axis=1).to_numpy())
    expected = predictive(c3["czechoslovakia_1968"], SMALL["replicates"], w2)
    np.testing.assert_allclose(loo.loc["czechoslovakia_1968", list(OUTCOME_NAMES)].to_numpy(float), expected)


def test_posterior_mode_draws_each_replicate_from_the_installed_posterior(
    reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data" / "posterior"
    install(reference, target=target)
    monkeypatch.setattr(posterior_mod, "shipped_folder", lambda: target)
    res = run(BASELINE, replicates=200, seed=1, uncertainty="posterior")
    samples = _posterior(reference).set_index("theta_id")
    picked = res.runs["draw.posterior_vector"].astype(int)
    assert picked.isin(samples.index).all()
    covered = [c for c in samples.columns if c.startswith("draw.") and c in res.runs.columns]
    assert covered  # the baseline shares parameters with the cases
    for col in covered:
        np.testing.assert_array_equal(res.runs[col].to_numpy(), samples.loc[picked, col].to_numpy())
    # Vectors are picked in proportion to their weights: 200 replicates never pick a zero-weight vector.
    assert (samples.loc[picked.unique(), "weight"] > 0).all()
    again = run(BASELINE, replicates=200, seed=1, uncertainty="posterior")
    pd.testing.assert_frame_equal(res.runs, again.runs)


def test_posterior_mode_without_a_posterior_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posterior_mod, "shipped_folder", lambda: tmp_path / "nothing")
    with pytest.raises(InputError, match="no posterior"):
        run(BASELINE, replicates=4, uncertainty="posterior")


def test_weights_are_likelihood_over_the_mixture_the_vectors_came_from(reference: Path) -> None:
    from hedgesim.inference.proposal import Proposal, log_mixture

    counts = pd.read_parquet(reference / "posterior" / "counts.parquet")
    manifest = json.loads((reference / "posterior" / "manifest.json").read_text())
    K = manifest["calibration"]["replicates"]
    samples = _posterior(reference)
    total = np.zeros(len(samples))
    for case in manifest["cases"]:
        c = counts[counts["case"] == case["name"]].sort_values("theta_id")
        n = c[f"n_{case['observed']}"].to_numpy()
        total += np.log((n + 0.5) / (K + 1.5))
    prop = Proposal(**json.loads((reference / "proposal.json").read_text()))
    u = samples[[f"u.{c}" for c in prop.columns]].to_numpy()
    w, _k = psis_weights(total - log_mixture(prop, u, SMALL["vectors"], SMALL["refine_vectors"]))
    np.testing.assert_allclose(samples["weight"].to_numpy(), w)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"vectors": 4}, "--vectors"),
        ({"replicates": 0}, "--replicates"),
        ({"block": True}, "--block"),
        ({"seed": -1}, "--seed"),
        ({"workers": 0}, "--workers"),
    ],
)
def test_bad_arguments_are_refused_before_anything_runs(kwargs: dict, field: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        calibrate(CASES, **{**SMALL, **kwargs}, out=tmp_path / "x", progress=False)
    assert err.value.field == field
    assert not (tmp_path / "x").exists()


def test_an_existing_folder_is_never_overwritten(reference: Path) -> None:
    before = sorted(p.name for p in reference.iterdir())
    with pytest.raises(InputError, match="never overwritten"):
        calibrate(CASES, **SMALL, out=reference, progress=False)
    assert sorted(p.name for p in reference.iterdir()) == before


def test_cli_prints_the_scores_and_refuses_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["calibrate", *map(str, CASES[:2]), "--screen-vectors", "16", "--screen-replicates", "2"]
    args += ["--calibrated", "3", "--vectors", "16", "--refine-vectors", "8", "-n", "2", "--block", "8", "-w", "1"]
    ok = runner.invoke(main, [*args, "--out", str(tmp_path / "c"), "--no-progress"])
    assert ok.exit_code == 0, ok.output
    assert "loo" in ok.output and "base_rate" in ok.output and "neutrality_always" in ok.output
    bad = runner.invoke(main, ["calibrate", "--resume", str(tmp_path / "c"), "--vectors", "8"])
    assert bad.exit_code == 2 and "--resume" in bad.output and "Traceback" not in bad.output
    none = runner.invoke(main, ["calibrate", "--resume", str(tmp_path / "missing")])
    assert none.exit_code == 2 and "not a calibration folder" in none.output


def test_an_interrupted_calibration_keeps_its_finished_blocks(tmp_path: Path) -> None:
    from hedgesim.inference import CalibrationInterrupted
    from hedgesim.sweep.executors import InlineExecutor

    class StopsAtThird(InlineExecutor):
        calls = 0

        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            StopsAtThird.calls += 1
            if StopsAtThird.calls == 3:
                raise KeyboardInterrupt
            return super().submit(fn, *args, **kwargs)

    with pytest.raises(CalibrationInterrupted, match="2 of 30 blocks"):
        calibrate(CASES, **SMALL, out=tmp_path / "c", executor=StopsAtThird(), progress=False)
    assert len(list((tmp_path / "c" / "parts").rglob("*.parquet"))) == 2
    assert not (tmp_path / "c" / "posterior").exists()
    report = calibrate(resume=tmp_path / "c", workers=1, progress=False)
    assert report.complete and report.blocks_run == 28


def test_validation_doc_says_what_is_fit_and_what_is_prediction(reference: Path, tmp_path: Path) -> None:
    from hedgesim.inference import score_table
    from hedgesim.reports.validation_doc import render, write_figures

    text = render(reference / "posterior")
    assert "In-sample fit" in text and "leave-one-case-out" in text
    scores = score_table(pd.read_parquet(reference / "posterior" / "predictions.parquet")).set_index("method")
    assert f"| {scores.at['loo', 'brier']:.3f} |" in text  # the table shows the computed scores
    for case in ("hungary_1956", "estonia_1939_1940", "czechoslovakia_1968"):
        assert f"| {case} |" in text
    paths = write_figures(tmp_path, reference / "posterior")
    assert [p.name for p in paths] == ["validation-reliability.png", "validation-identification.png"]
    assert all(p.stat().st_size > 1000 for p in paths)
    assert "No posterior ships" in render(tmp_path / "none")


def test_a_damaged_posterior_is_one_clear_error(reference: Path, tmp_path: Path) -> None:
    from hedgesim.calibration import read_posterior

    bad = tmp_path / "bad"
    shutil.copytree(reference / "posterior", bad)
    manifest = json.loads((bad / "manifest.json").read_text())
    (bad / "manifest.json").write_text(json.dumps({**manifest, "format": 99}))
    with pytest.raises(InputError, match="format 99"):
        read_posterior(bad)
    (bad / "manifest.json").write_text(json.dumps(manifest))
    samples = pd.read_parquet(bad / "posterior.parquet")
    samples.assign(weight=-samples["weight"]).to_parquet(bad / "posterior.parquet")
    with pytest.raises(InputError, match="no valid weights"):
        read_posterior(bad)
    (bad / "posterior.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="cannot be read"):
        read_posterior(bad)
