"""Every built-in rule keeps the rule contract (hedgesim.testing.RuleContract), in every role it serves.

The same class is what plugin authors run on their own rules; the last tests show that
it catches rules that break the contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from hedgesim.rules import Rule, RuleParams, available_rules, base, register_rule
from hedgesim.testing import RuleContract

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("logit_hedger", "hedger", {}),
    ("logit_hedger", "hedger", {"host_talks": 0.1, "csbm": 0.2, "transparency": 0.8, "precision": 2.0}),
    ("reciprocity", "patron", {"coercion": 1.0, "base_threshold": 0.0, "base_rate": 0.5}),
    ("reciprocity", "economic_bloc", {}),
    ("reciprocity", "security_bloc", {}),
    ("reciprocity", "neighbour", {}),
    ("reciprocity", "partner", {}),
    ("strategic", "patron", {"coercion": 1.0, "base_threshold": 0.0, "base_rate": 0.5}),
    (
        "threshold",
        "patron",
        {"when": "hedger.alignment > -0.05", "move": "military_pressure", "target": "Hedger", "otherwise": "subsidy"},
    ),
    ("threshold", "economic_bloc", {"when": "tension > 0.1", "move": "sanctions", "target": "Hedger"}),
    ("fixed", "economic_bloc", {"moves": [{"move": "engagement", "target": "Hedger", "every": 3, "intensity": 0.1}]}),
    ("fixed", "neighbour", {"moves": [{"move": "exercise_transparent", "start": 2, "stop": 20, "every": 6}]}),
    ("passive", "security_bloc", {}),
]

for _i, (_rule, _role, _params) in enumerate(CASES):
    _name = f"TestContract_{_rule}_{_role}_{_i}"
    globals()[_name] = type(_name, (RuleContract,), {"rule": _rule, "role": _role, "params": _params})


def test_every_builtin_rule_and_role_is_under_contract() -> None:
    covered = {(rule, role) for rule, role, _ in CASES}
    for name, cls in available_rules().items():
        if not cls.__module__.startswith("hedgesim.rules."):
            continue  # plugins run the contract in their own suites
        for role in cls.roles:
            if name in ("threshold", "fixed", "passive"):
                assert any(r == name for r, _ in covered), f"{name} has no contract case"
            else:
                assert (name, role) in covered, f"{name} in role {role} has no contract case"


# --------------------------------------------------------------------------- the contract catches breakers


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(base, "_REGISTRY", dict(available_rules()))
    yield


def _contract(rule: str, role: str) -> RuleContract:
    return type("Probe", (RuleContract,), {"rule": rule, "role": role, "params": {}})()


def test_contract_catches_global_random_state(registry: None) -> None:
    @register_rule("leaky_random", roles=("economic_bloc",))
    class Leaky(Rule):
        Params = RuleParams
        moves = ("engagement",)

        def decide(self, model: Any, actor: Any, u: np.ndarray) -> None:
            model.move("engagement", actor, model.hedger, np.random.random(model.R) < 0.5, 0.1)

    with pytest.raises(AssertionError, match="random"):
        _contract("leaky_random", "economic_bloc").test_no_global_random_state()


def test_contract_catches_undeclared_and_forbidden_moves(registry: None) -> None:
    @register_rule("sneaky", roles=("economic_bloc",))
    class Sneaky(Rule):
        Params = RuleParams
        moves = ("engagement",)

        def decide(self, model: Any, actor: Any, u: np.ndarray) -> None:
            model.move("sanctions", actor, model.hedger, True, 0.1)  # catalogued, allowed, but not declared

    with pytest.raises(AssertionError, match="not declared"):
        _contract("sneaky", "economic_bloc").test_only_catalogued_moves_from_allowed_roles()

    @register_rule("usurper", roles=("economic_bloc",))
    class Usurper(Rule):
        Params = RuleParams
        moves = ("military_pressure",)

        def decide(self, model: Any, actor: Any, u: np.ndarray) -> None:
            model.move("military_pressure", actor, model.hedger, True, 0.1)  # a bloc may not

    with pytest.raises(AssertionError, match="may not make"):
        _contract("usurper", "economic_bloc").test_only_catalogued_moves_from_allowed_roles()


def test_contract_catches_a_varying_number_of_uniforms(registry: None) -> None:
    @register_rule("greedy", roles=("economic_bloc",))
    class Greedy(Rule):
        Params = RuleParams

        def __init__(self, params: RuleParams) -> None:
            super().__init__(params)
            self.calls = 0

        def uniforms_needed(self, model: Any, actor: Any) -> int:
            self.calls += 1
            return 1 if self.calls < 3 else 2

        def decide(self, model: Any, actor: Any, u: np.ndarray) -> None:
            return None

    with pytest.raises(AssertionError, match="uniforms_needed changed"):
        _contract("greedy", "economic_bloc").test_fixed_number_of_uniforms_from_its_own_block()
