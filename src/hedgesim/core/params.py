"""Structural parameters, mechanism weights and outcome thresholds of a scenario.

Each field carries its unit and source in the schema, so `docs/model.md`'s
parameter table is generated from this file and cannot drift from the code.
Tags follow ``shared/data/belarus-facts.md``: [S] sourced, [B] standard fact,
[E] estimate or modelling choice, with the reasoning in the description.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def P(default: float, lo: float, hi: float, unit: str, meaning: str, source: str) -> Any:
    """A documented numeric field: range-checked, with unit and source in the schema."""
    return Field(
        default,
        ge=lo,
        le=hi,
        description=meaning,
        json_schema_extra={"unit": unit, "source": source},
    )


class Parameters(BaseModel):
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
    pressure_tension: float = P(
        0.5,
        0,
        1,
        "tension",
        "tension added by military pressure at unit intensity",
        "[S] Ukraine 2014 (cases.md); [E] size",
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


def W(meaning: str) -> Any:
    """A mechanism weight field: 0 switches the mechanism off, 1 is its calibrated strength."""
    return Field(1.0, ge=0, le=10, description=meaning, json_schema_extra={"unit": "weight", "source": "switch"})


class Mechanisms(BaseModel):
    """A weight per mechanism: 0 switches it off, 1 is the calibrated strength."""

    model_config = ConfigDict(extra="forbid")

    subsidy: float = W("subsidy restored by the patron")
    subsidy_cut: float = W("subsidy cuts")
    tax_manoeuvre: float = W("the oil tax manoeuvre's phased subsidy loss")
    integration: float = W("integration offered and accepted instead of compensation")
    loan: float = W("credit propping up economy and regime")
    trade_restriction: float = W("the patron's trade restrictions")
    engagement: float = W("the economic blocs' engagement")
    sanctions: float = W("the economic blocs' sanctions")
    exercise: float = W("exercises adding to force density")
    transparency: float = W("transparency of exercises lowering incidents")
    deployment: float = W("deployments and drawdowns (flank build-up, posture)")
    spiral: float = W("posture responding to perceived threat")
    military_pressure: float = W("the patron's coercive shows of force")
    base: float = W("base requests and their consequences")
    csbm: float = W("CSBMs between hedger and neighbours")
    hub: float = W("the hedger hosting talks")
    threat: float = W("threat perception feeding the hedger's choice")
    incidents: float = W("military incidents")
    regime: float = W("regime security in the hedger's choice")


class Outcomes(BaseModel):
    """Thresholds that classify a replicate (MODEL.md, 'Outcomes of a run')."""

    model_config = ConfigDict(extra="forbid")

    crisis_tension: float = Field(0.8, gt=0, le=1, description="tension at which a crisis ends the run as escalation")
    bandwagon_alignment: float = Field(0.6, gt=0, le=1, description="|alignment| that counts as bandwagoning")
    hold_steps: int = Field(6, ge=1, le=1200, description="steps the alignment must be held past the threshold")
    autonomy_floor: float = Field(0.15, ge=0, lt=1, description="autonomy below which the hedger has bandwagoned")
    base_is_bandwagoning: bool = Field(True, description="hosting a patron base counts as bandwagoning")
