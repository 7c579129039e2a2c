"""What the model offers to rules and move effects, and what it asks of rules and scenarios.

The core never imports the rules or the scenario schema: it types against these small
protocols, and the layers above build rules and scenarios that satisfy them. A plugin
rule may read and call exactly what :class:`ModelView` and :class:`ActorView` list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .params import Mechanisms, Outcomes, Parameters


class ActorView(Protocol):
    """An actor as a rule sees it.

    Attributes:
        name: the actor's name in the scenario.
        role: its role (hedger, patron, economic_bloc, security_bloc, neighbour).
        s: its state, variable name -> array over replicates (write through moves only).
        initial: the state it started with, variable name -> value.
    """

    name: str
    role: str
    s: dict[str, np.ndarray]
    initial: dict[str, float]


class ModelView(Protocol):
    """What a rule may read and call on the model.

    Attributes:
        R: the number of replicates this model advances at once (arrays have shape ``(R,)``).
        t: the current step (0 at the start).
        p: the structural parameters; w: the mechanism weights.
        g: the global state (``tension``, ``incidents``, ``exercise``), arrays over replicates.
        s0: the subsidy the hedger started with (share of GDP).
        actors: every actor by name; hedger, patrons, econ_blocs, sec_blocs, neighbours by role.
    """

    R: int
    t: int
    p: Parameters
    w: Mechanisms
    g: dict[str, np.ndarray]
    s0: float
    actors: Mapping[str, ActorView]
    hedger: ActorView
    patrons: Sequence[ActorView]
    econ_blocs: Sequence[ActorView]
    sec_blocs: Sequence[ActorView]
    neighbours: Sequence[ActorView]

    def move(
        self,
        kind: str,
        source: ActorView,
        target: ActorView | None,
        mask: np.ndarray | bool,
        intensity: np.ndarray | float,
    ) -> None:
        """Make a catalogued move in the replicates where ``mask`` holds (the only way a rule acts)."""

    def dissatisfaction(self, patron: ActorView, alignment: np.ndarray) -> np.ndarray:
        """How far ``alignment`` stands from where the patron, given its tolerance, wants it."""

    def patron_force(self, actor: ActorView) -> np.ndarray:
        """Power x posture x proximity of an actor's forces near the hedger."""

    def state_names(self) -> dict[str, tuple[str, str]]:
        """Every name an expression may use, mapped to (owner, variable)."""

    def env(self) -> dict[str, np.ndarray | float]:
        """Current values of every name, for expressions."""


class ModelState(ModelView, Protocol):
    """What move effects may also touch: the model's own record of bases accepted during the run."""

    base_accepted: np.ndarray


@runtime_checkable
class RuleLike(Protocol):
    """What the model asks of a decision rule (see :class:`hedgesim.rules.Rule`)."""

    name: str

    def uniforms_needed(self, model: ModelView, actor: ActorView) -> int:
        """Uniform draws per step; fixed for a scenario so replicate streams stay aligned."""

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Make this step's moves through ``model.move``, drawing only from ``u`` (shape ``(R, n)``)."""


class ActorSpecLike(Protocol):
    """An actor as a scenario states it."""

    role: str
    state: Mapping[str, float]


class ScenarioLike(Protocol):
    """What the model reads from a scenario (see :class:`hedgesim.scenario.Scenario`)."""

    seed: int
    replicates: int
    horizon: int
    parameters: Parameters
    mechanisms: Mechanisms
    outcomes: Outcomes
    actors: Mapping[str, Any]
    events: Sequence[Any]
    triggers: Sequence[Any]

    def event_step(self, ev: Any) -> int:
        """The step at which an event falls."""
