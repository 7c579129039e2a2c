"""Validation against history and the seed's claims as experiments.

* :func:`check_cases` runs every historical case in ``scenarios/cases/`` and compares the
  model's most likely outcome with what happened (``observed:``).
* :func:`cross_case_patterns` tests the three patterns of ``shared/data/cases.md`` as
  comparisons between scenarios whose 95% intervals must not overlap.
* :func:`findings` runs the policy scenarios pairwise for each claim of the seed and
  :func:`write_findings` writes ``docs/findings.md``.

Every share comes with a 95% Wilson interval; a difference of two shares with a Newcombe
(hybrid Wilson score) interval; a difference of means with a Welch interval. Two arms of
a comparison use the same seed and replicate ids (common random numbers), which makes the
independent-samples intervals used here conservative.

``python -m hedgesim.cases check|patterns|findings [--replicates N]``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .analysis import outcome_shares, wilson_interval
from .catalogue import OUTCOMES
from .errors import InputError
from .fsutil import project_root, write_atomic

REPO = project_root()
SCENARIOS = REPO / "scenarios"
CASES = SCENARIOS / "cases"
FINDINGS = REPO / "docs" / "findings.md"
LEVEL = 0.95
DEFAULT_REPLICATES = 2000


# --------------------------------------------------------------------------- running arms


@dataclass(frozen=True)
class Arm:
    """One scenario run: a file, optional overrides, and a label for reports."""

    label: str
    path: Path
    overrides: tuple[tuple[str, Any], ...] = ()


@dataclass
class Lab:
    """Runs arms at a fixed size and seed, once each (patterns and findings reuse arms)."""

    replicates: int = DEFAULT_REPLICATES
    seed: int | None = None
    _cache: dict[Arm, pd.DataFrame] = field(default_factory=dict)

    def runs(self, arm: Arm) -> pd.DataFrame:
        if arm not in self._cache:
            from .runner import run

            res = run(arm.path, replicates=self.replicates, seed=self.seed, overrides=dict(arm.overrides))
            self._cache[arm] = res.runs
        return self._cache[arm]

    def shares(self, arm: Arm) -> pd.DataFrame:
        """Outcome shares with Wilson intervals, plus ``mean:tension`` (final tension, t interval).

        Where an outcome is pre-empted (a case that bandwagons before any crisis can come), the
        final tension still measures how far up the escalation ladder the region stands.
        """
        runs = self.runs(arm)
        out = outcome_shares(runs, level=LEVEL)
        m, lo, hi = mean_interval(runs["tension"].to_numpy())
        out.loc["mean:tension"] = {"n": len(runs), "share": m, "lo": lo, "hi": hi}
        return out


def case_paths(folder: Path = CASES) -> list[Path]:
    """The shipped historical cases."""
    return sorted(folder.glob("*.yaml"))


def _raw(path: Path) -> dict[str, Any]:
    from .yamlio import load_with_extends

    return load_with_extends(path)[0]


def event_overrides(path: Path, label_prefix: str, intensity: float = 0.0) -> tuple[tuple[str, Any], ...]:
    """Overrides that set to ``intensity`` every event whose label starts with ``label_prefix``.

    Found by label, not by position, so a counterfactual survives edits to the case file.
    """
    events = _raw(path).get("events") or []
    hits = [i for i, ev in enumerate(events) if str(ev.get("label", "")).startswith(label_prefix)]
    if not hits:
        raise InputError(f"no event labelled {label_prefix!r}...", file=path, field="events")
    return tuple((f"events[{i}].intensity", intensity) for i in hits)


def _role_members(path: Path, role: str) -> list[str]:
    return [name for name, spec in (_raw(path).get("actors") or {}).items() if spec.get("role") == role]


# --------------------------------------------------------------------------- the case check


def modal(shares: pd.DataFrame) -> str:
    """The most likely outcome (first in OUTCOMES order on a tie)."""
    s = shares.loc[list(OUTCOMES), "share"]
    return str(s.idxmax())


def separated(shares: pd.DataFrame, outcome: str) -> bool:
    """Whether ``outcome``'s interval lies wholly above every other outcome's."""
    lo = shares.at[outcome, "lo"]
    return all(lo > shares.at[o, "hi"] for o in OUTCOMES if o != outcome)


def check_cases(
    paths: Sequence[Path] | None = None,
    replicates: int = DEFAULT_REPLICATES,
    seed: int | None = None,
    lab: Lab | None = None,
) -> pd.DataFrame:
    """Per case: the observed outcome, the model's shares with 95% Wilson intervals, the modal outcome, a match."""
    lab = lab or Lab(replicates, seed)
    rows = []
    for path in paths or case_paths():
        observed = _raw(path).get("observed")
        if observed not in OUTCOMES:
            raise InputError(
                f"a historical case needs 'observed:' (one of {', '.join(OUTCOMES)})", file=path, field="observed"
            )
        sh = lab.shares(Arm(path.stem, path))
        row: dict[str, Any] = {"case": path.stem, "observed": observed, "n": int(sh.loc[list(OUTCOMES), "n"].sum())}
        for o in OUTCOMES:
            row[o], row[f"{o}_lo"], row[f"{o}_hi"] = (float(sh.at[o, c]) for c in ("share", "lo", "hi"))
        row["modal"] = modal(sh)
        row["match"] = row["modal"] == observed
        row["clear"] = separated(sh, row["modal"])  # the modal outcome's interval above the others'
        rows.append(row)
    return pd.DataFrame(rows)


def _ci(share: float, lo: float, hi: float) -> str:
    return f"{share:6.1%} [{lo:5.1%}, {hi:5.1%}]"


def format_check(df: pd.DataFrame) -> str:
    """A terminal table of check_cases."""
    w = max([len("case"), *df["case"].str.len()])
    head = f"{'case':<{w}}  {'observed':<15}  " + "  ".join(f"{o:<23}" for o in OUTCOMES) + "  modal            match"
    lines = [head]
    for _, r in df.iterrows():
        cells = "  ".join(f"{_ci(r[o], r[o + '_lo'], r[o + '_hi']):<23}" for o in OUTCOMES)
        mark = "yes" if r["match"] else "NO"
        if r["match"] and not r["clear"]:
            mark += " (intervals overlap)"
        lines.append(f"{r['case']:<{w}}  {r['observed']:<15}  {cells}  {r['modal']:<15}  {mark}")
    n = int(df["n"].iloc[0]) if len(df) else 0
    lines.append(f"\n{int(df['match'].sum())} of {len(df)} cases match; {n:,} replicates each, 95% Wilson intervals.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- cross-case patterns


@dataclass(frozen=True)
class Comparison:
    """``left``'s share of ``left_outcome`` exceeds ``right``'s share of ``right_outcome``, intervals apart."""

    pattern: str
    test: str
    left: Arm
    left_outcome: str
    right: Arm
    right_outcome: str


def pattern_comparisons(cases: Path = CASES) -> list[Comparison]:
    """The three patterns of cases.md as precise comparisons.

    1. Economic pressure alone makes a dependent state bandwagon (Armenia: bandwagoning above
       escalation); escalation needs the squeeze together with the rival side's alignment move
       (Ukraine's escalation above Armenia's, and above Ukraine's without the EU's move).
    2. A high trade share does not decide (Belarus 2014-19 and Finland: neutrality above every
       other outcome); regime security and an outside option do (Belarus 2014-19 with an insecure
       regime, regime_security 0.2, and Finland with no Western option, keep neutrality less often).
    3. CSBMs lower escalation but do not stop bandwagoning once the regime needs the patron
       (Belarus 2020-22 with full CSBMs and transparency escalates less than with none, and
       bandwagoning stays above every other outcome).
    """
    arm = cases / "armenia_2013.yaml"
    ukr = cases / "ukraine_2013_2014.yaml"
    by14 = cases / "belarus_2014_2019.yaml"
    fin = cases / "finland_1948_1991.yaml"
    by20 = cases / "belarus_2020_2022.yaml"
    A, U, B14, F = (Arm(p.stem, p) for p in (arm, ukr, by14, fin))
    U0 = Arm("ukraine_2013_2014 without the EU's alignment move", ukr, event_overrides(ukr, "alignment move"))
    hedger14 = _role_members(by14, "hedger")[0]
    B14r = Arm(
        "belarus_2014_2019 with an insecure regime (regime_security 0.2)",
        by14,
        ((f"actors.{hedger14}.state.regime_security", 0.2),),
    )
    fin_hedger = _role_members(fin, "hedger")[0]
    fin_blocs = _role_members(fin, "economic_bloc")
    F0 = Arm(
        "finland_1948_1991 with no Western option (no bloc trade or engagement)",
        fin,
        (
            (f"actors.{fin_hedger}.state.dependence_bloc", 0.0),
            *((f"actors.{b}.state.engagement", 0.0) for b in fin_blocs),
            *event_overrides(fin, "FINEFTA"),
        ),
    )
    hedger20 = _role_members(by20, "hedger")[0]
    nbs = _role_members(by20, "neighbour")
    full = Arm(
        "belarus_2020_2022 with full CSBMs and transparency",
        by20,
        (
            *((f"actors.{n}.state.csbm", 1.0) for n in nbs),
            (f"actors.{hedger20}.state.transparency", 1.0),
        ),
    )
    none = Arm(
        "belarus_2020_2022 with no CSBMs or transparency",
        by20,
        (
            *((f"actors.{n}.state.csbm", 0.0) for n in nbs),
            (f"actors.{hedger20}.state.transparency", 0.0),
        ),
    )
    out = [
        Comparison("1", "Armenia: bandwagoning above escalation", A, "bandwagoning", A, "escalation"),
        Comparison("1", "escalation: Ukraine above Armenia", U, "escalation", A, "escalation"),
        Comparison(
            "1", "escalation: Ukraine above Ukraine without the EU's alignment move", U, "escalation", U0, "escalation"
        ),
    ]
    for a in (B14, F):
        for o in ("bandwagoning", "escalation"):
            out.append(Comparison("2", f"{a.label}: neutrality above {o}", a, "neutrality_kept", a, o))
    out += [
        Comparison(
            "2",
            "neutrality: Belarus 2014-19 above the same with an insecure regime",
            B14,
            "neutrality_kept",
            B14r,
            "neutrality_kept",
        ),
        Comparison(
            "2", "neutrality: Finland above Finland with no Western option", F, "neutrality_kept", F0, "neutrality_kept"
        ),
        Comparison(
            "3",
            "final tension: Belarus 2020-22 with no CSBMs above with full CSBMs",
            none,
            "mean:tension",
            full,
            "mean:tension",
        ),
    ]
    for o in ("neutrality_kept", "escalation"):
        out.append(Comparison("3", f"full CSBMs: bandwagoning above {o}", full, "bandwagoning", full, o))
    return out


def cross_case_patterns(
    replicates: int = DEFAULT_REPLICATES,
    seed: int | None = None,
    lab: Lab | None = None,
    cases: Path = CASES,
) -> pd.DataFrame:
    """Each comparison of :func:`pattern_comparisons` with both intervals and whether they are apart."""
    lab = lab or Lab(replicates, seed)
    rows = []
    for c in pattern_comparisons(cases):
        ls, rs = lab.shares(c.left), lab.shares(c.right)
        lrow, rrow = ls.loc[c.left_outcome], rs.loc[c.right_outcome]
        rows.append(
            {
                "pattern": c.pattern,
                "test": c.test,
                "left": c.left.label,
                "left_outcome": c.left_outcome,
                "left_share": lrow["share"],
                "left_lo": lrow["lo"],
                "left_hi": lrow["hi"],
                "right": c.right.label,
                "right_outcome": c.right_outcome,
                "right_share": rrow["share"],
                "right_lo": rrow["lo"],
                "right_hi": rrow["hi"],
                "holds": bool(lrow["lo"] > rrow["hi"]),
            }
        )
    return pd.DataFrame(rows)


def format_patterns(df: pd.DataFrame) -> str:
    lines = []
    for p, grp in df.groupby("pattern", sort=True):
        ok = bool(grp["holds"].all())
        lines.append(f"pattern {p}: {'holds' if ok else 'DOES NOT HOLD'}")
        for _, r in grp.iterrows():
            lines.append(
                f"  [{'ok' if r['holds'] else 'no'}] {r['test']}: "
                f"{_ci(r['left_share'], r['left_lo'], r['left_hi']).strip()} vs "
                f"{_ci(r['right_share'], r['right_lo'], r['right_hi']).strip()}"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------- differences


def newcombe_interval(k1: int, n1: int, k2: int, n2: int, level: float = LEVEL) -> tuple[float, float, float]:
    """Difference p2 - p1 with Newcombe's hybrid score interval (method 10, from Wilson intervals)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = (float(x) for x in wilson_interval(k1, n1, level))
    l2, u2 = (float(x) for x in wilson_interval(k2, n2, level))
    d = p2 - p1
    return d, d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)


def welch_interval(a: np.ndarray, b: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """Difference of means mean(b) - mean(a) with a Welch t interval."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = float(b.mean() - a.mean())
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return d, d, d
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    t = float(stats.t.ppf(0.5 + level / 2, dof))
    return d, d - t * se, d + t * se


def mean_interval(x: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    x = np.asarray(x, float)
    m = float(x.mean())
    se = float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else 0.0
    t = float(stats.t.ppf(0.5 + level / 2, max(len(x) - 1, 1)))
    return m, m - t * se, m + t * se


# --------------------------------------------------------------------------- the seed's claims


@dataclass(frozen=True)
class Quantity:
    """What a claim compares: an outcome share, or the mean of a final-state column; and the sign the seed expects."""

    name: str  # an outcome, or "mean <column>"
    expect: int  # +1 the seed expects an increase, -1 a decrease, 0 no expectation (reported only)


@dataclass(frozen=True)
class Claim:
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
        (Quantity("escalation", -1), Quantity("neutrality_kept", 0), Quantity("bandwagoning", 0)),
    ),
    Claim(
        "csbm_flank",
        "CSBMs lower the chance of escalation where a flank build-up makes it likely",
        "flank_buildup",
        "csbm_flank_buildup",
        (Quantity("escalation", -1), Quantity("neutrality_kept", 0), Quantity("bandwagoning", 0)),
    ),
    Claim(
        "hub",
        "The hub raises the patron's tolerance of neutrality",
        "baseline",
        "minsk_hub",
        (
            Quantity("mean {patron}.tolerance", +1),
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
        members = _role_members(path, role)
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
        if q.expect == 0:
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


# --------------------------------------------------------------------------- docs/findings.md


def _fmt(x: float, share: bool) -> str:
    return f"{x:.1%}" if share else f"{x:.3f}"


def _fmt_ci(m: float, lo: float, hi: float, share: bool) -> str:
    return f"{_fmt(m, share)} [{_fmt(lo, share)}, {_fmt(hi, share)}]"


def _fmt_diff(d: float, lo: float, hi: float, share: bool) -> str:
    if share:
        return f"{d * 100:+.1f} pp [{lo * 100:+.1f}, {hi * 100:+.1f}]"
    return f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def _md_table(head: list[str], rows: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return out


EXPECT = {1: "up", -1: "down", 0: "-"}


def render_findings(
    table: pd.DataFrame, checks: pd.DataFrame | None, patterns: pd.DataFrame | None, replicates: int, seed: int | None
) -> str:
    """The text of docs/findings.md from the computed tables."""
    from . import __version__

    lines = [
        "<!-- Generated by `python -m hedgesim.cases findings` (or `hedgesim findings`): do not edit. -->",
        "",
        "# Findings: the seed's claims as experiments",
        "",
        f"Each claim of the seed (Preiherman, ECFR, 22 Feb 2019) is a comparison of two shipped scenarios "
        f"that differ only in the lever in question (see each file's header). Each scenario ran "
        f"{replicates:,} replicates at {'its own seed' if seed is None else f'seed {seed}'} "
        f"(hedgesim {__version__}). Shares carry 95% Wilson intervals; differences (after - before) "
        "carry 95% Newcombe hybrid-score intervals, means Welch intervals. Both arms share their random "
        "numbers replicate by replicate, which makes these independent-samples intervals conservative. "
        '"Beyond sampling error" means the difference\'s interval excludes 0; with some thirty '
        "comparisons at 95%, one or two may cross that line by chance.",
        "",
        "The model reports what it says, including where it disagrees with the seed; its behavioural "
        "parameters are shared by every scenario and were not tuned to these claims (docs/calibration.md).",
        "",
        "## Summary",
        "",
    ]
    summary = []
    for c in CLAIMS:
        rows = table[table["claim"] == c.key]
        tested = rows[rows["expect"] != 0]
        if len(tested) == 0:
            verdict = "reported only"
        elif (tested["verdict"] == "agrees with the seed").all():
            verdict = "supported"
        elif (tested["verdict"] == "DISAGREES with the seed").any():
            verdict = "contradicted in part" if (tested["verdict"] == "agrees with the seed").any() else "contradicted"
        elif (tested["verdict"] == "agrees with the seed").any():
            verdict = "partly supported"
        else:
            verdict = "no effect beyond sampling error"
        summary.append([c.text, f"`{c.before}` → `{c.after}`", verdict])
    lines += _md_table(["claim", "comparison", "the model says"], summary)
    for c in CLAIMS:
        rows = table[table["claim"] == c.key]
        lines += ["", f"## {c.text}", "", f"`scenarios/{c.before}.yaml` → `scenarios/{c.after}.yaml`.", ""]
        if c.note:
            lines += [c.note, ""]
        body = []
        for _, r in rows.iterrows():
            s = bool(r["is_share"])
            body.append(
                [
                    r["quantity"],
                    _fmt_ci(r["before"], r["before_lo"], r["before_hi"], s),
                    _fmt_ci(r["after"], r["after_lo"], r["after_hi"], s),
                    _fmt_diff(r["diff"], r["diff_lo"], r["diff_hi"], s),
                    "yes" if r["beyond"] else "no",
                    EXPECT[int(r["expect"])],
                    r["verdict"],
                ]
            )
        lines += _md_table(
            ["quantity", c.before, c.after, "difference (95%)", "beyond sampling error", "seed expects", "verdict"],
            body,
        )
    if checks is not None:
        lines += [
            "",
            "## Validation: historical cases",
            "",
            "The same model and parameters on the cases of shared/data/cases.md (`hedgesim check-cases`).",
            "",
        ]
        body = []
        for _, r in checks.iterrows():
            body.append(
                [
                    r["case"],
                    r["observed"],
                    *(_fmt_ci(r[o], r[o + "_lo"], r[o + "_hi"], True) for o in OUTCOMES),
                    r["modal"],
                    "yes" if r["match"] else "**no**",
                ]
            )
        lines += _md_table(["case", "observed", *OUTCOMES, "modal", "match"], body)
    if patterns is not None:
        lines += [
            "",
            "## Validation: cross-case patterns",
            "",
            "Each test holds when the left interval lies wholly above the right one.",
            "",
        ]
        body = [
            [
                r["pattern"],
                r["test"],
                _fmt_ci(r["left_share"], r["left_lo"], r["left_hi"], True),
                _fmt_ci(r["right_share"], r["right_lo"], r["right_hi"], True),
                "yes" if r["holds"] else "**no**",
            ]
            for _, r in patterns.iterrows()
        ]
        lines += _md_table(["pattern", "test", "left", "right", "holds"], body)
    lines.append("")
    return "\n".join(lines)


def write_findings(
    out: Path = FINDINGS, replicates: int = DEFAULT_REPLICATES, seed: int | None = None, with_cases: bool = True
) -> Path:
    """Run every claim (and the case checks) and write the findings atomically."""
    lab = Lab(replicates, seed)
    table = findings(lab=lab)
    checks = check_cases(lab=lab) if with_cases else None
    patterns = cross_case_patterns(lab=lab) if with_cases else None
    text = render_findings(table, checks, patterns, replicates, seed)
    write_atomic(out, text)
    return out


# --------------------------------------------------------------------------- command line


def _guard(fn: Callable[[], int]) -> int:
    try:
        return fn()
    except InputError as exc:
        print(f"hedgesim: error: {exc.format()}", file=sys.stderr)
        return 2


def cli_check_cases(replicates: int = DEFAULT_REPLICATES, seed: int | None = None) -> int:
    """Print the case check; exit status 0 when every case matches, else 1."""
    if replicates < 1:
        raise InputError(f"replicates must be at least 1, got {replicates}", field="--replicates")
    df = check_cases(replicates=replicates, seed=seed)
    print(format_check(df))
    return 0 if bool(df["match"].all()) else 1


def cli_patterns(replicates: int = DEFAULT_REPLICATES, seed: int | None = None) -> int:
    """Print the cross-case patterns; exit status 0 when all hold, else 1."""
    df = cross_case_patterns(replicates=replicates, seed=seed)
    print(format_patterns(df))
    return 0 if bool(df["holds"].all()) else 1


def cli_findings(replicates: int = DEFAULT_REPLICATES, out: Path = FINDINGS, seed: int | None = None) -> int:
    """Write docs/findings.md; exit status 0."""
    if replicates < 1:
        raise InputError(f"replicates must be at least 1, got {replicates}", field="--replicates")
    path = write_findings(out, replicates, seed)
    print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hedgesim.cases", description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["check", "patterns", "findings"])
    ap.add_argument("--replicates", "-n", type=int, default=DEFAULT_REPLICATES)
    ap.add_argument("--seed", type=int, default=None, help="one seed for every scenario (default: each file's)")
    ap.add_argument("--out", type=Path, default=FINDINGS, help="findings: where to write")
    args = ap.parse_args(argv)
    if args.command == "check":
        return _guard(lambda: cli_check_cases(args.replicates, args.seed))
    if args.command == "patterns":
        return _guard(lambda: cli_patterns(args.replicates, args.seed))
    return _guard(lambda: cli_findings(args.replicates, args.out, args.seed))


if __name__ == "__main__":
    sys.exit(main())
