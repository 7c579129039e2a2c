"""Classes of bad input that used to run with wrong results, crash or hang (issue 12).

Each test stands for one class and failed on the code before its fix: booleans taken
as numbers, shocks outside their variable's range, malformed facts, files that are not
regular files, events and schedules that cannot happen, and output paths that cannot
be written. Every refusal is one ``InputError`` (one stderr line, exit status 2),
naming the file, line and field, before anything runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import hedgesim
from hedgesim import InputError, load_scenario
from hedgesim.sweep import load_sweep
from tests.integration.test_bad_input import HEAD, FileCase, assert_names, assert_one_line_error, where
from tests.paths import BASELINE


def check_file_case(case: FileCase, write_scenario: Callable[[str, str], Path], cli: Callable, tmp: Path) -> None:
    """The API raises the located InputError; ``hedgesim run`` prints it on one line and writes nothing."""
    for name, text in case.extra.items():
        write_scenario(name, text)
    path = write_scenario("case.yaml", case.text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert_names(info.value, case)
    root = tmp / "results"
    assert_one_line_error(cli(["run", path, "-n", "5", "--results-root", root]), *where(case, path))
    assert not root.exists()


# --------------------------------------------------------------------------- booleans are not numbers

EVENT = "events:\n  - step: 1\n    actor: Russia\n    move: subsidy_cut\n    target: Belarus\n"
TRIGGER = "triggers:\n  - when: tension > 0.5\n    actor: Russia\n    move: subsidy_cut\n    target: Belarus\n"
BOOLEAN_CASES = [
    FileCase("horizon", HEAD + "horizon: true\n", "horizon", 3, "boolean"),
    FileCase("replicates", HEAD + "replicates: true\n", "replicates", 3, "boolean"),
    FileCase("seed", HEAD + "seed: false\n", "seed", 3, "boolean"),
    FileCase("step_months", HEAD + "step_months: true\n", "step_months", 3, "boolean"),
    FileCase(
        "state",
        HEAD + "actors:\n  Russia:\n    state:\n      posture: true\n",
        "actors.Russia.state.posture",
        6,
        "bool",
    ),
    FileCase("event_step", HEAD + EVENT.replace("step: 1", "step: true"), "events[0].step", 4, "boolean"),
    FileCase("event_intensity", HEAD + EVENT + "    intensity: true\n", "events[0].intensity", 8, "boolean"),
    FileCase("event_duration", HEAD + EVENT + "    duration: true\n", "events[0].duration", 8, "boolean"),
    FileCase(
        "shock_value",
        HEAD + "events:\n  - step: 1\n    set:\n      tension: true\n",
        "events[0].set.tension",
        6,
        "boolean",
    ),
    FileCase("trigger_cooldown", HEAD + TRIGGER + "    cooldown: true\n", "triggers[0].cooldown", 8, "boolean"),
    FileCase("trigger_intensity", HEAD + TRIGGER + "    intensity: false\n", "triggers[0].intensity", 8, "boolean"),
    FileCase("parameter", HEAD + "parameters:\n  tension_decay: true\n", "parameters.tension_decay", 4, "boolean"),
    FileCase("mechanism", HEAD + "mechanisms:\n  incidents: true\n", "mechanisms.incidents", 4, "boolean"),
    FileCase("outcome", HEAD + "outcomes:\n  crisis_tension: false\n", "outcomes.crisis_tension", 4, "boolean"),
    FileCase(
        "rule_param",
        HEAD + "actors:\n  Russia:\n    rule:\n      name: strategic\n      params:\n        coercion: true\n",
        "actors.Russia.rule.params.coercion",
        8,
        "boolean",
    ),
]


@pytest.mark.parametrize("case", BOOLEAN_CASES, ids=lambda c: c.id)
def test_booleans_are_not_numbers(
    case: FileCase, write_scenario: Callable[[str, str], Path], cli: Callable, tmp_path: Path
) -> None:
    """``horizon: true`` ran one step and ``posture: true`` was 1.0; now each is refused at its line."""
    check_file_case(case, write_scenario, cli, tmp_path)


def test_booleans_are_not_numbers_in_overrides_sweeps_and_calls(tmp_path: Path, cli: Callable) -> None:
    with pytest.raises(InputError, match="boolean") as info:
        load_scenario(BASELINE, ["horizon=true"])
    assert info.value.field == "horizon"
    assert_one_line_error(cli(["run", BASELINE, "--set", "seed=false"]), "--set seed", "boolean")
    for body, field in (
        ("parameters:\n  actors.NATO.state.posture: {range: [0.1, 0.9]}\nreplicates: true\n", "replicates"),
        ("parameters:\n  actors.NATO.state.posture: {range: [false, true]}\n", "parameters"),
        ("parameters:\n  actors.NATO.state.posture: {range: [0.1, 0.9]}\ndesign: lhs\nsamples: true\n", "samples"),
        ("parameters:\n  actors.NATO.state.posture: {values: [true, false]}\n", "actors.NATO.state.posture"),
    ):
        f = tmp_path / "sweep.yaml"
        f.write_text(f"base: {BASELINE}\n{body}", encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_sweep(f)
        assert info.value.file == str(f) and field in (info.value.field or ""), info.value.format()
    for kwargs in ({"chunk_size": True}, {"replicates": False}):
        with pytest.raises(InputError) as info:
            hedgesim.run(BASELINE, **kwargs)
        assert info.value.field == next(iter(kwargs))
    f.write_text(f"base: {BASELINE}\nparameters:\n  actors.NATO.state.posture: {{values: [0.5]}}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        hedgesim.run_sweep(f, out=tmp_path / "out", workers=True)
    assert info.value.field == "--workers" and not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- shocks within their variable's range

SHOCK = HEAD + "events:\n  - step: 1\n    {key}:\n      {var}: {value}\n"
SHOCK_CASES = [
    FileCase("set_nan", SHOCK.format(key="set", var="hedger.alignment", value=".nan"), None, 6, "finite"),
    FileCase("set_nan_tension", SHOCK.format(key="set", var="tension", value=".nan"), None, 6, "finite"),
    FileCase("set_above", SHOCK.format(key="set", var="hedger.alignment", value="7"), None, 6, "outside [-1, 1]"),
    FileCase("set_inf", SHOCK.format(key="set", var="Russia.posture", value=".inf"), None, 6, "finite"),
    FileCase("add_inf", SHOCK.format(key="add", var="tension", value="-.inf"), None, 6, "finite"),
    FileCase("add_beyond_range", SHOCK.format(key="add", var="Belarus.economy", value="5"), None, 6, "whole range"),
]
for _case in SHOCK_CASES:  # the field is the shock's own entry
    _key, _var = _case.text.splitlines()[-2].strip(" :"), _case.text.splitlines()[-1].split(":")[0].strip()
    _case.field = f'events[0].{_key}["{_var}"]' if "." in _var else f"events[0].{_key}.{_var}"


@pytest.mark.parametrize("case", SHOCK_CASES, ids=lambda c: c.id)
def test_shocks_are_checked_like_initial_state(
    case: FileCase, write_scenario: Callable[[str, str], Path], cli: Callable, tmp_path: Path
) -> None:
    """NaN alignment made every replicate keep neutrality, 7 was clipped to 1: now refused at the line."""
    check_file_case(case, write_scenario, cli, tmp_path)


def test_shocks_are_checked_in_overrides_and_sweeps(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="finite") as info:
        load_scenario(BASELINE, {"events": [{"step": 1, "set": {"tension": float("nan")}}]})
    assert info.value.field == "events[0].set.tension"
    with pytest.raises(InputError, match="outside"):
        load_scenario(BASELINE, ["events=[{step: 1, set: {hedger.alignment: 7}}]"])
    base = tmp_path / "shocked.yaml"
    base.write_text(f"extends: {BASELINE}\nname: shocked\nevents: [{{step: 2, add: {{tension: 0}}}}]\n")
    f = tmp_path / "sweep.yaml"
    f.write_text(f"base: {base}\nparameters:\n  events[0].add.tension: {{values: [0.1, 3.0]}}\n", encoding="utf-8")
    with pytest.raises(InputError, match="whole range") as info:
        load_sweep(f)
    assert info.value.file == str(f) and info.value.field == "events[0].add.tension"


# --------------------------------------------------------------------------- malformed facts and actors

MALFORMED_CASES = [
    FileCase(
        "derived_without_a_kind",
        HEAD + "facts:\n  Belarus:\n    _derived: {a: 1}\n",
        "facts.Belarus._derived",
        5,
        "written by hedgesim",
    ),
    FileCase(
        "derived_with_a_number_key",
        HEAD + "facts:\n  Belarus:\n    _derived: {1: 2}\n",
        "facts.Belarus._derived",
        5,
        "written by hedgesim",
    ),
    FileCase(
        "rule_name_list", HEAD + "actors:\n  Belarus:\n    rule: {name: [a]}\n", "actors.Belarus.rule.name", 5, ""
    ),
    FileCase("rule_name_mapping", HEAD + "actors:\n  Russia:\n    rule:\n      name: {a: 1}\n", None, ..., ""),
]


@pytest.mark.parametrize("case", MALFORMED_CASES, ids=lambda c: c.id)
def test_malformed_facts_and_rules_are_input_errors(
    case: FileCase, write_scenario: Callable[[str, str], Path], cli: Callable, tmp_path: Path
) -> None:
    """These crashed with ValueError or TypeError inside the fact mapping."""
    if case.field is None:
        case.field = "actors.Russia.rule.name"
    check_file_case(case, write_scenario, cli, tmp_path)


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    out: list[tuple] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        out += [(*prefix, key), *_paths(value, (*prefix, key))]
    return out


def _at(data: object, path: tuple) -> object:
    for key in path:
        data = data[key]  # type: ignore[index]
    return data


def test_fuzzed_scenarios_give_input_errors_only() -> None:
    """Random values and keys written anywhere in the baseline's facts and actors.

    600 generated scenarios (hypothesis, derandomised so CI is repeatable): each either
    loads or raises InputError; any other exception is a bug this test names.
    """
    import copy

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from hedgesim.scenario import load_with_extends

    base, _ = load_with_extends(BASELINE)
    where_ = [p for p in _paths(base) if p[0] in ("facts", "actors")]
    nodes = [(), *(p for p in where_ if isinstance(_at(base, p), dict))]  # where a new key can go
    words = ["_derived", "value", "source", "tag", "name", "params", "role", "state", "rule", "moves", "Belarus"]
    words += ["gdp_usd_bn", "state.alignment", "hedger", "global", "S", "fixed"]
    leaf = st.one_of(
        st.none(), st.booleans(), st.integers(-3, 3), st.floats(), st.text(max_size=4), st.sampled_from(words)
    )
    value = st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.one_of(st.sampled_from(words), st.integers(0, 2)), inner, max_size=3),
        ),
        max_leaves=6,
    )
    edit = st.one_of(
        st.tuples(st.sampled_from(where_), st.none(), value),
        st.tuples(st.sampled_from(nodes), st.sampled_from(words), value),
    )

    @settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.lists(edit, min_size=1, max_size=3))
    def loads_or_input_error(edits: list) -> None:
        data = copy.deepcopy(base)
        for path, extra, new in edits:
            path = path if extra is None else (*path, extra)
            parent = data
            try:
                for key in path[:-1]:
                    parent = parent[key]
                parent[path[-1]] = new
            except (KeyError, IndexError, TypeError):
                continue
        try:
            load_scenario(data)
        except InputError:
            pass

    loads_or_input_error()


# --------------------------------------------------------------------------- regular files only; short messages


def _hedgesim(*args: object, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hedgesim", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    """A FIFO as a scenario, an ``extends:`` target or a sweep's ``base:`` blocked forever; now refused at once."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "child.yaml").write_text("extends: pipe.yaml\nname: child\n")
    (tmp_path / "sweep.yaml").write_text("base: pipe.yaml\nparameters:\n  horizon: {values: [5]}\n")
    cases = [
        ("pipe.yaml", "pipe.yaml: is a named pipe (FIFO), not a regular file"),
        ("child.yaml", "child.yaml:1: extends: extended file 'pipe.yaml' is a named pipe (FIFO)"),
        ("sweep.yaml", "sweep.yaml:1: base: base scenario 'pipe.yaml' is a named pipe (FIFO)"),
        ("/dev/zero", "/dev/zero: is a character device, not a regular file"),
    ]
    for name, needle in cases:
        try:
            proc = _hedgesim("validate", name, cwd=tmp_path, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"hedgesim validate {name} blocked")
        assert proc.returncode == 2 and needle in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    with pytest.raises(InputError, match="named pipe"):
        load_scenario(fifo)


def test_messages_quote_briefly_and_name_the_file(tmp_path: Path, cli: Callable) -> None:
    """A 3 MB one-line target of ``extends:`` or ``base:`` was echoed whole in the error."""
    (tmp_path / "huge.yaml").write_text("x" * 3_000_000 + "\n")
    child = tmp_path / "child.yaml"
    child.write_text("extends: huge.yaml\nname: child\n")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("base: huge.yaml\nparameters:\n  horizon: {values: [5]}\n")
    for path in (child, sweep):
        with pytest.raises(InputError) as info:
            (load_sweep if path is sweep else load_scenario)(path)
        err = info.value
        assert err.file == str(tmp_path / "huge.yaml") and err.line == 1, err.format()[:300]
        assert "single value" in err.message and len(str(err)) < 400, len(str(err))
        line = assert_one_line_error(cli(["validate", path]), "huge.yaml:1: ")
        assert len(line) < 400
    with pytest.raises(InputError) as info:
        load_scenario(BASELINE, {"name": "n" * 10**6})
    assert len(str(info.value)) <= 600


# --------------------------------------------------------------------------- events and schedules that cannot happen


def test_a_fixed_move_that_stops_before_it_starts_is_refused(
    write_scenario: Callable[[str, str], Path], cli: Callable, tmp_path: Path
) -> None:
    text = HEAD + (
        "actors:\n  Russia:\n    rule:\n      name: fixed\n      params:\n        moves:\n"
        "          - {move: subsidy_cut, target: Belarus, start: 10, stop: 2}\n"
    )
    case = FileCase("stop_before_start", text, "actors.Russia.rule.params.moves[0]", 9, "stop (2) comes before start")
    check_file_case(case, write_scenario, cli, tmp_path)


def test_an_event_mostly_past_the_horizon_is_warned_about(
    write_scenario: Callable[[str, str], Path], cli: Callable, tmp_path: Path
) -> None:
    """duration: 10000 over a 12-step horizon spread the move's intensity 1000 times too thin, silently."""
    from hedgesim.errors import InputWarning

    path = write_scenario("long.yaml", HEAD + "horizon: 12\n" + EVENT + "    duration: 10000\n")
    with pytest.warns(InputWarning, match=r"long.yaml:9: events\[0\].duration: the event runs 10000 steps"):
        load_scenario(path)
    result = cli(["run", path, "-n", "5", "--no-figures", "--out", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("hedgesim: warning: ") and "only 11 of its steps" in result.stderr
    assert "warning" in cli(["validate", path]).stderr
    with warnings.catch_warnings():  # half of the event inside the horizon is a plain truncation, not a mistake
        warnings.simplefilter("error")
        load_scenario(BASELINE, ["horizon=36"])


# --------------------------------------------------------------------------- output paths checked before running


def test_out_through_a_dangling_link_is_refused_before_running(tmp_path: Path, cli: Callable) -> None:
    """``--out`` on (or under) a dangling symbolic link ran the whole ensemble, then failed."""
    (tmp_path / "link").symlink_to(tmp_path / "gone" / "deeper")
    (tmp_path / "dir_link").symlink_to(tmp_path / "gone_too")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(f"base: {BASELINE}\nparameters:\n  horizon: {{values: [5]}}\nreplicates: 5\n")
    for args, out in (
        (["run", BASELINE, "-n", "5"], tmp_path / "link"),
        (["run", BASELINE, "-n", "5"], tmp_path / "dir_link" / "run"),
        (["sweep", sweep, "--workers", "1"], tmp_path / "link"),
        (["findings", "-n", "5"], tmp_path / "dir_link" / "findings.md"),
    ):
        line = assert_one_line_error(cli([*args, "--out", out]), "--out: ", "symbolic link", "does not exist")
        assert str(out) in line
    with pytest.raises(InputError, match="symbolic link"):
        hedgesim.run(BASELINE, replicates=5, overrides=["horizon=6"]).save(tmp_path / "link")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir_link", "link", "sweep.yaml"]
