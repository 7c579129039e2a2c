"""A library of exogenous shocks as hazards: each with a documented yearly rate and its effect.

A scenario lists hazards under ``hazards:``, naming a ``kind`` from this library (and
overriding its rate or effect where the case knows better) or giving its own rate,
effect and source. Each replicate draws each step whether a shock starts, so shocks
come at documented rates rather than only as scripted ``set`` events.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hazard:
    """A kind of exogenous shock: its yearly rate, what it does and for how long, and why."""

    kind: str
    rate: float  # per year
    duration: int  # steps the shock lasts
    set: dict[str, float] = field(default_factory=dict)
    add: dict[str, float] = field(default_factory=dict)
    once: bool = False
    meaning: str = ""
    source: str = ""


HAZARDS: dict[str, Hazard] = {
    h.kind: h
    for h in (
        Hazard(
            "contested_election",
            rate=0.04,
            duration=12,
            set={"hedger.legitimacy_crisis": 1.0},
            meaning="an election the opposition and the rival blocs reject, with mass protest, for a year",
            source="[E] a non-free regime holds a national election about every 5 years; about one in five "
            "post-communist elections under such regimes drew mass protest (Bunce and Wolchik 2011) [U]: "
            "0.2 / 5 = 0.04 a year",
        ),
        Hazard(
            "commodity_shock",
            rate=0.14,
            duration=12,
            add={"hedger.economy": -0.04},
            meaning="a collapse in the prices of the hedger's main commodity, spread over a year",
            source="[B] oil prices fell by 40% or more within a year in 1986, 1998, 2008, 2014 and 2020: five in "
            "35 years; [E] size: 4% of GDP for a commodity-dependent economy (the sign is the scenario's)",
        ),
        Hazard(
            "third_party_war",
            rate=0.05,
            duration=6,
            add={"global.tension": 0.15},
            meaning="a war between third states in the region that raises tension for half a year",
            source="[B] post-Soviet wars: Georgia 2008, Ukraine 2014 and 2022, Nagorno-Karabakh 2016 and 2020; "
            "[E] about one a region every 20 years",
        ),
    )
}
