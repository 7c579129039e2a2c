"""The seed's claims as experiments: each a comparison of two shipped scenarios.

Each claim names the scenario before and after the lever in question and the
quantities it moves, with the sign the seed expects. A share's difference carries a
Newcombe (hybrid Wilson score) interval, a mean's a Welch interval. Two arms use the
same seed and replicate ids (common random numbers), which makes these
independent-samples intervals conservative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..analysis import LEVEL, mean_interval, newcombe_interval, welch_interval, wilson_interval
from .cases import DEFAULT_REPLICATES, SCENARIOS, Arm, Lab, role_members


@dataclass(frozen=True)
class Quantity:
    """What a claim compares: an outcome share, or the mean of a final-state column; and the sign the seed expects."""

    name: str  # an outcome, or "mean <column>"
    expect: int  # +1 the seed expects an increase, -1 a decrease, 0 no expectation (reported only)
    constructed: str = ""  # why the sign follows from the model's construction (then it is not a finding)


@dataclass(frozen=True)
class Claim:
    """A claim of the seed: the scenarios before and after the lever, and the quantities it moves."""

    key: str
    text: str
    before: str  # scenario file stem
    after: str
    quantities: tuple[Quantity, ...]
    note: str = ""


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "flank",
        "A flank build-up makes neutrality untenable and raises bandwagoning and escalation",
        "baseline",
        "flank_buildup",
        (Quantity("neutrality_kept", -1), Quantity("bandwagoning", +1), Quantity("escalation", +1)),
    ),
    Claim(
        "csbm",
        "CSBMs with all four neighbours lower the chance of escalation",
        "baseline",
        "csbm_all_neighbours",
        (
            Quantity("escalation", -1, constructed="CSBMs damp the incident hazard and the chance to climb"),
            Quantity("neutrality_kept", 0),
            Quantity("bandwagoning", 0),
        ),
    ),
    Claim(
        "csbm_flank",
        "CSBMs lower the chance of escalation where a flank build-up makes it likely",
        "flank_buildup",
        "csbm_flank_buildup",
        (
            Quantity("escalation", -1, constructed="CSBMs damp the incident hazard and the chance to climb"),
            Quantity("neutrality_kept", 0),
            Quantity("bandwagoning", 0),
        ),
    ),
    Claim(
        "hub",
        "The hub raises the patron's tolerance of neutrality",
        "baseline",
        "minsk_hub",
        (
            Quantity("mean {patron}.tolerance", +1, constructed="tolerance adds hub_value times the hub"),
            Quantity("neutrality_kept", +1),
            Quantity("escalation", 0),
            Quantity("bandwagoning", 0),
        ),
    ),
    Claim(
        "levers",
        "Economic levers without compensation push toward bandwagoning",
        "no_oil_tax",
        "oil_tax_no_compensation",
        (Quantity("bandwagoning", +1), Quantity("neutrality_kept", -1), Quantity("escalation", 0)),
    ),
    Claim(
        "offer",
        "The same lever compensated by an integration offer (the seed: Moscow offered only deeper integration)",
        "oil_tax_no_compensation",
        "oil_tax_integration_offer",
        (
            Quantity("bandwagoning", 0),
            Quantity("neutrality_kept", 0),
            Quantity("escalation", 0),
            Quantity("mean {hedger}.integration", 0),
        ),
        note="The seed expects no particular sign: it reports the offer as a threat to sovereignty.",
    ),
    Claim(
        "conditional",
        "Compensation offered only for deeper integration, not for compliance, pushes toward bandwagoning",
        "oil_tax_compliance_compensation",
        "baseline",
        (Quantity("bandwagoning", +1), Quantity("neutrality_kept", -1), Quantity("escalation", 0)),
        note="The seed's argument: Moscow answered Minsk's compensation demands only with 'deeper integration'.",
    ),
    Claim(
        "package",
        "The package (hub + situational neutrality + CSBMs) keeps neutrality and lowers escalation",
        "baseline",
        "seed_package",
        (Quantity("neutrality_kept", +1), Quantity("escalation", -1), Quantity("bandwagoning", 0)),
    ),
    Claim(
        "package_flank",
        "The package works only without a flank build-up",
        "seed_package",
        "seed_package_flank_buildup",
        (Quantity("neutrality_kept", -1), Quantity("bandwagoning", +1), Quantity("escalation", +1)),
    ),
    Claim(
        "package_vs_flank",
        "Under a flank build-up, the package still helps",
        "flank_buildup",
        "seed_package_flank_buildup",
        (Quantity("neutrality_kept", 0), Quantity("escalation", 0), Quantity("bandwagoning", 0)),
        note="Not a claim of the seed; reported to show how much of the package survives a build-up.",
    ),
    Claim(
        "base",
        "A Russian base demand (a threat the seed names) ends neutrality",
        "baseline",
        "base_demand",
        (Quantity("neutrality_kept", -1), Quantity("bandwagoning", +1), Quantity("escalation", 0)),
    ),
    Claim(
        "regime",
        "A regime crisis with Western isolation and patron backing (2020) ends neutrality in bandwagoning",
        "baseline",
        "regime_crisis_2020",
        (Quantity("neutrality_kept", -1), Quantity("bandwagoning", +1), Quantity("escalation", 0)),
    ),
)


def _column(q: Quantity, runs: pd.DataFrame, scenario_actors: Mapping[str, str]) -> str:
    col = q.name.split(" ", 1)[1]
    return col.format(**scenario_actors)


def _roles(path: Path) -> dict[str, str]:
    out = {}
    for role in ("hedger", "patron"):
        members = role_members(path, role)
        if members:
            out[role] = members[0]
    return out


def compare(lab: Lab, claim: Claim, folder: Path = SCENARIOS) -> pd.DataFrame:
    """One claim: per quantity, both arms with intervals, the difference with its interval, and a verdict."""
    a, b = Arm(claim.before, folder / f"{claim.before}.yaml"), Arm(claim.after, folder / f"{claim.after}.yaml")
    ra, rb = lab.runs(a), lab.runs(b)
    roles = _roles(a.path)
    rows = []
    for q in claim.quantities:
        if q.name.startswith("mean "):
            col = _column(q, ra, roles)
            va, vb = ra[col].to_numpy(), rb[col].to_numpy()
            (ma, la, ha), (mb, lb, hb) = mean_interval(va), mean_interval(vb)
            d, dlo, dhi = welch_interval(va, vb)
            label = f"mean final {col}"
        else:
            ka, kb = int((ra["outcome"] == q.name).sum()), int((rb["outcome"] == q.name).sum())
            na, nb = len(ra), len(rb)
            ma, mb = ka / na, kb / nb
            la, ha = (float(x) for x in wilson_interval(ka, na, LEVEL))
            lb, hb = (float(x) for x in wilson_interval(kb, nb, LEVEL))
            d, dlo, dhi = newcombe_interval(ka, na, kb, nb)
            label = f"{q.name} share"
        beyond = dlo > 0 or dhi < 0
        sign = 0 if not beyond else (1 if d > 0 else -1)
        if q.constructed and beyond:
            verdict = f"by construction ({'higher' if sign > 0 else 'lower'}: {q.constructed})"
        elif q.constructed:
            verdict = f"no difference beyond sampling error (expected by construction: {q.constructed})"
        elif q.expect == 0:
            verdict = "reported only" if not beyond else ("higher" if sign > 0 else "lower")
        elif not beyond:
            verdict = "no difference beyond sampling error"
        elif sign == q.expect:
            verdict = "agrees with the seed"
        else:
            verdict = "DISAGREES with the seed"
        rows.append(
            {
                "claim": claim.key,
                "quantity": label,
                "expect": q.expect,
                "before": ma,
                "before_lo": la,
                "before_hi": ha,
                "after": mb,
                "after_lo": lb,
                "after_hi": hb,
                "diff": d,
                "diff_lo": dlo,
                "diff_hi": dhi,
                "beyond": beyond,
                "verdict": verdict,
                "constructed": bool(q.constructed),
                "is_share": not q.name.startswith("mean "),
            }
        )
    return pd.DataFrame(rows)


def findings(
    replicates: int = DEFAULT_REPLICATES, seed: int | None = None, lab: Lab | None = None, folder: Path = SCENARIOS
) -> pd.DataFrame:
    """Every claim's comparison in one table."""
    lab = lab or Lab(replicates, seed)
    return pd.concat([compare(lab, c, folder) for c in CLAIMS], ignore_index=True)
