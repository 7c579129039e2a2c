"""Calibration as inference, and validation out of sample.

Components:

* :mod:`~hedgesim.inference.design`: the prior vectors every case runs on (a Latin hypercube through the priors).
* :mod:`~hedgesim.inference.screening`: which parameters to calibrate (RBD-FAST sensitivity, SALib).
* :mod:`~hedgesim.inference.proposal`: the refinement round's proposal and the mixture weights.
* :mod:`~hedgesim.inference.tasks`: one case on one block of vectors, as one vectorized ensemble.
* :mod:`~hedgesim.inference.store`: the calibration folder (manifest, cases as run, parts), resumable.
* :mod:`~hedgesim.inference.weights`: likelihoods, Pareto-smoothed importance weights, leave-one-case-out.
* :mod:`~hedgesim.inference.scores`: Brier and log scores, the baselines, reliability.
* :mod:`~hedgesim.inference.identification`: which parameters the cases identify (posterior against prior).
* :mod:`~hedgesim.inference.calibrate`: :func:`calibrate` (``hedgesim calibrate``), :func:`finish`, :func:`install`.
"""

from .calibrate import (
    BLOCK,
    CALIBRATED,
    REFINE_VECTORS,
    REPLICATES,
    SCREEN_REPLICATES,
    SCREEN_VECTORS,
    SEED,
    VECTORS,
    CalibrationInterrupted,
    CalibrationReport,
    calibrate,
    finish,
    install,
    prediction_table,
)
from .design import parameter_items, prior_vectors
from .identification import identification
from .scores import base_rate_loo, brier, log_score, neutrality_always, reliability, score_table
from .screening import screening
from .store import CalibrationStore, Case, read_cases
from .tasks import BlockTask, run_block
from .weights import ess, leave_one_out, log_likelihoods, psis_weights

__all__ = [
    "BLOCK",
    "CALIBRATED",
    "REFINE_VECTORS",
    "REPLICATES",
    "SCREEN_REPLICATES",
    "SCREEN_VECTORS",
    "SEED",
    "VECTORS",
    "BlockTask",
    "CalibrationInterrupted",
    "CalibrationReport",
    "CalibrationStore",
    "Case",
    "base_rate_loo",
    "brier",
    "calibrate",
    "ess",
    "finish",
    "identification",
    "install",
    "leave_one_out",
    "log_likelihoods",
    "log_score",
    "neutrality_always",
    "parameter_items",
    "prediction_table",
    "prior_vectors",
    "psis_weights",
    "read_cases",
    "reliability",
    "run_block",
    "score_table",
    "screening",
]
