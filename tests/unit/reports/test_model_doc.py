"""docs/model.md is generated from its template and the code, and must not drift from either."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hedgesim.core import GLOBAL_VARS, MOVES, ROLE_VARS, Mechanisms, Outcomes, Parameters
from hedgesim.reports import generate
from hedgesim.reports import model_doc as docs
from hedgesim.util import md_cell
from tests.paths import REPO as REPO_PATH

ROOT = REPO_PATH
TEMPLATE = ROOT / "docs" / "model.template.md"
MODEL_MD = ROOT / "docs" / "model.md"


@pytest.fixture(scope="module")
def model_md() -> str:
    return MODEL_MD.read_text(encoding="utf-8")


def test_model_md_is_generated_from_template_and_code(model_md: str) -> None:
    assert docs.render_model_doc(TEMPLATE) == model_md, "docs/model.md is stale: run `hedgesim docs`"


def test_template_markers_all_filled(model_md: str) -> None:
    assert docs.MARKER.search(model_md) is None
    assert docs.MARKER.search(TEMPLATE.read_text(encoding="utf-8")) is not None


def _rows(text: str) -> dict[str, list[str]]:
    """First backticked cell of each table row -> the row's cells (later tables win)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\| `([^`]+)` \|(.*)\|$", line)
        if m:
            out[m.group(1)] = [c.strip() for c in m.group(2).split(" | ")]
    return out


@pytest.mark.parametrize("name", list(Parameters.model_fields))
def test_every_parameter_documented_with_its_default(name: str, model_md: str) -> None:
    table = _rows(docs.parameter_table())
    assert f"| `{name}` |" in model_md
    meaning, default, _range, unit, source = table[name]
    assert default == docs._num(Parameters.model_fields[name].default)
    assert meaning == md_cell(Parameters.model_fields[name].description)
    assert unit and source


@pytest.mark.parametrize("name", list(Parameters.model_fields))
def test_every_parameter_has_unit_source_and_meaning(name: str) -> None:
    info = Parameters.model_fields[name]
    extra = info.json_schema_extra
    assert isinstance(extra, dict)
    assert str(extra.get("unit", "")).strip(), f"{name} has no unit"
    assert str(extra.get("source", "")).strip(), f"{name} has no source"
    assert (info.description or "").strip(), f"{name} has no meaning"


def test_every_mechanism_threshold_move_and_variable_documented(model_md: str) -> None:
    names = [*Mechanisms.model_fields, *Outcomes.model_fields, *MOVES, *GLOBAL_VARS]
    names += [var for vars_ in ROLE_VARS.values() for var in vars_]
    missing = [n for n in names if f"| `{n}` |" not in model_md]
    assert not missing


def test_state_table_flags_derived_variables() -> None:
    rows = _rows(docs.state_table("hedger"))
    for var, spec in ROLE_VARS["hedger"].items():
        assert (rows[var][-1] == "yes") == spec.derived, var
    with pytest.raises(ValueError, match="unknown role"):
        docs.state_table("emperor")


def test_ranges_come_from_constraints() -> None:
    rows = _rows(docs.outcome_table())
    assert rows["crisis_tension"][2] == "(0, 1]"  # gt=0, le=1
    assert rows["autonomy_floor"][2] == "[0, 1)"  # ge=0, lt=1
    assert rows["base_is_bandwagoning"][2] == "true/false"


def test_pipes_in_text_do_not_break_tables() -> None:
    for line in docs.outcome_table().splitlines():
        assert line.replace(r"\|", "").count("|") == 5, line


def test_rule_table_lists_builtin_rules() -> None:
    from hedgesim.rules import available_rules

    table = docs.rule_table()
    for name, cls in available_rules().items():
        if cls.__module__ == "hedgesim.rules":
            assert f"| `{name}` |" in table
            for field in cls.Params.model_fields:
                assert f"`{field}`" in table


def test_unknown_marker_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown table marker"):
        docs.render("intro\n<!-- table:nonsense -->\n")


def test_generate_checks_and_writes(tmp_path: Path) -> None:
    """``hedgesim docs``'s engine: --check writes nothing and finds a stale or hand-edited copy."""
    (tmp_path / "docs").mkdir()
    template = tmp_path / "docs" / "model.template.md"
    out = tmp_path / "docs" / "model.md"
    template.write_text("# T\n\n<!-- table:outcomes -->\n")
    assert [s.status for s in generate(["model"], check=True, root=tmp_path)] == ["stale"]
    assert not out.exists()  # --check writes nothing
    assert [s.status for s in generate(["model"], root=tmp_path)] == ["written"]
    assert out.read_text() == docs.render_model_doc(template)
    assert [s.status for s in generate(["model"], check=True, root=tmp_path)] == ["current"]
    assert [s.status for s in generate(["model"], root=tmp_path)] == ["unchanged"]
    out.write_text(out.read_text() + "hand edit\n")
    assert [s.status for s in generate(["model"], check=True, root=tmp_path)] == ["stale"]


def test_route_leader_and_hazard_tables_list_every_entry() -> None:
    from hedgesim.calibration import HAZARDS
    from hedgesim.core import ROUTES
    from hedgesim.core.vocabulary import LEADER_TYPES

    routes = _rows(docs.route_table())
    assert set(routes) == {r.key for r in ROUTES if r.key}
    assert set(_rows(docs.hazard_table())) == set(HAZARDS)
    leaders = docs.leader_table()
    assert all(f"| {code} | {name} |" in leaders for code, (name, _) in LEADER_TYPES.items())


def test_prior_table_lists_what_the_baseline_draws() -> None:
    """The priors documented are the ones ``uncertainty.plan`` draws: same parameters, same distributions."""
    from hedgesim.ensemble import plan
    from hedgesim.scenario import load_scenario
    from tests.paths import BASELINE

    table = docs.prior_table()
    drawn = plan(load_scenario(BASELINE), "prior")
    assert drawn.params and drawn.rules
    for name, item, _ in drawn.params:
        assert f"| parameters | `{name}` | {item.describe} |" in table
    for rule, name, item, _ in drawn.rules:
        assert f"| `{rule}` | `q.{name}` | {item.describe} |" in table
    documented = {line.split(" | ")[1] for line in table.splitlines() if line.startswith("| parameters |")}
    assert documented == {f"`{name}`" for name, _, _ in drawn.params}
