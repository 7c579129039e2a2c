"""A calibration folder on disk: manifest, the cases as run, the vectors, append-only parts.

Layout (``results/calibrations/<name>/<UTC stamp>/``)::

    manifest.json      what was asked: cases (with file hashes), sizes, seed, priors, versions
    cases/<case>.yaml  each case as it was run (after ``extends``), so a resume runs the same world
    vectors-screen.parquet     the screening vectors (every parameter from its prior)
    screening.csv              each parameter's influence, and the ones chosen for calibration
    vectors-calibrate.parquet  the calibration vectors (the chosen parameters only, from their prior)
    proposal.json              the proposal fitted to the calibration round's weighted vectors
    vectors-refine.parquet     the refinement vectors (drawn from that proposal)
    parts/<stage>/<case>/<first>.parquet   outcome counts per vector, one file per finished block
    failures/<stage>-<case>-<first>.json   a block that raised, with its error
    sessions.jsonl     who ran or resumed it, when, on which executor
    posterior/         the result (posterior.parquet, predictions.parquet, manifest.json)

Parts are placed atomically (a kill loses only the blocks that were running) and the
folder is locked while a coordinator writes it; ``--resume`` runs exactly the missing blocks.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..ensemble import git_revision, versions
from ..errors import InputError
from ..scenario import Scenario, load_scenario, load_with_extends
from ..util import FolderLock, new_folder, place, write_file

FORMAT = "hedgesim-calibration/1"
#: The stages of a calibration, in order: screening (every parameter), calibration of the chosen ones
#: from their prior, and a refinement round from a proposal fitted to the calibration round.
STAGES: tuple[str, ...] = ("screen", "calibrate", "refine")


@dataclass(frozen=True)
class Case:
    """A scored historical case as calibration uses it."""

    name: str
    scenario: Scenario
    observed: str
    sha256: str
    source: str  # the file it was read from, as given


def read_cases(paths: list[Path]) -> tuple[list[Case], list[str]]:
    """The scored cases among ``paths`` and the names of those left unscored (no ``observed:``).

    Raises:
        InputError: a case does not load, or two cases share a name.
    """
    cases, unscored, seen = [], [], set()
    for path in paths:
        sc = load_scenario(path)
        if sc.name in seen:
            raise InputError(f"two cases are named {sc.name!r}", file=path, field="name")
        seen.add(sc.name)
        if sc.observed is None:
            unscored.append(sc.name)
            continue
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        cases.append(Case(sc.name, sc, str(sc.observed), digest, str(path)))
    if not cases:
        raise InputError("no case states an 'observed:' outcome: there is nothing to calibrate to", field="cases")
    return cases, unscored


class CalibrationStore:
    """A calibration folder; only this class writes to it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.parts = folder / "parts"
        self.failures = folder / "failures"
        self.lock = FolderLock(folder / "manifest.json")

    # ------------------------------------------------------------------ create / open
    @classmethod
    def create(
        cls,
        folder: Path,
        cases: list[Case],
        screen_vectors: pd.DataFrame,
        settings: dict[str, Any],
        priors: dict[str, str],
        unscored: list[str],
        command: list[str] | None,
    ) -> CalibrationStore:
        """Make the folder whole (temporary name, then rename) and lock it.

        Raises:
            InputError: the folder exists.
        """
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": command if command is not None else list(sys.argv),
            **settings,
            "cases": [
                {
                    "name": c.name,
                    "file": c.source,
                    "sha256": c.sha256,
                    "observed": c.observed,
                    "horizon": c.scenario.horizon,
                }
                for c in cases
            ],
            "not_scored": unscored,
            "priors": priors,
            "versions": versions(),
            "git": git_revision(),
        }
        try:
            with new_folder(folder) as tmp:
                (tmp / "cases").mkdir()
                for c in cases:
                    raw = load_with_extends(Path(c.source))[0]
                    (tmp / "cases" / f"{c.name}.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
                    for stage in STAGES:
                        (tmp / "parts" / stage / c.name).mkdir(parents=True)
                (tmp / "failures").mkdir()
                screen_vectors.to_parquet(tmp / "vectors-screen.parquet", index=False)
                (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        except FileExistsError:
            raise InputError(f"{folder} already exists; calibrations are never overwritten", field="--out") from None
        store = cls(folder)
        store._lock()
        return store

    @classmethod
    def open(cls, folder: Path) -> tuple[CalibrationStore, dict[str, Any]]:
        """Open an existing folder to resume it.

        Raises:
            InputError: it is not a calibration folder, is damaged, or another process holds it.
        """
        mf = folder / "manifest.json"
        if not mf.is_file():
            raise InputError(f"{folder} is not a calibration folder (no manifest.json)", field="--resume")
        try:
            manifest = json.loads(mf.read_text())
        except (OSError, ValueError) as exc:
            raise InputError(f"{mf} cannot be read ({exc})", field="--resume") from None
        if manifest.get("format") != FORMAT:
            raise InputError(f"{folder} is not a calibration folder of format {FORMAT}", field="--resume")
        for need in ("vectors-screen.parquet", "cases", "parts", "failures"):
            if not (folder / need).exists():
                raise InputError(f"{folder} is damaged: {need} is missing", field="--resume")
        store = cls(folder)
        store._lock()
        return store, manifest

    def _lock(self) -> None:
        if not self.lock.acquire():
            raise InputError(f"another hedgesim calibrate is writing to {self.folder}", field="--resume")

    def cases(self, manifest: dict[str, Any]) -> list[Case]:
        """The cases exactly as they were run when the folder was made."""
        out = []
        for entry in manifest["cases"]:
            path = self.folder / "cases" / f"{entry['name']}.yaml"
            sc = load_scenario(path)
            out.append(Case(entry["name"], sc, entry["observed"], entry["sha256"], entry["file"]))
        return out

    def vectors(self, stage: str) -> pd.DataFrame | None:
        """The vectors of a stage (None while the calibration vectors are not chosen yet)."""
        path = self.folder / f"vectors-{stage}.parquet"
        return pd.read_parquet(path) if path.is_file() else None

    def write_vectors(self, stage: str, vectors: pd.DataFrame, why: dict[str, str]) -> None:
        """Store a stage's vectors and the files that say how they were chosen (each atomically)."""
        for name, text in why.items():
            write_file(self.folder / name, text, replace=True)
        buf = io.BytesIO()
        vectors.to_parquet(buf, index=False)
        write_file(self.folder / f"vectors-{stage}.parquet", buf.getvalue())

    # ------------------------------------------------------------------ parts
    def clean_tmp(self) -> None:
        """Remove temporary files a killed process left (we hold the lock, so none is in use)."""
        for root, _dirs, files in os.walk(self.folder):
            for name in files:
                if name.startswith(".") and name.endswith(".tmp"):
                    os.unlink(os.path.join(root, name))

    def done(self, stage: str) -> set[tuple[str, int]]:
        """(case, first vector) of every block of ``stage`` stored."""
        out = set()
        pat = re.compile(r"^(\d+)\.parquet$")
        for sub in (self.parts / stage).iterdir():
            if sub.is_dir():
                for entry in os.scandir(sub):
                    m = pat.match(entry.name)
                    if m:
                        out.add((sub.name, int(m.group(1))))
        return out

    def write_part(self, stage: str, case: str, first: int, data: bytes) -> None:
        """Store a finished block (atomically; the first writer wins, and its bytes are the same)."""
        final = self.parts / stage / case / f"{first:07d}.parquet"
        tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            placed = place(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        if not placed:
            tmp.unlink(missing_ok=True)
        (self.failures / f"{stage}-{case}-{first:07d}.json").unlink(missing_ok=True)

    def write_failure(self, stage: str, case: str, first: int, error: str) -> dict[str, Any]:
        """Record a failed block; it runs again on resume."""
        rec = {
            "stage": stage,
            "case": case,
            "first": first,
            "error": error,
            "utc": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_file(self.failures / f"{stage}-{case}-{first:07d}.json", json.dumps(rec, indent=2) + "\n", replace=True)
        return rec

    def failure_records(self) -> list[dict[str, Any]]:
        """Failures of blocks that still have no part."""
        recs = [json.loads(p.read_text()) for p in sorted(self.failures.glob("*.json"))]
        done = {stage: self.done(stage) for stage in STAGES}
        return [r for r in recs if (r["case"], r["first"]) not in done[r["stage"]]]

    def counts(self, stage: str, case: str) -> pd.DataFrame:
        """All stored counts of a case in a stage, by vector."""
        files = sorted((self.parts / stage / case).glob("*.parquet"))
        if not files:
            return pd.DataFrame()
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True).sort_values(
            "theta_id", ignore_index=True
        )

    def log(self, event: dict[str, Any]) -> None:
        """Append one line to sessions.jsonl."""
        event = {"utc": datetime.now(UTC).isoformat(timespec="seconds"), "pid": os.getpid(), **event}
        with open(self.folder / "sessions.jsonl", "a") as fh:
            fh.write(json.dumps(event, default=str) + "\n")
