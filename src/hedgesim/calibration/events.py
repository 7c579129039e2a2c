"""From a sourced number to an event's intensity.

Events (``at:``, ``move``, ``intensity``) are written by hand in case files; these rules
turn a sourced number into an intensity, and the case files cite the rule in a comment
next to each number. The constants that mirror the model are read from the model.
"""

from __future__ import annotations

from ..core import Parameters
from .facts import ENGAGEMENT_BY_LEVEL, MASS_PROTEST_SECURITY, SANCTIONS_BY_LEVEL, TALKS_INTENSITY, TROOPS_SCALE_K

#: The unit of loan intensity (``parameters.loan_gdp_per_unit``) at its default, with which case files state loans.
LOAN_GDP_PER_UNIT = Parameters().loan_gdp_per_unit


def loan_intensity(usd_bn: float, gdp_usd_bn: float, per_unit: float = LOAN_GDP_PER_UNIT) -> float:
    """A loan worth ``usd_bn`` as a move intensity: its share of GDP over the GDP a unit of intensity adds.

    ``per_unit`` is ``parameters.loan_gdp_per_unit``; a scenario that changes it changes
    the unit, so its loan events mean other amounts than the case files' comments say.
    """
    return usd_bn / gdp_usd_bn / per_unit


def restriction_intensity(loss_usd_bn: float, gdp_usd_bn: float, dependence: float, restriction_cost: float) -> float:
    """A trade restriction that cost ``loss_usd_bn`` of exports: the restriction index giving that GDP loss."""
    return loss_usd_bn / gdp_usd_bn / (restriction_cost * dependence)


def sanctions_step(from_level: int, to_level: int) -> float:
    """Intensity of a 'sanctions' move that raises the index from one level's value to another's."""
    a, b = SANCTIONS_BY_LEVEL[from_level], SANCTIONS_BY_LEVEL[to_level]
    return (b - a) / (1 - a)


def engagement_step(from_level: int, to_level: int) -> float:
    """Intensity of an 'engagement' move that raises engagement from one agreement level's value to another's."""
    a, b = ENGAGEMENT_BY_LEVEL[from_level], ENGAGEMENT_BY_LEVEL[to_level]
    return (b - a) / (1 - a)


def price_rise_cut(rise: float, price: float, reference_price: float) -> float:
    """Share of a price subsidy removed when a discounted price rises by ``rise`` (a share) toward a reference."""
    return rise * price / (reference_price - price)


EVENT_RULES: list[tuple[str, str, str]] = [
    (
        "loan of L USD bn",
        "loan, intensity = (L / GDP) / " + f"{LOAN_GDP_PER_UNIT:g}",
        f"a unit of loan intensity adds parameters.loan_gdp_per_unit = {LOAN_GDP_PER_UNIT:g} to the GDP index",
    ),
    (
        "trade restriction costing X USD bn of exports",
        "trade_restriction, intensity = (X / GDP) / (parameters.restriction_cost x dependence_patron)",
        "the restriction index whose GDP cost equals the loss",
    ),
    (
        "sanctions raised from level a to b",
        "sanctions, intensity = (s_b - s_a) / (1 - s_a)",
        "a 'sanctions' move adds intensity x (1 - sanctions); s_k from the sanctions_level table",
    ),
    (
        "sanctions lifted from level a to b",
        "engagement, intensity = s_a - s_b",
        "an 'engagement' move removes its intensity from sanctions",
    ),
    (
        "agreement deepened from level a to b",
        "engagement, intensity = (e_b - e_a) / (1 - e_a)",
        "an 'engagement' move adds intensity x (1 - engagement); e_k from the agreement_level table",
    ),
    (
        "energy price rise of r on a discounted price p (reference P)",
        "subsidy_cut, intensity = r p / (P - p)",
        "the share of the discount (P - p) that the rise removes",
    ),
    (
        "troops deployed near the hedger (T thousand, from T0)",
        f"deployment, intensity = posture(T) - posture(T0), posture(T) = 1 - exp(-T / {TROOPS_SCALE_K:g})",
        "the same rule as troops_near_hedger_k",
    ),
    ("mass protest", f"add regime_security: -{MASS_PROTEST_SECURITY}", "the same rule as the mass_protest fact"),
    ("contested election", "set legitimacy_crisis: 1", "the same rule as the contested_election fact"),
    (
        "talks hosted from a date",
        f"host_talks, intensity {TALKS_INTENSITY:g} a step (duration d: d x {TALKS_INTENSITY:g})",
        "the same rule as hosts_regional_talks",
    ),
]
