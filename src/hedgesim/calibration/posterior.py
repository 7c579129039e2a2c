"""The posterior of the behavioural parameters that ships with the package, and how to read it.

``hedgesim calibrate`` writes a posterior as weighted parameter vectors: a Parquet table with
one row per vector (``theta_id``, ``weight`` and one ``draw.`` column per parameter, named as
in a run's draws table) and a ``manifest.json`` recording the cases it was fitted to (with a
hash of each file), the priors, the seeds, the sizes and the versions. The shipped copy lives
in ``hedgesim/data/posterior/`` and is read through :mod:`importlib.resources`, so it works
from an installed wheel as from a checkout.

Under ``uncertainty: posterior`` each replicate picks one vector with probability equal to its
weight and draws every quantity the posterior does not cover (facts, private types, the
parameters of rules no case uses) from its prior, as under ``prior``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError

#: Files of a posterior folder.
SAMPLES = "posterior.parquet"
MANIFEST = "manifest.json"
#: Format version of the folder: bumped when its columns or manifest change meaning.
FORMAT = 1


@dataclass(frozen=True)
class Posterior:
    """Weighted parameter vectors and the manifest saying where they came from."""

    samples: pd.DataFrame  # theta_id, weight, draw.* columns
    manifest: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def columns(self) -> list[str]:
        """The parameters the posterior covers, by their ``draw.`` column."""
        return [c for c in self.samples.columns if c.startswith("draw.")]

    @property
    def weights(self) -> np.ndarray:
        """Normalised weights, one per vector."""
        w = self.samples["weight"].to_numpy(dtype=float)
        return w / w.sum()

    def pick(self, u: np.ndarray) -> np.ndarray:
        """The vector each uniform in ``u`` selects, with probability equal to the vectors' weights."""
        cum = np.cumsum(self.weights)
        return np.minimum(np.searchsorted(cum, np.asarray(u, dtype=float), side="right"), len(cum) - 1)

    def ess(self) -> float:
        """Kish's effective sample size of the weights: how many equally weighted vectors they are worth."""
        w = self.weights
        return float(1.0 / np.sum(w**2))


def shipped_folder() -> Any:
    """The packaged posterior folder (a :class:`importlib.resources` traversable)."""
    return resources.files("hedgesim") / "data" / "posterior"


def read_posterior(folder: Any) -> Posterior:
    """Read a posterior folder (a path or a resources traversable).

    Raises:
        InputError: the folder lacks its files, or they do not form a posterior.
    """
    samples_file, manifest_file = folder / SAMPLES, folder / MANIFEST
    if not (samples_file.is_file() and manifest_file.is_file()):
        raise InputError(
            f"no posterior in {folder}: it needs {SAMPLES} and {MANIFEST} (written by hedgesim calibrate)",
            field="uncertainty",
        )
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        with samples_file.open("rb") as fh:
            samples = pd.read_parquet(fh)
    except (OSError, ValueError) as exc:
        raise InputError(f"the posterior in {folder} cannot be read ({exc})", field="uncertainty") from None
    if manifest.get("format") != FORMAT:
        raise InputError(
            f"the posterior in {folder} has format {manifest.get('format')!r}; this version reads format {FORMAT}",
            field="uncertainty",
        )
    w = samples.get("weight")
    if w is None or not len(samples) or not np.all(np.isfinite(w)) or (w < 0).any() or w.sum() <= 0:
        raise InputError(f"the posterior in {folder} has no valid weights", field="uncertainty")
    return Posterior(samples.reset_index(drop=True), manifest, str(folder))


_CACHE: dict[str, Posterior] = {}


def load_posterior(folder: str | Path | None = None) -> Posterior:
    """The posterior in ``folder``, or the one that ships with the package (read once per process).

    Raises:
        InputError: no posterior is there, or it cannot be read.
    """
    where = Path(folder) if folder is not None else shipped_folder()
    try:  # a posterior rewritten in place (hedgesim calibrate --install) is read afresh
        stamp = Path(str(where / SAMPLES)).stat().st_mtime_ns
    except OSError:
        stamp = 0
    key = f"{where}@{stamp}"
    if key not in _CACHE:
        _CACHE[key] = read_posterior(where)
    return _CACHE[key]
