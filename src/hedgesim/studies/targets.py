"""What a study takes: saved run folders, scenario files (run on the spot), or results in memory.

Also the one rule for common random numbers: two ensembles are paired replicate by
replicate when they share the seed, the replicate ids, and the actors with the same roles
and rules, because replicate i then draws the same random stream in both (the model
draws a fixed number of uniforms per step for each actor's rule).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..ensemble import Results, plan, run
from ..errors import InputError
from ..scenario import Scenario

#: Manifest formats of the folders studies read.
RUN_FORMAT = "hedgesim-run/1"
SWEEP_FORMAT = "hedgesim-sweep/1"
COMPARISON_FORMAT = "hedgesim-comparison/1"


def folder_kind(path: Path) -> str | None:
    """``run``, ``sweep`` or ``comparison`` from a folder's manifest; None if it is not a hedgesim folder."""
    try:
        manifest = json.loads((path / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    fmt = manifest.get("format") if isinstance(manifest, dict) else None
    return {RUN_FORMAT: "run", SWEEP_FORMAT: "sweep", COMPARISON_FORMAT: "comparison"}.get(str(fmt))


def load_target(
    target: Results | Scenario | str | Path,
    *,
    replicates: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
) -> Results:
    """Results from a run folder, a scenario file or Scenario (run now), or Results as they are.

    ``replicates``, ``seed`` and ``overrides`` apply to scenarios that are run; given for a
    saved run they are refused, since that run is already fixed.

    Raises:
        InputError: a path that is neither, a sweep or comparison folder, or a bad scenario.
    """
    if isinstance(target, Results):
        return target
    if isinstance(target, Scenario):
        return run(target, replicates=replicates, seed=seed, overrides=overrides, progress=False)
    path = Path(target)
    if path.is_dir():
        kind = folder_kind(path)
        if kind != "run":
            what = {"sweep": "a sweep folder", "comparison": "a comparison folder"}.get(str(kind), "not a run folder")
            raise InputError(f"{what}: give run folders (hedgesim run) or scenario files", file=path)
        if replicates is not None or seed is not None or overrides:
            raise InputError(
                "--replicates, --seed and --set apply to scenario files, not to a saved run", file=path, field="target"
            )
        return Results.load(path)
    if not path.exists():
        raise InputError("no such file or folder", file=path)
    return run(path, replicates=replicates, seed=seed, overrides=overrides, progress=False)


def _rules(sc: Scenario) -> list[tuple[str, str, str | None]]:
    return [(name, a.role, a.rule.name if a.rule else None) for name, a in sc.actors.items()]


def crn_pairing(reference: Results, other: Results) -> tuple[bool, str]:
    """Whether two ensembles share common random numbers replicate by replicate, and why (or why not).

    Paired when the seeds, the replicate ids, and the actors (names, order, roles and rule
    names) are the same. Rule parameters, mechanisms, events and starting state may
    differ: they change what the random numbers do, not which are drawn (a rule draws a
    fixed number of uniforms per step, as the rule contract requires).
    """
    a, b = reference.scenario, other.scenario
    if a.seed != b.seed:
        return False, f"not paired: the seeds differ ({a.seed} and {b.seed})"
    ids_a, ids_b = reference.runs["replicate"].to_numpy(), other.runs["replicate"].to_numpy()
    if len(ids_a) != len(ids_b) or not np.array_equal(ids_a, ids_b):
        return False, f"not paired: the replicates differ ({len(ids_a):,} and {len(ids_b):,})"
    ra, rb = _rules(a), _rules(b)
    if [r[0] for r in ra] != [r[0] for r in rb]:
        return False, "not paired: the actors differ"
    for (name, role_a, rule_a), (_, role_b, rule_b) in zip(ra, rb, strict=True):
        if role_a != role_b or rule_a != rule_b:
            return False, f"not paired: {name} has another role or rule ({role_a}/{rule_a} and {role_b}/{rule_b})"
    if len(a.hazards) != len(b.hazards):
        return False, "not paired: the hazards differ (each draws its own uniform every step)"
    if a.uncertainty != b.uncertainty:
        return False, f"not paired: the uncertainty differs ({a.uncertainty} and {b.uncertainty})"
    facts_note = ""
    if a.uncertainty != "none":
        # Types, parameters and rule parameters are drawn first and alike; facts last (they may differ).
        pa, pb = plan(a, a.uncertainty), plan(b, b.uncertainty)
        ia, ib = ([i.column for i in p.items[: len(p.items) - len(p.facts)]] for p in (pa, pb))
        if ia != ib:
            return False, "not paired: the uncertain parameters differ, so the replicates draw differently"
        fa, fb = ([i.column.removeprefix("draw.facts.") for *_, i in p.facts] for p in (pa, pb))
        if fa != fb:
            only = [
                f"only {sc.name}: {', '.join(x for x in mine if x not in theirs)}"
                for sc, mine, theirs in ((a, fa, fb), (b, fb, fa))
                if any(x not in theirs for x in mine)
            ]
            facts_note = (
                f"; but the uncertain facts differ ({'; '.join(only) or 'in order'}), so the facts after the first "
                "difference draw other numbers: the pairing is weaker there (the paired interval stays valid, it is "
                "only less narrow)"
            )
    return True, (
        f"paired on common random numbers: same seed ({a.seed}), replicates, actors, roles, rules, hazards and "
        f"uncertain parameters, so replicate i of each draws the same random streams{facts_note}"
    )


def unique_names(names: Sequence[str]) -> list[str]:
    """Names made unique by suffixing repeats: ``baseline``, ``baseline (2)``..."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def describe_source(target: Any) -> str:
    """Where a target came from, for manifests: a path, or what kind of object it was."""
    if isinstance(target, str | Path):
        return str(target)
    if isinstance(target, Results) and target.folder is not None:
        return str(target.folder)
    return f"<{type(target).__name__} in memory>"
