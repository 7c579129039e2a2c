"""Fingerprints of the model's outputs, pinned so that a refactor cannot change behaviour unnoticed.

Every shipped scenario and case is run at its own seed with steps recorded, and a few
small sweeps (one per design) are run in-process; each table is reduced to a
fingerprint: its shape and column types, an exact hash of every non-float column, and
for every float column two sums (plain and position-weighted, so a reordering shows).
Float sums are compared with a relative tolerance of 1e-9, so the pins hold across
CPUs and numpy builds whose ``exp`` differs in the last bit, while any real change to
the dynamics moves some sum by far more than that.

Regenerate (only when a change is meant to alter outputs, and say so in the commit)::

    python tests/regression/pinning.py --update
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
PINS = Path(__file__).with_name("pins.json")
REPLICATES = 300
RTOL = 1e-9

SWEEPS: dict[str, str] = {
    "grid": """
base: {base}
parameters:
  actors.NATO.state.posture: {{range: [0.1, 0.9], levels: 3}}
  actors.Russia.rule.params.coercion: {{values: [0.0, 1.0]}}
design: grid
replicates: 60
chunk_size: 25
seed: 7
""",
    "lhs": """
base: {base}
parameters:
  actors.NATO.state.posture: {{range: [0.1, 0.9]}}
  parameters.incident_rate: {{range: [0.01, 0.2], log: true}}
design: lhs
samples: 6
replicates: 40
seed: 11
""",
    "sobol": """
base: {base}
parameters:
  actors.NATO.state.posture: {{range: [0.1, 0.9]}}
  parameters.flank_sensitivity: {{range: [0.0, 3.0]}}
design: sobol
samples: 4
replicates: 30
seed: 13
""",
    "morris": """
base: {base}
parameters:
  actors.NATO.state.posture: {{range: [0.1, 0.9]}}
  actors.Belarus.rule.params.precision: {{range: [1, 30], integer: true}}
design: morris
samples: 2
replicates: 30
seed: 17
""",
    "random": """
base: {base}
parameters:
  actors.NATO.state.posture: {{range: [0.1, 0.9]}}
  actors.Russia.rule.params.coercion: {{values: [0.0, 0.5, 1.0]}}
design: random
samples: 5
replicates: 30
seed: 19
""",
}


def scenario_files() -> list[Path]:
    """Every shipped scenario and historical case, in a fixed order."""
    folder = ROOT / "scenarios"
    return sorted(folder.glob("*.yaml")) + sorted((folder / "cases").glob("*.yaml"))


def exact_hash(df: pd.DataFrame | None) -> str | None:
    """sha256 of every column's name, type and raw values: equal only for bit-identical tables."""
    if df is None:
        return None
    h = hashlib.sha256()
    for name in df.columns:
        s = df[name]
        h.update(f"{name}:{s.dtype}".encode())
        if pd.api.types.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
            h.update(np.ascontiguousarray(s.to_numpy()).tobytes())
        else:
            h.update("\x1f".join(map(str, s.astype(str).tolist())).encode())
    return h.hexdigest()


def fingerprint(df: pd.DataFrame | None) -> dict[str, Any] | None:
    """Shape, column types, exact hashes of non-float columns and two sums per float column."""
    if df is None:
        return None
    n = len(df)
    weights = (np.arange(n) % 101 + 1).astype(float)
    cols: dict[str, Any] = {}
    for name in df.columns:
        s = df[name]
        if pd.api.types.is_float_dtype(s.dtype):
            a = s.to_numpy(dtype=float)
            cols[str(name)] = [
                math.fsum(a[np.isfinite(a)]),
                math.fsum(a[np.isfinite(a)] * weights[np.isfinite(a)]),
                int((~np.isfinite(a)).sum()),
            ]
        else:
            text = "\x1f".join(map(str, s.astype(str).tolist()))
            cols[str(name)] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return {"rows": n, "dtypes": [f"{c}:{df[c].dtype}" for c in df.columns], "columns": cols}


def run_scenarios(reduce: Any = None) -> dict[str, Any]:
    """Fingerprints of runs, steps and moves for every shipped scenario and case."""
    reduce = reduce or fingerprint
    import hedgesim

    out: dict[str, Any] = {}
    for path in scenario_files():
        res = hedgesim.run(path, replicates=REPLICATES, record="steps", progress=False)
        key = str(path.relative_to(ROOT / "scenarios"))
        out[key] = {name: reduce(getattr(res, name)) for name in ("runs", "steps", "moves")}
    return out


def run_sweeps(reduce: Any = None) -> dict[str, Any]:
    """Fingerprints of points, summary and runs of one small sweep per design."""
    reduce = reduce or fingerprint
    from hedgesim.sweep import run_sweep

    out: dict[str, Any] = {}
    base = ROOT / "scenarios" / "baseline.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        for design, text in SWEEPS.items():
            spec = Path(tmp) / f"{design}.yaml"
            spec.write_text(text.format(base=base), encoding="utf-8")
            folder = Path(tmp) / f"out-{design}"
            run_sweep(spec, out=folder, workers=1, progress=False, echo=lambda _m: None)
            out[design] = {
                name: reduce(pd.read_parquet(folder / f"{name}.parquet")) for name in ("points", "summary", "runs")
            }
    return out


def compute(reduce: Any = None) -> dict[str, Any]:
    """Every pinned table, reduced by ``reduce`` (default: :func:`fingerprint`)."""
    return {"scenarios": run_scenarios(reduce), "sweeps": run_sweeps(reduce)}


def differences(pinned: Any, now: Any, where: str = "") -> list[str]:
    """Where two fingerprints disagree (floats within RTOL agree)."""
    if isinstance(pinned, dict) and isinstance(now, dict):
        out = []
        for key in sorted(set(pinned) | set(now)):
            if key not in pinned or key not in now:
                out.append(f"{where}/{key}: {'added' if key in now else 'missing'}")
            else:
                out += differences(pinned[key], now[key], f"{where}/{key}")
        return out
    if isinstance(pinned, list) and isinstance(now, list) and len(pinned) == len(now):
        out = []
        for i, (a, b) in enumerate(zip(pinned, now, strict=True)):
            if isinstance(a, float) or isinstance(b, float):
                if not math.isclose(a, b, rel_tol=RTOL, abs_tol=1e-9):
                    out.append(f"{where}[{i}]: {a!r} != {b!r}")
            elif a != b:
                out.append(f"{where}[{i}]: {a!r} != {b!r}")
        return out
    return [] if pinned == now else [f"{where}: {pinned!r} != {now!r}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite pins.json from the current code")
    parser.add_argument(
        "--exact",
        metavar="FILE",
        help="compare exact hashes with FILE (written there if it does not exist): bit-identity on one machine",
    )
    args = parser.parse_args(argv)
    if args.exact:
        exact = compute(exact_hash)
        path = Path(args.exact)
        if not path.exists():
            path.write_text(json.dumps(exact, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"wrote {path}")
            return 0
        diff = differences(json.loads(path.read_text(encoding="utf-8")), exact)
        print("\n".join(diff[:50]) if diff else "bit-identical to the exact pins")
        return 1 if diff else 0
    now = compute()
    if args.update:
        PINS.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {PINS}")
        return 0
    diff = differences(json.loads(PINS.read_text(encoding="utf-8")), now)
    print("\n".join(diff[:50]) if diff else "outputs match the pins")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
