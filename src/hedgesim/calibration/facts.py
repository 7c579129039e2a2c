"""The registry of facts a scenario may state, and the constants of their mapping.

A scenario states facts per actor, each with its value, source and tag::

    facts:
      Belarus:
        trade_share_patron: {value: 0.49, source: "Belstat via NBP (Mroczek), 2019", tag: S}

Each :class:`Fact` says which roles it describes, its unit and valid range, and why it
matters; :mod:`hedgesim.calibration.mapping` turns facts into the model's initial state.
"""

from __future__ import annotations

from dataclasses import dataclass

TAGS = {
    "S": "found in the named source",
    "B": "standard bibliographic fact",
    "E": "estimate or modelling choice",
    "U": "uncertain: check before relying on it",
}
ENTRY_KEYS = ("value", "source", "tag", "note", "range")
#: Relative half-width of the interval a fact carries under uncertainty, by tag, unless its
#: entry gives an explicit ``range: [lo, hi]``. Sourced [S] and standard [B] facts are taken
#: as stated; an estimate [E] is good to about a quarter, an uncertain [U] number to about
#: a half (each replicate draws from a triangular distribution peaked at the stated value,
#: within the fact's own domain). Flags, levels, years and counts are never drawn.
TAG_SPREAD = {"S": 0.0, "B": 0.0, "E": 0.25, "U": 0.5}
#: Kinds of fact that can carry an interval (the others are discrete).
CONTINUOUS_KINDS = ("number", "share")
DERIVED_KEY = "_derived"  # per actor: what the mapping wrote last time, so re-application stays idempotent

# --------------------------------------------------------------------------- constants of the mapping
# Each is a modelling choice made once for every scenario; docs/calibration.md prints them with the reasons.

TROOPS_SCALE_K = 16.0
"""Thousands of troops at which posture reaches 1 - 1/e (0.63): eFP's 4,500 troops give 0.25 (a tripwire)."""
ALLIANCE_TIE_LEAN = 0.1
"""Alignment toward the patron per treaty tie: a tie is a lean, far from the bandwagoning threshold."""
FREE_ELECTIONS_SECURITY = 0.2
"""Regime security added where governments change by free election: survival does not hang on a patron."""
MASS_PROTEST_SECURITY = 0.3
"""Regime security removed by mass anti-government protest within the last year."""
TALKS_INTENSITY = 0.1
"""Monthly intensity of hosting talks for a standing negotiation format (Trilateral Contact Group, Minsk)."""
CSBM_MEASURES_FULL = 4
"""Measures beyond the Vienna Document that make full-depth CSBMs (see csbm_measures)."""
SANCTIONS_BY_LEVEL = (0.0, 0.05, 0.3, 0.7, 1.0)
ENGAGEMENT_BY_LEVEL = (0.1, 0.3, 0.5, 0.7, 0.9)


# --------------------------------------------------------------------------- the registry of facts


@dataclass(frozen=True)
class Fact:
    """A kind of fact a scenario may state: who it describes, its unit and range, and why it matters."""

    name: str
    roles: tuple[str, ...]
    unit: str
    lo: float
    hi: float
    meaning: str
    why: str
    kind: str = "number"  # number | share | flag | level | year | count
    levels: tuple[str, ...] = ()
    positive: bool = False  # strictly above lo


def _level_range(levels: tuple[str, ...]) -> tuple[float, float]:
    return 0.0, float(len(levels) - 1)


SANCTION_LEVELS = (
    "none",
    "residual (arms embargo, a handful of listings)",
    "targeted listings of officials and firms (dozens to hundreds)",
    "sectoral sanctions (key export sectors, finance)",
    "comprehensive embargo",
)
AGREEMENT_LEVELS = (
    "no agreement",
    "partnership and cooperation (PCA, Eastern Partnership, GATT only)",
    "association or free-trade agreement negotiated or initialled",
    "association or free-trade agreement signed or in force",
    "membership",
)
NEUTRALITY_LEVELS = (
    "none",
    "declared policy of neutrality or non-alignment (e.g. Turkmenistan 1995, Moldova's policy before 1994)",
    "neutrality in the constitution or by treaty (e.g. Austria 1955, Moldova 1994)",
)
ASPIRATION_LEVELS = (
    "none",
    "membership stated as a goal (strategy documents, official declarations)",
    "application filed, or membership goal written into the constitution",
)
COMPENSATION_TERMS = (
    "compensation for compliance (subsidies kept while the hedger complies)",
    "compensation only for deeper integration",
)
#: Share of the territory (or population) under patron-backed separatists that makes separatism full.
SEPARATISM_FULL_SHARE = 0.2
GUARANTEE_LEVELS = (
    "none",
    "political assurances (e.g. the 1994 Budapest Memorandum)",
    "declared membership perspective (e.g. NATO Bucharest 2008)",
    "treaty guarantee (e.g. NATO Article 5)",
)

FACTS: dict[str, Fact] = {
    f.name: f
    for f in [
        # -- the hedger's economy
        Fact(
            "trade_share_patron",
            ("hedger",),
            "share of trade",
            0,
            1,
            "the patron's share of the hedger's foreign trade (exports plus imports)",
            "Hirschman 1945: the larger the share, the costlier it is to give the relation up, so the more "
            "the patron's levers hurt",
            kind="share",
        ),
        Fact(
            "trade_share_bloc",
            ("hedger",),
            "share of trade",
            0,
            1,
            "the economic blocs' share of the hedger's foreign trade",
            "the outside option: what engagement can offer and sanctions can take away",
            kind="share",
        ),
        Fact(
            "energy_share_patron",
            ("hedger",),
            "share of supply",
            0,
            1,
            "the patron's share of the hedger's oil and gas supply",
            "pipelines are the patron's chokepoint (Farrell & Newman 2019)",
            kind="share",
        ),
        Fact(
            "gdp_usd_bn",
            ("hedger",),
            "USD bn",
            0,
            1e6,
            "the hedger's GDP",
            "the denominator that turns transfers in dollars into shares of GDP",
            positive=True,
        ),
        Fact(
            "energy_subsidy_usd_bn",
            ("hedger",),
            "USD bn a year",
            0,
            1e6,
            "implicit energy subsidy from the patron (discounted oil and gas, duty-free crude)",
            "a transfer worth 1% of GDP is 1% of GDP: what the patron can withdraw",
        ),
        Fact(
            "energy_subsidy_share_gdp",
            ("hedger",),
            "share of GDP",
            0,
            0.5,
            "the same subsidy where the source gives it as a share of GDP",
            "as energy_subsidy_usd_bn; give one of the two",
            kind="share",
        ),
        Fact(
            "military_alliance_patron",
            ("hedger",),
            "flag",
            0,
            1,
            "a mutual-assistance treaty with the patron in force (CSTO; the 1948 Finnish-Soviet treaty)",
            "alliance ties set where the hedger starts: a lean toward the patron, not a side",
            kind="flag",
        ),
        Fact(
            "economic_union_patron",
            ("hedger",),
            "flag",
            0,
            1,
            "membership of an economic union with the patron (Union State, Eurasian Economic Union)",
            "as military_alliance_patron",
            kind="flag",
        ),
        Fact(
            "free_elections",
            ("hedger",),
            "flag",
            0,
            1,
            "governments change by free election (Freedom House 'Free')",
            "where rulers can lose office safely, regime survival does not hang on a patron's backing",
            kind="flag",
        ),
        Fact(
            "mass_protest",
            ("hedger",),
            "flag",
            0,
            1,
            "mass anti-government protest within the last year",
            "an insecure regime looks for a protector (David 1991, omnibalancing)",
            kind="flag",
        ),
        Fact(
            "contested_election",
            ("hedger",),
            "flag",
            0,
            1,
            "the last national election's result rejected at home and not recognised by the blocs",
            "a legitimacy crisis draws the blocs' sanctions and erodes regime security",
            kind="flag",
        ),
        Fact(
            "hosts_regional_talks",
            ("hedger",),
            "flag",
            0,
            1,
            "the capital hosts a standing format of regional talks",
            "the seed's proposal 1: a hub raises the patron's tolerance and damps escalation",
            kind="flag",
        ),
        Fact(
            "exercise_transparency",
            ("hedger",),
            "share of exercises",
            0,
            1,
            "share of large exercises opened to foreign observers",
            "Vienna Document 2011: transparency lowers misperception (Zapad 2017 observers)",
            kind="share",
        ),
        Fact(
            "hosts_patron_base",
            ("hedger",),
            "flag",
            0,
            1,
            "a patron base on the hedger's territory at the start (Gyumri, Sevastopol, Porkkala)",
            "a base brings the patron's forces onto the hedger's soil and raises its stake (and the means of "
            "a fait accompli); hosted from the start it is a fact, not an outcome",
            kind="flag",
        ),
        Fact(
            "military_spending_usd_bn",
            ("patron", "neighbour", "hedger"),
            "USD bn a year",
            0,
            1e5,
            "military spending (SIPRI definition)",
            "power in Walt's balance of threat, relative to the patron (the patron = 1); the hedger's own "
            "spending only scales a third state's threat",
        ),
        Fact(
            "rival_state_spending_usd_bn",
            ("hedger",),
            "USD bn a year",
            0,
            1e5,
            "military spending of a third state in an unresolved armed conflict with the hedger "
            "(needs the hedger's military_spending_usd_bn)",
            "Snyder 1984: a hedger that only the patron protects fears abandonment",
        ),
        # -- the patron and the security blocs
        Fact(
            "compensation_terms",
            ("patron",),
            "level",
            *_level_range(COMPENSATION_TERMS),
            "what the patron compensates the hedger for at the start: compliance, or only deeper integration",
            "the seed: Moscow answered compensation demands only with 'deeper integration'",
            kind="level",
            levels=COMPENSATION_TERMS,
        ),
        Fact(
            "troops_near_hedger_k",
            ("patron", "security_bloc"),
            "thousand troops",
            0,
            1000,
            "troops the side keeps (or exercises) on or next to the hedger's territory",
            "offensive capability near the hedger (Walt); force density breeds incidents (Jervis)",
        ),
        Fact(
            "forces_adjacent_share",
            ("patron", "security_bloc"),
            "share of forward forces",
            0,
            1,
            "share of the side's forward forces based in states or regions bordering the hedger",
            "proximity in Walt's balance of threat",
            kind="share",
        ),
        Fact(
            "months_since_base_refusal",
            ("patron",),
            "months",
            0,
            1200,
            "months since the hedger last refused the patron a base",
            "Snyder: refusing entrapment angers the ally; the anger fades at the shared grievance_decay",
        ),
        Fact(
            "regional_force_ratio",
            ("security_bloc",),
            "ratio",
            0,
            10,
            "the bloc's forces in the region over the patron's forces in the region",
            "power relative to the patron; a bloc's global spending says little about the regional balance",
        ),
        Fact(
            "security_guarantee",
            ("security_bloc",),
            "level",
            *_level_range(GUARANTEE_LEVELS),
            "the bloc's security commitment to the hedger",
            "a credible outside protector makes leaning away from the patron less dangerous",
            kind="level",
            levels=GUARANTEE_LEVELS,
        ),
        # -- Model 2: more of the hedger's ties and declarations
        Fact(
            "trade_share_partner",
            ("hedger",),
            "share of trade",
            0,
            1,
            "third poles' (partners') share of the hedger's foreign trade, e.g. China for Central Asia",
            "a second economic partner is an outside option that weakens the patron's leverage",
            kind="share",
        ),
        Fact(
            "remittances_share_gdp",
            ("hedger",),
            "share of GDP",
            0,
            1,
            "remittances from the hedger's workers in the patron's economy",
            "labour-market measures are a lever too (Tajikistan, Kyrgyzstan, Armenia)",
            kind="share",
        ),
        Fact(
            "transit_share_exports",
            ("hedger",),
            "share of exports",
            0,
            1,
            "share of the hedger's exports that transit the patron's territory",
            "a transit route is a chokepoint (Farrell & Newman 2019)",
            kind="share",
        ),
        Fact(
            "debt_to_patron_usd_bn",
            ("hedger",),
            "USD bn",
            0,
            1e6,
            "debt the hedger owes the patron's state and state banks (needs gdp_usd_bn)",
            "a creditor can call its loans in",
        ),
        Fact(
            "neutrality_status",
            ("hedger",),
            "level",
            *_level_range(NEUTRALITY_LEVELS),
            "the hedger's declared or constitutional neutrality",
            "a declared neutrality makes leaning costly at home and is worth something to the patron (a buffer)",
            kind="level",
            levels=NEUTRALITY_LEVELS,
        ),
        Fact(
            "membership_aspiration",
            ("hedger",),
            "level",
            *_level_range(ASPIRATION_LEVELS),
            "the hedger's declared wish to join the rival blocs",
            "a declared aspiration pulls the hedger toward the blocs and raises the patron's perceived threat",
            kind="level",
            levels=ASPIRATION_LEVELS,
        ),
        Fact(
            "unwanted_garrison_k",
            ("hedger",),
            "thousand troops",
            0,
            1e4,
            "patron troops on the hedger's soil that the host wants removed (not a base it agreed to)",
            "a garrison the host did not consent to costs autonomy and gives the patron the means to coerce",
        ),
        Fact(
            "separatist_share",
            ("hedger",),
            "share of territory",
            0,
            1,
            "share of the hedger's territory (or population) under patron-backed separatists",
            "separatist regions give the patron leverage and make incidents flare (Georgia 2008, Donbas 2014)",
            kind="share",
        ),
        # -- the economic blocs
        Fact(
            "sanctions_level",
            ("economic_bloc", "partner"),
            "level",
            *_level_range(SANCTION_LEVELS),
            "the bloc's sanctions on the hedger in force at the start",
            "sanctions cost GDP through bloc trade and regime security",
            kind="level",
            levels=SANCTION_LEVELS,
        ),
        Fact(
            "candidate_status",
            ("economic_bloc",),
            "flag",
            0,
            1,
            "1 if the bloc has given the hedger a membership perspective (candidate status)",
            "a membership perspective pulls the hedger toward the bloc and alarms the patron",
            kind="flag",
        ),
        Fact(
            "agreement_level",
            ("economic_bloc", "partner"),
            "level",
            *_level_range(AGREEMENT_LEVELS),
            "the deepest agreement between the bloc and the hedger at the start",
            "engagement is the outside option (market access, loans, dialogue)",
            kind="level",
            levels=AGREEMENT_LEVELS,
        ),
        # -- the neighbours
        Fact(
            "csbm_agreement_year",
            ("neighbour",),
            "year",
            1975,
            2100,
            "year a bilateral CSBM agreement with the hedger entered into force (needs csbm_measures)",
            "an agreement not yet in force at the start gives no CSBMs",
            kind="year",
        ),
        Fact(
            "csbm_measures",
            ("neighbour",),
            "count",
            0,
            CSBM_MEASURES_FULL,
            f"how many of the {CSBM_MEASURES_FULL} measures beyond the Vienna Document the agreement has: extra "
            "evaluation visits or inspections, data exchange on border units, lower notification thresholds, "
            "a hotline or risk-reduction channel (needs csbm_agreement_year)",
            "Vienna Document 2011: notification, inspection and risk reduction lower incident risk",
            kind="count",
        ),
    ]
}
