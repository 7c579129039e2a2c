"""The contract every decision rule keeps, as a test class a plugin author runs on their own rule.

Subclass :class:`RuleContract` in a pytest module, name the rule, the role to test it in
and its parameters, and pytest runs every check (as Axelrod's ``TestPlayer`` does for
every strategy)::

    from hedgesim.testing import RuleContract

    class TestMyRule(RuleContract):
        rule = "my_rule"
        role = "economic_bloc"
        params = {"rate": 0.1}

The checks: a fixed number of uniforms per step, drawn only from the block the model
hands the rule (no global random state); only catalogued moves, made by a role allowed
to make them on a role allowed to receive them, and only moves the rule declares; the
rule pickles (process pools and Dask ship it to workers); and the same seed gives the
same results, a replicate alone the same as in a batch.
"""

from __future__ import annotations

import copy
import pickle
import random
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .core import MOVES, HedgeModel
from .ensemble import build_rules, simulate
from .rules import Rule
from .scenario import Scenario, load_scenario

#: A small world with one actor of every role, each on its role's default rule.
CONTRACT_WORLD: dict[str, Any] = {
    "name": "rule_contract",
    "seed": 20240601,
    "replicates": 12,
    "horizon": 36,
    "actors": {
        "Hedger": {"role": "hedger"},
        "Patron": {"role": "patron", "state": {"posture": 0.5}},
        "Market": {"role": "economic_bloc"},
        "Alliance": {"role": "security_bloc", "state": {"posture": 0.5}},
        "Neighbour": {"role": "neighbour"},
        "Partner": {"role": "partner"},
    },
    "events": [
        {"step": 6, "actor": "Patron", "move": "tax_manoeuvre", "target": "Hedger", "intensity": 0.5, "duration": 12},
        {"step": 10, "add": {"global.tension": 0.3}},
        {"step": 12, "actor": "Patron", "move": "trade_restriction", "target": "Hedger", "intensity": 0.3},
    ],
}


class RuleContract:
    """Checks a registered rule keeps the contract; subclass it in a pytest module (see the module doc).

    Attributes:
        rule: the registered name of the rule under test.
        role: the role to test it in (one of the roles the rule applies to).
        params: its parameters.
        world: the scenario data it runs in (default :data:`CONTRACT_WORLD`); the first actor
            of ``role`` gets the rule.
    """

    rule: ClassVar[str] = ""
    role: ClassVar[str] = ""
    params: ClassVar[Mapping[str, Any]] = {}
    world: ClassVar[Mapping[str, Any] | None] = None

    # ------------------------------------------------------------------ helpers
    def scenario(self) -> Scenario:
        """The world with the rule under test given to the first actor of :attr:`role`."""
        assert self.rule and self.role, "set `rule` and `role` on the RuleContract subclass"
        data = copy.deepcopy(dict(self.world or CONTRACT_WORLD))
        actor = next(name for name, spec in data["actors"].items() if spec["role"] == self.role)
        data["actors"][actor]["rule"] = {"name": self.rule, "params": dict(self.params)}
        return load_scenario(data)

    def actor_name(self, sc: Scenario) -> str:
        """The actor that carries the rule under test."""
        return sc.by_role(self.role)[0]

    def model(self, sc: Scenario, ids: Any = None, rules: Mapping[str, Rule] | None = None) -> HedgeModel:
        """A model of the world (replicates ``ids``), with the given rules or freshly built ones."""
        return HedgeModel(sc, rules or build_rules(sc), ids)

    # ------------------------------------------------------------------ the contract
    def test_fixed_number_of_uniforms_from_its_own_block(self) -> None:
        """Each step the rule asks for the same number of uniforms and is handed exactly that block."""
        sc = self.scenario()
        name = self.actor_name(sc)
        model = self.model(sc)
        actor = model.actors[name]
        n = actor.rule.uniforms_needed(model, actor)
        assert isinstance(n, int) and n >= 0, f"uniforms_needed must be a whole number >= 0, got {n!r}"
        seen: list[tuple[int, ...]] = []
        decide = actor.rule.decide

        def spy(m: Any, a: Any, u: np.ndarray) -> None:
            seen.append(u.shape)
            assert actor.rule.uniforms_needed(m, a) == n, "uniforms_needed changed during the run"
            decide(m, a, u)

        actor.rule.decide = spy  # type: ignore[method-assign]
        try:
            model.run()
        finally:
            model.release()
        assert seen and set(seen) == {(sc.replicates, n)}, f"the rule saw blocks of shapes {sorted(set(seen))}"

    def test_no_global_random_state(self) -> None:
        """Neither numpy's nor Python's global generator is touched (results would depend on call order)."""
        sc = self.scenario()
        np.random.seed(12345)
        random.seed(12345)
        before_np, before_py = np.random.get_state(), random.getstate()
        simulate(sc, np.arange(sc.replicates))
        after_np, after_py = np.random.get_state(), random.getstate()
        assert before_py == after_py, "the rule used Python's global random state"
        same = all(
            np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
            for a, b in zip(before_np, after_np, strict=True)
        )
        assert same, "the rule used numpy's global random state (draw from the block `u` instead)"

    def test_only_catalogued_moves_from_allowed_roles(self) -> None:
        """Every move is in the catalogue, allowed for the maker's role and the target's, and declared.

        Only the moves the rule makes count (not the world's events and triggers), and each is
        checked before its effect runs, so a forbidden move fails here rather than deep in the model.
        """
        sc = self.scenario()
        name = self.actor_name(sc)
        model = self.model(sc)
        actor = model.actors[name]
        declared = actor.rule.possible_moves()  # type: ignore[attr-defined]
        deciding = False
        made: set[str] = set()
        move, decide = model.move, actor.rule.decide

        def check(kind: str, source: Any, target: Any, mask: Any, intensity: Any, **how: Any) -> None:
            if deciding and source.name == name:
                assert kind in MOVES, f"{kind!r} is not a catalogued move"
                assert source.role in MOVES[kind].sources, f"a {source.role} may not make {kind!r}"
                if target is not None and MOVES[kind].targets:
                    assert target.role in MOVES[kind].targets, f"{kind!r} may not be aimed at a {target.role}"
                assert kind in declared, f"{kind!r} is made but not declared in the rule's moves"
                made.add(kind)
            move(kind, source, target, mask, intensity, **how)

        def spy(m: Any, a: Any, u: np.ndarray) -> None:
            nonlocal deciding
            deciding = True
            try:
                decide(m, a, u)
            finally:
                deciding = False

        model.move = check  # type: ignore[method-assign]
        actor.rule.decide = spy  # type: ignore[method-assign]
        try:
            model.run()
        finally:
            model.release()

    def test_picklable_and_unchanged_by_pickling(self) -> None:
        """A rule sent to a worker process (pickled) gives the same results as the original."""
        sc = self.scenario()
        rules = build_rules(sc)
        copied = {k: pickle.loads(pickle.dumps(r)) for k, r in rules.items()}
        a, b = self.model(sc, rules=rules), self.model(sc, rules=copied)
        try:
            a.run()
            b.run()
            for name in a.actors:
                for var, arr in a.actors[name].s.items():
                    np.testing.assert_array_equal(arr, b.actors[name].s[var], err_msg=f"{name}.{var}")
        finally:
            a.release()
            b.release()

    def test_deterministic_and_independent_of_the_batch(self) -> None:
        """The same seed gives the same runs; a replicate alone equals its row in the batch."""
        sc = self.scenario()
        ids = np.arange(sc.replicates)
        first = simulate(sc, ids, record="steps")
        again = simulate(sc, ids, record="steps")
        pd.testing.assert_frame_equal(first.runs, again.runs)
        pd.testing.assert_frame_equal(first.moves, again.moves)
        alone = simulate(sc, [int(ids[-1])])
        pd.testing.assert_frame_equal(
            alone.runs.reset_index(drop=True), first.runs.iloc[[-1]].reset_index(drop=True), check_categorical=False
        )
