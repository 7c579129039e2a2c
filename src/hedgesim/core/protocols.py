"""What the model offers to rules and move effects, and what it asks of rules and scenarios.

The core never imports the rules or the scenario schema: it types against these small
protocols, and the layers above build rules and scenarios that satisfy them. A plugin
rule may read and call exactly what :class:`ModelView` and :class:`ActorView` list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .switches import Mechanisms, Outcomes


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
        t: the current step (0 at the start); step_months: months per step.
        p: the structural parameters (:class:`Parameters` fields; under uncertainty some are
            arrays over the replicates); w: the mechanism weights.
        g: the global state (``tension``, ``incidents``, ``exercise``, ``pressure``), arrays over replicates.
        s0: the subsidy the hedger started with (share of GDP; an array when drawn).
        actors: every actor by name; hedger, patrons, econ_blocs, sec_blocs, neighbours, partners by role.
        base_accepted: replicates in which the hedger accepted a patron base during the run.
    """

    R: int
    t: int
    step_months: int
    p: Any
    w: Mechanisms
    g: dict[str, np.ndarray]
    s0: Any
    actors: Mapping[str, ActorView]
    hedger: ActorView
    patrons: Sequence[ActorView]
    econ_blocs: Sequence[ActorView]
    sec_blocs: Sequence[ActorView]
    neighbours: Sequence[ActorView]
    partners: Sequence[ActorView]
    base_accepted: np.ndarray

    def move(
        self,
        kind: str,
        source: ActorView,
        target: ActorView | None,
        mask: np.ndarray | bool,
        intensity: np.ndarray | float,
        *,
        why: str = "",
        origin: str = "rule",
    ) -> None:
        """Make a catalogued move in the replicates where ``mask`` holds (the only way a rule acts).

        ``why`` is a short reason shown in the run's story; ``origin`` says what made the
        move (``rule``, ``event:<label>``, ``trigger:<label>``).
        """

    def explain(self, actor: ActorView, terms: Mapping[str, np.ndarray]) -> None:
        """Keep a rule's reasons for this step (for example utility terms), recorded with the steps."""

    def leverage(self) -> np.ndarray:
        """The patron's economic leverage over the hedger, in [0, 1]."""

    def outside_option(self) -> np.ndarray:
        """What the hedger's other markets offer it, in [0, 1]."""

    def punish_probability(self, patron: ActorView, resolve: np.ndarray | float) -> np.ndarray:
        """The chance a patron of this resolve punishes a defection (common knowledge)."""

    def dissatisfaction(self, patron: ActorView, alignment: np.ndarray) -> np.ndarray:
        """How far ``alignment`` stands from where the patron, given its tolerance, wants it."""

    def patron_force(self, actor: ActorView) -> np.ndarray:
        """Power x posture x proximity of an actor's forces near the hedger."""

    def state_names(self) -> dict[str, tuple[str, str]]:
        """Every name an expression may use, mapped to (owner, variable)."""

    def env(self) -> dict[str, np.ndarray | float]:
        """Current values of every name, for expressions."""


class ModelState(ModelView, Protocol):
    """What move effects and the model's own dynamics may also touch (beyond what rules read)."""

    punish_chances: tuple[np.ndarray, np.ndarray]


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
    step_months: int
    parameters: Any
    mechanisms: Mechanisms
    outcomes: Outcomes
    actors: Mapping[str, Any]
    events: Sequence[Any]
    triggers: Sequence[Any]
    hazards: Sequence[Any]

    def event_step(self, ev: Any) -> int:
        """The step at which an event falls."""
