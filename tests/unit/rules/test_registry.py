"""The rule registry: user rules by decorator and by the ``hedgesim.rules`` entry-point group."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from pydantic import Field

import hedgesim
from hedgesim import InputError, Rule, RuleParams, available_rules, load_scenario, register_rule
from hedgesim.rules import base as rules
from tests.paths import PLUGIN as PLUGIN_PATH
from tests.paths import REPO as REPO_PATH

REPO = REPO_PATH
BASELINE = REPO / "scenarios" / "baseline.yaml"
PLUGIN = PLUGIN_PATH
PLUGIN_MODULE = "hedgesim_testplugin"
H = 24
BUILTIN = ("logit_hedger", "reciprocity", "threshold", "fixed", "passive")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, type[Rule]]]:
    """A private registry of the built-in rules only: rules a test registers vanish with it, and rules
    other tests registered (plugins loaded earlier in the session) are not in it."""
    private = {name: cls for name, cls in available_rules().items() if cls.__module__.startswith("hedgesim.")}
    monkeypatch.setattr(rules, "_REGISTRY", private)
    yield private


class EngagerParams(RuleParams):
    engagement: float = Field(0.05, ge=0, le=1, description="engagement offered every step")
    loan_chance: float = Field(0.5, ge=0, le=1, description="chance per step of a loan")


def register_engager() -> type[Rule]:
    """A user rule for the economic bloc (a role no calibration fact ties to a built-in rule)."""

    @register_rule("test_engager", roles=("economic_bloc",))
    class Engager(Rule):
        """Engages every step; lends with a chance drawn from its own uniforms."""

        Params = EngagerParams

        def uniforms_needed(self, model, actor) -> int:
            return 1

        def decide(self, model, actor, u: np.ndarray) -> None:
            model.move("engagement", actor, model.hedger, True, self.params.engagement)
            model.move("loan", actor, model.hedger, u[:, 0] < self.params.loan_chance, 0.5)

    return Engager


def with_rule(name: str, params: dict) -> dict:
    return {"horizon": H, "actors.EU.rule": {"name": name, "params": params}}


def moves_by(res: hedgesim.Results, source: str, move: str) -> np.ndarray:
    """How many times ``source`` made ``move`` in each replicate, from the move log."""
    assert res.moves is not None
    mv = res.moves[(res.moves["source"].astype(str) == source) & (res.moves["move"].astype(str) == move)]
    return mv.groupby("replicate").size().reindex(res.runs["replicate"], fill_value=0).to_numpy()


def test_builtin_rules_are_registered() -> None:
    found = available_rules()
    for name in BUILTIN:
        assert name in found and issubclass(found[name], Rule)
    assert found["logit_hedger"].roles == ("hedger",)


def test_user_rule_runs_and_makes_its_moves(registry: dict) -> None:
    """n = 40 replicates x 24 steps: 960 loan draws at p = 0.5, mean 480, sd 15.5; margin 5 sd (+-78)."""
    cls = register_engager()
    assert available_rules()["test_engager"] is cls and cls.name == "test_engager" and cls.roles == ("economic_bloc",)
    res = hedgesim.run(
        BASELINE, replicates=40, overrides=with_rule("test_engager", {"loan_chance": 0.5}), record="steps"
    )
    assert (moves_by(res, "EU", "engagement") == H).all()
    loans = moves_by(res, "EU", "loan")
    assert abs(loans.sum() - 480) < 78
    assert len(set(loans)) > 1, "each replicate should draw its own uniforms"
    assert moves_by(res, "EU", "sanctions").sum() == 0, "the built-in rule's moves are gone"
    # the counts in runs agree with the log
    assert (res.runs["n_loan"].to_numpy() >= loans).all()


def test_user_rule_is_deterministic_per_replicate(registry: dict) -> None:
    register_engager()
    sc = load_scenario(BASELINE, with_rule("test_engager", {}))
    batch = hedgesim.simulate(sc, np.arange(12)).runs
    alone = hedgesim.simulate(sc, [7]).runs
    assert batch.iloc[[7]].reset_index(drop=True).equals(alone)


def test_user_rule_params_are_validated(registry: dict, write_scenario: Callable[[str, str], Path]) -> None:
    register_engager()
    with pytest.raises(InputError) as info:
        load_scenario(BASELINE, with_rule("test_engager", {"loan_chanse": 0.3}))
    assert info.value.field == "actors.EU.rule.params.loan_chanse", info.value.format()
    with pytest.raises(InputError) as info:
        load_scenario(BASELINE, with_rule("test_engager", {"loan_chance": 2.0}))
    assert info.value.field == "actors.EU.rule.params.loan_chance", info.value.format()
    path = write_scenario(
        "user_rule.yaml",
        "extends: baseline.yaml\nname: user\nactors:\n  EU:\n    rule:\n      name: test_engager\n"
        "      params:\n        loan_chanse: 0.3\n",
    )
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert (Path(err.file or "").name, err.line, err.field) == (
        "user_rule.yaml",
        8,
        "actors.EU.rule.params.loan_chanse",
    ), err.format()


def test_user_rule_only_for_its_roles(registry: dict) -> None:
    register_engager()
    with pytest.raises(InputError) as info:
        load_scenario(BASELINE, {"actors.Russia.rule": {"name": "test_engager", "params": {}}})
    assert "test_engager" in info.value.message and "patron" in info.value.message


def test_user_rule_listed_by_the_cli(registry: dict, cli: Callable) -> None:
    register_engager()
    out = cli(["rules"]).stdout
    assert "test_engager  (roles: economic_bloc)" in out and "loan_chance" in out


def test_rule_not_subclassing_rule_is_rejected(registry: dict) -> None:
    class NotARule:
        Params = RuleParams

        def decide(self, model, actor, u) -> None:
            pass

    with pytest.raises(TypeError, match="subclass"):
        register_rule("not_a_rule")(NotARule)  # type: ignore[type-var]
    assert "not_a_rule" not in available_rules()


def test_rule_for_an_unknown_role_is_rejected(registry: dict) -> None:
    with pytest.raises(ValueError, match="unknown roles"):

        @register_rule("bad_roles", roles=("hegemon",))
        class BadRoles(Rule):
            pass

    assert "bad_roles" not in available_rules()


# --------------------------------------------------------------------------- entry points


def make_plugin_site(site: Path) -> None:
    """Install the plugin's metadata (from its pyproject) as a dist-info folder under ``site``."""
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text())["project"]
    eps = project["entry-points"]["hedgesim.rules"]
    dist = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    (dist / "entry_points.txt").write_text(
        "[hedgesim.rules]\n" + "".join(f"{key} = {value}\n" for key, value in eps.items())
    )


@pytest.fixture
def plugin_module_clean() -> Iterator[None]:
    """The plugin module is imported by discovery; forget it afterwards so tests stay independent."""
    sys.modules.pop(PLUGIN_MODULE, None)
    yield
    sys.modules.pop(PLUGIN_MODULE, None)


def test_entry_point_discovery(
    registry: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, plugin_module_clean: None
) -> None:
    monkeypatch.syspath_prepend(str(PLUGIN))  # the module is importable, but nothing imports it yet
    monkeypatch.setattr(rules, "_ENTRY_POINTS_LOADED", False)
    assert "plugin_steady_engagement" not in available_rules(), "registered without its entry point"

    make_plugin_site(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(rules, "_ENTRY_POINTS_LOADED", False)
    found = available_rules()
    assert "plugin_steady_engagement" in found
    assert found["plugin_steady_engagement"].roles == ("economic_bloc",)

    # The discovered rule works in a scenario, with its parameters validated like any other.
    res = hedgesim.run(
        BASELINE, replicates=20, overrides=with_rule("plugin_steady_engagement", {"loan_chance": 1.0}), record="steps"
    )
    assert (moves_by(res, "EU", "engagement") == H).all() and (moves_by(res, "EU", "loan") == H).all()
    with pytest.raises(InputError) as info:
        load_scenario(BASELINE, with_rule("plugin_steady_engagement", {"loan_chance": 0.4, "speed": 1}))
    assert "speed" in info.value.format()


def test_entry_point_discovery_in_a_fresh_process(tmp_path: Path) -> None:
    """A new interpreter finds the plugin through importlib.metadata alone (no test-side registry tricks)."""
    make_plugin_site(tmp_path / "site")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "site"), str(PLUGIN), env.get("PYTHONPATH", "")])
    exe = Path(sys.executable).parent / "hedgesim"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "hedgesim.cli"]
    with_plugin = subprocess.run([*cmd, "rules"], capture_output=True, text=True, timeout=120, env=env)
    assert with_plugin.returncode == 0, with_plugin.stderr
    assert "plugin_steady_engagement  (roles: economic_bloc)" in with_plugin.stdout
    env["PYTHONPATH"] = os.pathsep.join([str(PLUGIN), os.environ.get("PYTHONPATH", "")])
    without = subprocess.run([*cmd, "rules"], capture_output=True, text=True, timeout=120, env=env)
    assert without.returncode == 0 and "plugin_steady_engagement" not in without.stdout
