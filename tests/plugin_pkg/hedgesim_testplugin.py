"""A third-party rule, as a plugin package would ship it: importing the module registers it."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from hedgesim import Rule, RuleParams, register_rule


class SteadyEngagementParams(RuleParams):
    engagement: float = Field(0.05, ge=0, le=1, description="engagement offered to the hedger every step")
    loan_chance: float = Field(0.5, ge=0, le=1, description="chance per step of a loan to the hedger")


@register_rule("plugin_steady_engagement", roles=("economic_bloc",))
class SteadyEngagement(Rule):
    """An economic bloc that engages every step, whatever the hedger does, and lends now and then."""

    Params = SteadyEngagementParams

    def uniforms_needed(self, model, actor) -> int:
        return 1

    def decide(self, model, actor, u: np.ndarray) -> None:
        q: SteadyEngagementParams = self.params  # type: ignore[assignment]
        model.move("engagement", actor, model.hedger, True, q.engagement)
        model.move("loan", actor, model.hedger, u[:, 0] < q.loan_chance, 0.5)
