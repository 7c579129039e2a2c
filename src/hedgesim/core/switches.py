"""Mechanism switches and outcome thresholds of a scenario.

A weight per mechanism lets a scenario switch a mechanism off (0) or scale it; the
thresholds say what counts as escalation or bandwagoning. Both are definitions a
scenario chooses, not quantities estimated from data.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
    compensation: float = W("compensation the patron pays for compliance (conditional transfers)")
    budget: float = W("the patron's budget constraint on transfers")
    diversification: float = W("the hedger redirecting trade and energy away from the patron")
    sanction_diversion: float = W("sanctions re-routing the hedger's trade to the patron")
    cutoff: float = W("energy supply cut-offs")
    debt: float = W("debt demands and repayments")
    rescue: float = W("the patron rescuing a friendly regime")
    learning: float = W("the hedger updating its belief about the patron's resolve")
    partner: float = W("a third pole's market and credit")
    separatism: float = W("patron-backed separatist regions")
    garrison: float = W("an unwanted patron garrison")
    neutrality: float = W("declared neutrality: its cost to leaning and its value to the patron")
    aspiration: float = W("a declared wish to join the blocs")
    hazards: float = W("exogenous shocks drawn as hazards")


class Outcomes(BaseModel):
    """Thresholds that classify a replicate (MODEL.md, 'Outcomes of a run')."""

    model_config = ConfigDict(extra="forbid")

    crisis_tension: float = Field(0.8, gt=0, le=1, description="tension at which a crisis ends the run as escalation")
    bandwagon_alignment: float = Field(0.6, gt=0, le=1, description="|alignment| that counts as bandwagoning")
    hold_steps: int = Field(6, ge=1, le=1200, description="steps the alignment must be held past the threshold")
    autonomy_floor: float = Field(0.15, ge=0, lt=1, description="autonomy below which the hedger has bandwagoned")
    base_is_bandwagoning: bool = Field(True, description="hosting a patron base counts as bandwagoning")
