"""Structural parameters, mechanism weights and outcome thresholds of a scenario.

Each field carries its unit and source in the schema, so `docs/model.md`'s
parameter table is generated from this file and cannot drift from the code.
Tags follow ``shared/data/belarus-facts.md``: [S] sourced, [B] standard fact,
[E] estimate or modelling choice, with the reasoning in the description.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from ..util.numbers import NumbersNotBooleans


def P(default: float, lo: float, hi: float, unit: str, meaning: str, source: str) -> Any:
    """A documented numeric field: range-checked, with unit and source in the schema."""
    return Field(
        default,
        ge=lo,
        le=hi,
        description=meaning,
        json_schema_extra={"unit": unit, "source": source},
    )


class Parameters(NumbersNotBooleans):
    """Structural constants of the dynamics (per month unless said)."""

    model_config = ConfigDict(extra="forbid")

    # economy
    economy_rate: float = P(
        0.08,
        0,
        1,
        "1/step",
        "speed at which the economy closes the gap to its target",
        "[E] half-life about 8 months, typical of GDP adjustment to a terms-of-trade shock",
    )
    subsidy_elasticity: float = P(
        1.0,
        0,
        5,
        "GDP index per share of GDP",
        "GDP lost per unit of implicit subsidy withdrawn",
        "[B] accounting identity: a transfer worth 1% of GDP is 1% of GDP",
    )
    restriction_cost: float = P(
        0.10,
        0,
        1,
        "GDP index",
        "GDP lost under full trade restriction, per unit of trade dependence",
        "[S] Ukraine 2013: Russian customs curbs cut exports by 10% (cases.md)",
    )
    sanctions_cost: float = P(
        0.06,
        0,
        1,
        "GDP index",
        "GDP lost under full sanctions, per unit of bloc trade dependence",
        "[S] 2021 sectoral sanctions hit potash and petroleum products, 24% of goods exports "
        "(Clingendael 2021); [E] a quarter of that passes to GDP",
    )
    engagement_gain: float = P(
        0.03,
        0,
        1,
        "GDP index",
        "GDP gained from full engagement, per unit of bloc trade dependence",
        "[E] market access and loans; smaller than the patron's subsidy (belarus-facts.md)",
    )
    integration_relief: float = P(
        0.5,
        0,
        1,
        "share",
        "share of the subsidy gap restored when integration is accepted",
        "[S] Moscow answered compensation demands with deeper integration (TASS); [E] half",
    )
    # regime and autonomy
    regime_rate: float = P(0.05, 0, 1, "1/step", "speed at which regime security follows its target", "[E]")
    regime_economy: float = P(
        1.0,
        0,
        5,
        "index per GDP index",
        "regime security lost per unit of economic decline",
        "[E] performance legitimacy of a state-led economy",
    )
    regime_sanctions: float = P(0.2, 0, 1, "index", "regime security lost under full sanctions", "[E]")
    regime_crisis: float = P(
        0.6,
        0,
        1,
        "index",
        "regime security lost in a full legitimacy crisis",
        "[S] 2020 election crisis (Reuters, belarus-facts.md); [E] size",
    )
    regime_backing: float = P(
        0.3,
        0,
        1,
        "index per alignment",
        "regime security the patron's backing adds per unit of alignment with it",
        "[S] 2020: Russian $1.5bn loan and political backing (Reuters, belarus-facts.md); [E] size",
    )
    loan_gdp_per_unit: float = P(
        0.02,
        0.001,
        0.2,
        "GDP index per unit of loan intensity",
        "GDP (and, for a patron's loan, debt as a share of GDP) a loan of unit intensity adds: "
        "the unit in which loans are stated",
        "[B] a definition: one unit of loan intensity is credit worth 2% of GDP; "
        "calibration.events.loan_intensity converts a sourced amount in USD with it",
    )
    loan_regime_per_unit: float = P(
        0.05,
        0,
        1,
        "index per unit of loan intensity",
        "regime security a loan of unit intensity adds: credit pays the state's wages and security services",
        "[S] 2020: Russian $1.5bn loan and political backing (Reuters, belarus-facts.md); [E] size",
    )
    autonomy_rate: float = P(0.05, 0, 1, "1/step", "speed at which autonomy follows its target", "[E]")
    integration_autonomy_cost: float = P(
        0.5,
        0,
        1,
        "index",
        "autonomy lost at full integration",
        "[E] the seed: integration on Moscow's terms limits sovereignty",
    )
    base_autonomy_cost: float = P(0.3, 0, 1, "index", "autonomy lost by hosting a base", "[E] Snyder 1984: entrapment")
    alignment_autonomy_cost: float = P(0.3, 0, 1, "index", "autonomy lost per unit of alignment with the patron", "[E]")
    hub_autonomy_gain: float = P(0.1, 0, 1, "index", "autonomy gained by an active hub", "[E] the seed, proposal 1")
    integration_lockin: float = P(
        0.01,
        0,
        1,
        "alignment per step",
        "pull of accepted integration toward the patron",
        "[E] Union State institutions bind policy",
    )
    # the patron's view of the hedger (Snyder's alliance dilemma, the seed's proposal 2)
    tolerance_base: float = P(
        0.8,
        0,
        1,
        "index",
        "patron's tolerance of a neutral hedger, with no flank build-up",
        "[S] the seed: Moscow accepts neutrality while Belarus has no NATO or EU aspirations",
    )
    hub_value: float = P(
        0.3,
        0,
        1,
        "index",
        "tolerance the patron gains from an active hub",
        "[S] the seed: a hub interests the Kremlin as a way to de-escalate with the West; [E] size",
    )
    flank_sensitivity: float = P(
        1.0,
        0,
        5,
        "index per threat",
        "tolerance lost per unit of threat from the flank",
        "[S] the seed: neutrality works only without a flank build-up; [E] size",
    )
    demand: float = P(
        0.5,
        0,
        1,
        "alignment",
        "alignment the patron demands when its tolerance is gone",
        "[E] Union State coordination of foreign policy (1999 treaty)",
    )
    defiance_anger: float = P(0.05, 0, 1, "1/step", "grievance gained per unit of dissatisfaction", "[E]")
    refusal_anger: float = P(
        0.3,
        0,
        1,
        "index",
        "grievance from a refused base request",
        "[S] 2015 refusal of the Bobruisk air base (defence24.com); [E] size",
    )
    base_stake: float = P(
        1.0,
        0,
        5,
        "share",
        "extra grievance (from defiance and swings) and force of pressure when the patron has a base in the hedger",
        "[B] Sevastopol 2014, Gyumri 2013 (cases.md): a patron with a base has more at stake; [E] size",
    )
    swing_anger: float = P(
        1.0,
        0,
        10,
        "grievance per alignment",
        "grievance from a swing toward the blocs faster than swing_tolerance in one step",
        "[B] Fearon 1995, commitment problems; Ukraine Feb-Mar 2014 (cases.md); [E] size",
    )
    swing_tolerance: float = P(
        0.1,
        0,
        2,
        "alignment per step",
        "alignment change in one step the patron reads as ordinary drift",
        "[E] twice the hedger's default step of 0.05",
    )
    grievance_decay: float = P(0.03, 0, 1, "1/step", "monthly decay of grievance", "[E] half-life about 2 years")
    # threat, posture and the spiral (Walt, Jervis)
    intent_base: float = P(0.3, 0, 1, "index", "perceived hostile intent of a neutral, calm actor", "[E]")
    posture_rate: float = P(
        0.1,
        0,
        1,
        "1/step",
        "share of the gap to its target posture closed per step",
        "[S] eFP decided July 2016, deployed Jan-May 2017 (IISS): under a year",
    )
    # incidents and the escalation ladder
    incident_rate: float = P(0.06, 0, 5, "1/step", "incident hazard at unit force density", "[E]")
    csbm_incident_reduction: float = P(
        0.5,
        0,
        1,
        "share",
        "incident hazard removed by full CSBMs",
        "[B] Vienna Document 2011: notification, inspection, risk-reduction; [E] size",
    )
    transparency_incident_reduction: float = P(
        0.5,
        0,
        1,
        "share",
        "exercise incident hazard removed by transparency",
        "[S] Zapad 2017 observers (RFE/RL); [E] size",
    )
    climb_probability: float = P(
        0.3,
        0,
        1,
        "probability",
        "chance an incident climbs a rung, per unit of tension plus weighted antagonism",
        "[E]",
    )
    antagonism_gain: float = P(
        3.0,
        0,
        50,
        "per threat",
        "weight of mutual threat perception in the chance that an incident climbs",
        "[E] Jervis 1976: the same incident reads as hostile where threat is already perceived",
    )
    rung: float = P(
        0.3, 0, 1, "tension", "tension added when an incident climbs a rung", "[E] about three rungs to a crisis"
    )
    incident_tension: float = P(0.03, 0, 1, "tension", "tension added by an incident that does not climb", "[E]")
    tension_decay: float = P(0.04, 0, 1, "1/step", "monthly decay of tension", "[E]")
    talks_damping: float = P(
        0.5,
        0,
        1,
        "share",
        "chance of climbing removed by an active hub",
        "[S] Minsk talks 2014-15 (cases.md); [E] size",
    )
    csbm_damping: float = P(0.3, 0, 1, "share", "chance of climbing removed by full CSBMs", "[E]")
    pressure_climb: float = P(
        0.5,
        0,
        1,
        "probability",
        "chance an incident climbs a rung added by military pressure at unit intensity",
        "[S] Ukraine 2014 (cases.md): force used in a crisis makes incidents grave; [E] size",
    )
    pressure_hazard: float = P(
        0.5,
        0,
        5,
        "1/step",
        "incident hazard added by military pressure at unit intensity (forces in contact)",
        "[E] a show of force puts units in contact, like a large exercise",
    )
    hub_decay: float = P(0.05, 0, 1, "1/step", "monthly decay of hub activity without talks", "[E]")
    restriction_decay: float = P(0.03, 0, 1, "1/step", "monthly decay of trade restrictions", "[E]")
    sanctions_decay: float = P(
        0.01,
        0,
        1,
        "1/step",
        "monthly decay of sanctions",
        "[B] EU lifted most Belarus sanctions in 2016, years after 2011 (cases.md)",
    )

    # ------------------------------------------------------------------ Model 2: the economic channel
    energy_leverage_share: float = P(
        0.5, 0, 1, "share", "weight of energy (against trade) in the patron's leverage", "[E] equal weights"
    )
    transit_exposure: float = P(
        0.5, 0, 1, "share", "exports in transit through the patron hit by its restrictions, per unit", "[E]"
    )
    remittance_exposure: float = P(
        0.3,
        0,
        1,
        "share",
        "remittances lost under full restrictions (labour-market measures), per unit of remittances",
        "[E] 2014-15 rouble crisis: remittances to Central Asia fell by about 40% (World Bank migration briefs) [U]",
    )
    cutoff_cost: float = P(
        0.15,
        0,
        1,
        "GDP index",
        "GDP lost under a full energy cut-off, per unit of energy dependence",
        "[E] Jan 2009 gas cut-off halted industry in South-East Europe for two weeks; scaled to a month",
    )
    cutoff_decay: float = P(
        0.3, 0, 1, "1/step", "monthly decay of an energy cut-off", "[B] 2006, 2009, 2010 cut-offs lasted days to weeks"
    )
    partner_gain: float = P(
        0.03, 0, 1, "GDP index", "GDP gained from full engagement by a third pole, per unit of its trade share", "[E]"
    )
    diversification_pace: float = P(
        0.015,
        0,
        1,
        "1/step",
        "share of trade with the patron redirected a step at full diversification effort",
        "[S] Ukraine: Russia's share of exports fell from about 24% (2013, cases.md) to about 9% in five years "
        "[U]: ln(24/9)/60 months = 0.016",
    )
    energy_diversification_pace: float = P(
        0.005,
        0,
        1,
        "1/step",
        "share of energy supply from the patron replaced a step at full effort",
        "[E] LNG terminals and interconnectors take years (Lithuania 2014)",
    )
    diversification_cost: float = P(
        0.02, 0, 1, "GDP index", "GDP given up a step at full diversification effort (new markets cost)", "[E]"
    )
    sanction_diversion: float = P(
        0.005,
        0,
        1,
        "1/step",
        "share of trade with the blocs re-routed to the patron a step under full sanctions",
        "[S] Belarus 2021-22: trade turned toward Russia under EU sanctions (rp.pl, belarus-facts.md); [E] size",
    )
    budget_rate: float = P(
        0.10,
        0,
        2,
        "GDP-years per year",
        "transfers the patron can afford a year, in the hedger's GDP",
        "[S] about $4bn a year (6-7% of GDP) of energy subsidy after 2014 (belarus-facts.md); [E] headroom",
    )
    budget_cap: float = P(0.3, 0, 10, "GDP-years", "most transfers the patron holds in reserve for the hedger", "[E]")
    subsidy_erosion: float = P(
        0.02, 0, 1, "1/step", "share of the subsidy lost a step once the patron's budget is spent", "[E]"
    )
    relief_scale: float = P(
        5.0,
        0,
        100,
        "per integration",
        "share of the integration relief a unit of accepted integration buys (0.2 accepted at once buys it all)",
        "[E] an accepted offer of the default size (0.025 of integration) buys an eighth of the relief, 6.25% of the"
        " subsidy gap left; each restores its share of the gap that remains, so they compound: eight restore"
        " about 40% of the gap (1 - 0.9375^8), not the 50% that 0.2 accepted at once restores",
    )
    integration_alignment: float = P(
        0.5,
        0,
        5,
        "alignment per integration",
        "alignment toward the patron that accepted integration brings at once",
        "[E] Union State coordination of foreign policy (1999 treaty)",
    )
    rescue_security: float = P(
        0.3,
        0,
        1,
        "index",
        "regime security a patron's rescue of a friendly regime adds",
        "[S] 2020 political backing (belarus-facts.md); Kazakhstan Jan 2022 CSTO deployment [B]; [E] size",
    )
    rescue_alignment: float = P(0.2, 0, 1, "alignment", "alignment toward the patron a rescue brings", "[E]")
    rescue_autonomy: float = P(0.1, 0, 1, "index", "autonomy a rescued regime gives up", "[E]")
    debt_repayment_cost: float = P(
        1.0, 0, 5, "GDP index per share of GDP", "GDP lost per unit of debt repaid at once", "[B] accounting identity"
    )
    # ------------------------------------------------------------------ Model 2: perception and intent
    flank_intent: float = P(
        0.5, 0, 1, "index", "hostile intent the patron reads into a flank even facing a neutral hedger", "[E]"
    )
    lean_intent: float = P(
        0.5, 0, 1, "index per alignment", "intent a side reads into the hedger's lean toward the other side", "[E]"
    )
    aspiration_intent: float = P(
        0.5,
        0,
        1,
        "index",
        "intent the patron reads into a declared wish to join the blocs",
        "[B] Bucharest 2008 and Kyiv 2013-14 (cases.md): declared aspirations drew Russian reactions; [E] size",
    )
    candidate_intent: float = P(
        0.3, 0, 1, "index", "intent the patron reads into candidate status offered by a bloc", "[E]"
    )
    base_force: float = P(
        0.5, 0, 2, "force", "force near the hedger that a hosted base or a garrison adds", "[E] a brigade-size presence"
    )
    buffer_value: float = P(
        0.2,
        0,
        1,
        "index",
        "tolerance the patron gains from a declared neutrality (a buffer it values)",
        "[B] Finland 1948 treaty and Austria 1955: Moscow valued neutral buffers; [E] size",
    )
    separatism_threat: float = P(
        0.5, 0, 2, "threat", "threat from the patron per unit of patron-backed separatism", "[E]"
    )
    garrison_threat: float = P(0.5, 0, 2, "threat", "threat from the patron per unit of unwanted garrison", "[E]")
    garrison_autonomy_cost: float = P(0.3, 0, 1, "index", "autonomy lost to an unwanted garrison", "[E]")
    separatism_autonomy_cost: float = P(0.2, 0, 1, "index", "autonomy lost to patron-backed separatism", "[E]")
    separatism_climb: float = P(
        0.1,
        0,
        1,
        "probability",
        "chance an incident climbs added by patron-backed separatism (frozen conflicts flare)",
        "[B] Georgia 2008, Donbas 2014 (cases.md); [E] size",
    )
    resolve_gain: float = P(
        0.5,
        0,
        2,
        "share",
        "how much more readily a resolute patron coerces and uses force than an irresolute one",
        "[B] Fearon 1995: private information about resolve; [E] size",
    )
    coercion_cost: float = P(
        0.2,
        0,
        5,
        "index per trade share",
        "what coercing costs the patron, per unit of the hedger's trade with it (its own lost trade)",
        "[E] Hirschman 1945: the dominant partner also loses the trade it restricts",
    )
    coercion_precision: float = P(
        10.0, 0, 1000, "1/index", "how sharply the patron's choice to punish follows its net gain", "[E]"
    )
    # ------------------------------------------------------------------ Model 2: what hedger and patron see alike
    compliance_margin: float = P(
        0.05,
        0,
        2,
        "alignment",
        "dissatisfaction the patron lets pass: within it the hedger counts as compliant",
        "[E] the reciprocity rule's former default tolerance",
    )
    candidate_value: float = P(
        0.1, 0, 1, "index", "value to the hedger of moving toward a bloc that offers candidate status", "[E]"
    )
    base_alignment: float = P(
        0.3, 0, 1, "alignment", "alignment toward the patron that hosting its base brings at once", "[E]"
    )
    base_posture: float = P(0.2, 0, 1, "index", "posture the patron gains near the hedger from a base", "[E]")
    pressure_posture: float = P(
        0.05, 0, 1, "index", "posture the patron adds per unit of military pressure", "[E] units moved to the border"
    )
