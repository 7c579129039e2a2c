"""Bad input: one clear error naming file, line and field; exit status 2; no traceback; nothing written.

Every case is checked twice: from the Python API (an InputError with the right
file, line and field) and through the command line (``hedgesim run`` and
``hedgesim validate``), where the error must be a single stderr line
``hedgesim: error: file:line: field: message`` and no results folder may appear.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import Result

import hedgesim
from hedgesim import InputError, load_scenario
from tests.paths import BASELINE as BASELINE_PATH

BASELINE = BASELINE_PATH
HEAD = "extends: baseline.yaml\nname: bad\n"  # lines 1-2 of every file case


@dataclass
class FileCase:
    """A scenario file (plus helpers) that must be refused with this file, line and field."""

    id: str
    text: str
    field: str | None
    line: int | type[Ellipsis] | None  # ... = a line must be given, whichever it is
    says: str = ""  # a word the message must contain
    extra: dict[str, str] = field(default_factory=dict)  # other files in the folder
    file: str = "case.yaml"  # the file the error must name


FILE_CASES = [
    FileCase("yaml_syntax", HEAD + "horizon: 12: 13\n", None, 3, "YAML"),
    FileCase("yaml_unclosed_flow", HEAD + "events: [\n  {step: 1\nhorizon: 12\n", None, 5, "YAML"),
    FileCase("yaml_tab_indent", HEAD + "actors:\n\tRussia: {}\n", None, 4, "YAML"),
    # yamlio names the mapping holding a duplicate key (none at the top level), and the key in the message
    FileCase("yaml_duplicate_key", HEAD + "horizon: 12\nhorizon: 13\n", None, 4, "duplicate key 'horizon'"),
    FileCase(
        "yaml_duplicate_nested_key",
        HEAD + "parameters:\n  rung: 0.1\n  rung: 0.2\n",
        "parameters",
        5,
        "duplicate key 'rung'",
    ),
    FileCase("unknown_top_level_field", HEAD + "horizn: 24\n", "horizn", 3, "horizon"),
    FileCase(
        "unknown_state_variable",
        HEAD + "actors:\n  Russia:\n    state:\n      postur: 0.5\n",
        "actors.Russia.state.postur",
        6,
        "postur",
    ),
    FileCase(
        "derived_state_variable",
        HEAD + "actors:\n  Russia:\n    state:\n      threat: 0.5\n",
        "actors.Russia.state.threat",
        6,
        "threat",
    ),
    FileCase(
        "unknown_parameter",
        HEAD + "parameters:\n  flank_sensitivty: 0.5\n",
        "parameters.flank_sensitivty",
        4,
        "flank_sensitivity",
    ),
    FileCase("unknown_mechanism", HEAD + "mechanisms:\n  cbsm: 0\n", "mechanisms.cbsm", 4, "cbsm"),
    FileCase("unknown_outcome_threshold", HEAD + "outcomes:\n  crisis: 0.5\n", "outcomes.crisis", 4, "crisis"),
    FileCase(
        "unknown_event_field",
        HEAD + "events:\n  - step: 1\n    actor: Russia\n    move: subsidy_cut\n    target: Belarus\n    intensty: 1\n",
        "events[0].intensty",
        8,
        "intensty",
    ),
    FileCase("wrong_type_top", HEAD + "horizon: lots\n", "horizon", 3, "integer"),
    FileCase(
        "wrong_type_state",
        HEAD + "actors:\n  Russia:\n    state:\n      posture: high\n",
        "actors.Russia.state.posture",
        6,
        "number",
    ),
    FileCase("wrong_type_actors", HEAD + "actors: [Russia]\n", "actors", 3, ""),
    FileCase("out_of_range_top", HEAD + "replicates: 0\n", "replicates", 3, ""),
    FileCase(
        "out_of_range_parameter", HEAD + "parameters:\n  flank_sensitivity: 9\n", "parameters.flank_sensitivity", 4, ""
    ),
    FileCase(
        "out_of_range_state",
        HEAD + "actors:\n  Russia:\n    state:\n      posture: 1.5\n",
        "actors.Russia.state.posture",
        6,
        "1.5",
    ),
    FileCase(
        "out_of_range_rule_param",
        HEAD + "actors:\n  Russia:\n    rule:\n      params:\n        coercion: 2\n",
        "actors.Russia.rule.params.coercion",
        7,
        "",
    ),
    FileCase("bad_date", HEAD + "start: 2019-13\n", "start", 3, "YYYY-MM"),
    FileCase(
        "event_outside_horizon",
        HEAD + "horizon: 12\nevents:\n  - step: 50\n    actor: Russia\n    move: subsidy_cut\n    target: Belarus\n",
        "events[0].step",
        5,
        "horizon",
    ),
    FileCase(
        "unknown_actor_in_event",
        HEAD + "events:\n  - step: 1\n    actor: Rusia\n    move: subsidy_cut\n    target: Belarus\n",
        "events[0].actor",
        5,
        "Rusia",
    ),
    FileCase(
        "unknown_target_in_event",
        HEAD + "events:\n  - step: 1\n    actor: Russia\n    move: subsidy_cut\n    target: Belarussia\n",
        "events[0].target",
        7,
        "Belarussia",
    ),
    FileCase(
        "unknown_move_in_event",
        HEAD + "events:\n  - step: 1\n    actor: Russia\n    move: invade\n    target: Belarus\n",
        "events[0].move",
        6,
        "invade",
    ),
    FileCase(
        "move_not_for_role",
        HEAD + "events:\n  - step: 1\n    actor: EU\n    move: subsidy_cut\n    target: Belarus\n",
        "events[0].move",
        6,
        "subsidy_cut",
    ),
    FileCase(
        "unknown_variable_in_shock",
        HEAD + "events:\n  - step: 1\n    set:\n      NATO.postur: 0.9\n",
        'events[0].set["NATO.postur"]',
        6,
        "NATO.postur",
    ),
    FileCase(
        "unknown_actor_in_trigger",
        HEAD + "triggers:\n  - when: tension > 0.5\n    actor: Rusia\n    move: subsidy_cut\n    target: Belarus\n",
        "triggers[0].actor",
        5,
        "Rusia",
    ),
    FileCase(
        "unknown_target_in_trigger",
        HEAD + "triggers:\n  - when: tension > 0.5\n    actor: Russia\n    move: subsidy_cut\n    target: Belaruss\n",
        "triggers[0].target",
        7,
        "Belaruss",
    ),
    FileCase(
        "unknown_actor_in_rule",
        HEAD + "actors:\n  EU:\n    rule:\n      name: fixed\n      params:\n"
        "        moves:\n          - move: engagement\n            target: Belarusia\n",
        "actors.EU.rule.params.moves[0].target",
        10,
        "Belarusia",
    ),
    FileCase("unknown_role", HEAD + "actors:\n  China:\n    role: economic_partner\n", "actors.China.role", 5, ""),
    FileCase(
        "rule_not_for_role",
        HEAD + "actors:\n  Russia:\n    rule:\n      name: logit_hedger\n      params: null\n",
        "actors.Russia.rule.name",
        6,
        "logit_hedger",
    ),
    FileCase(
        "unknown_rule",
        HEAD + "actors:\n  Russia:\n    rule:\n      name: titfortat\n      params: null\n",
        "actors.Russia.rule.name",
        6,
        "titfortat",
    ),
    FileCase(
        "unknown_rule_param",
        HEAD + "actors:\n  Russia:\n    rule:\n      params:\n        coersion: 0.5\n",
        "actors.Russia.rule.params.coersion",
        7,
        "coersion",
    ),
    FileCase(
        "trigger_syntax",
        HEAD + "triggers:\n  - when: 'tension >'\n    actor: Russia\n    move: subsidy_cut\n    target: Belarus\n",
        "triggers[0].when",
        4,
        "syntax",
    ),
    FileCase(
        "trigger_unknown_name",
        HEAD + "triggers:\n  - when: 'tensoin > 0.5'\n    actor: Russia\n    move: subsidy_cut\n    target: Belarus\n",
        "triggers[0].when",
        4,
        "tensoin",
    ),
    FileCase(
        "trigger_function_call",
        HEAD + 'triggers:\n  - when: \'__import__("os").system("true") == 0\'\n'
        "    actor: Russia\n    move: subsidy_cut\n    target: Belarus\n",
        "triggers[0].when",
        4,
        "",
    ),
    FileCase(
        "trigger_unknown_function",
        HEAD + "triggers:\n  - when: 'open(\"x\") > 0'\n    actor: Russia\n"
        "    move: subsidy_cut\n    target: Belarus\n",
        "triggers[0].when",
        4,
        "open",
    ),
    FileCase(
        "trigger_attribute",
        HEAD + "triggers:\n  - when: 'hedger.alignment.__class__ > 0'\n    actor: Russia\n"
        "    move: subsidy_cut\n    target: Belarus\n",
        "triggers[0].when",
        4,
        "",
    ),
    FileCase(
        "rule_expression",
        HEAD + "actors:\n  NATO:\n    rule:\n      name: threshold\n      params:\n"
        "        when: 'Rusia.posture > 0.5'\n        move: deployment\n",
        "actors.NATO.rule.params.when",
        8,
        "Rusia",
    ),
    FileCase("extends_missing", "extends: nowhere.yaml\nname: bad\n", "extends", 1, "nowhere.yaml"),
    FileCase(
        "extends_circular",
        "extends: other.yaml\nname: bad\n",
        "extends",
        1,
        "circular",
        extra={"other.yaml": "extends: case.yaml\nname: other\n"},
        file="",
    ),
    FileCase(
        "alias_bomb",  # "billion laughs": 8 levels of 10 aliases, 10**8 values once expanded
        "".join(
            f"{c}: &{c} [{', '.join([f'*{p}'] * 10) if p else ', '.join(['x'] * 10)}]\n"
            for p, c in zip(["", "a", "b", "c", "d", "e", "f", "g"], "abcdefgh", strict=True)
        ),
        None,
        ...,
        "alias",
    ),
    FileCase("deep_nesting", "name: bad\nx: " + "[" * 200 + "]" * 200 + "\n", None, 2, ""),
    FileCase("not_a_mapping", "- just\n- a list\n", None, 1, "mapping"),
    FileCase("empty_file", "", None, None, "empty"),
]


@pytest.fixture(params=FILE_CASES, ids=lambda c: c.id)
def file_case(request: pytest.FixtureRequest, write_scenario: Callable[[str, str], Path]) -> tuple[FileCase, Path]:
    case: FileCase = request.param
    for name, text in case.extra.items():
        write_scenario(name, text)
    return case, write_scenario("case.yaml", case.text)


def assert_names(err: InputError, case: FileCase) -> None:
    if case.file:
        assert err.file is not None and Path(err.file).name == case.file, err.format()
    else:  # a cycle may be reported at either end
        assert err.file is not None and Path(err.file).name in ("case.yaml", *case.extra), err.format()
    if case.line is ...:
        assert isinstance(err.line, int), err.format()
    else:
        assert err.line == case.line, err.format()
    assert err.field == case.field, err.format()
    assert case.says.lower() in err.message.lower(), err.format()


def assert_one_line_error(result: Result, *needles: str) -> str:
    """Exit 2, exactly one stderr line 'hedgesim: error: ...' containing every needle, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("hedgesim: error: "), line
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in line, f"{needle!r} not in {line!r}"
    return line


def where(case: FileCase, path: Path) -> list[str]:
    """What the CLI line must name: file (with :line when known) and the field path."""
    name = case.file or ""
    if not name:
        needles = []
    elif isinstance(case.line, int):
        needles = [f"{name}:{case.line}: "]
    elif case.line is ...:
        needles = [f"{name}:"]
    else:
        needles = [name]
    if case.field:
        needles.append(f"{case.field}: ")
    return needles


def test_file_case_api(file_case: tuple[FileCase, Path]) -> None:
    case, path = file_case
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert_names(info.value, case)


def test_file_case_cli_run(file_case: tuple[FileCase, Path], cli: Callable, tmp_path: Path) -> None:
    case, path = file_case
    root = tmp_path / "results"
    before = sorted(p.name for p in path.parent.iterdir())
    result = cli(["run", path, "--replicates", "5", "--results-root", root])
    line = assert_one_line_error(result, *where(case, path))
    if not case.file:
        assert any(name in line for name in ("case.yaml", *case.extra)), line
    assert not root.exists(), "nothing may be written for a bad scenario"
    assert sorted(p.name for p in path.parent.iterdir()) == before


def test_file_case_cli_validate(file_case: tuple[FileCase, Path], cli: Callable) -> None:
    case, path = file_case
    assert_one_line_error(cli(["validate", path]), *where(case, path))


def test_missing_scenario_file(tmp_path: Path, cli: Callable) -> None:
    missing = tmp_path / "no_such_scenario.yaml"
    with pytest.raises(InputError) as info:
        load_scenario(missing)
    assert info.value.file is not None and Path(info.value.file).name == missing.name
    result = cli(["run", missing, "--results-root", tmp_path / "results"])
    assert_one_line_error(result, "no_such_scenario.yaml", "does not exist")
    assert not (tmp_path / "results").exists()


def test_scenario_path_is_a_directory(tmp_path: Path, cli: Callable) -> None:
    result = cli(["run", tmp_path, "--results-root", tmp_path / "results"])
    assert_one_line_error(result, str(tmp_path))
    assert not (tmp_path / "results").exists()


# --------------------------------------------------------------------------- command-line options


@dataclass
class OptionCase:
    id: str
    args: list[str]
    needles: list[str]


OPTION_CASES = [
    OptionCase("replicates_absurd", ["--replicates", "1000000000000"], ["replicates"]),
    OptionCase("replicates_zero", ["--replicates", "0"], ["replicates"]),
    OptionCase("replicates_negative", ["--replicates", "-5"], ["replicates"]),
    OptionCase("seed_negative", ["--seed", "-1"], ["seed"]),
    OptionCase("seed_too_large", ["--seed", str(2**64)], ["seed"]),
    OptionCase("horizon_absurd_via_set", ["--set", "horizon=1000000000000"], ["--set horizon", "horizon: "]),
    # Steps stream to disk: what no disk can hold (petabytes) is refused, in bytes, before running.
    OptionCase(
        "steps_more_than_any_disk_holds",
        ["--replicates", "10000000", "--set", "horizon=12000", "--record", "steps"],
        ["record", "needs about"],
    ),
    OptionCase("set_without_equals", ["--set", "horizon"], ["--set", "horizon"]),
    OptionCase("set_malformed_path", ["--set", "actors..Russia=1"], ["--set", "actors..Russia"]),
    OptionCase("set_missing_list_index", ["--set", "events[5].intensity=1"], ["--set", "events[5].intensity"]),
    OptionCase("set_index_on_mapping", ["--set", "actors[0]=1"], ["--set", "actors"]),
    OptionCase(
        "set_unknown_field",
        ["--set", "parameters.flank_sensitivty=1"],
        ["--set parameters.flank_sensitivty", "parameters.flank_sensitivty: "],
    ),
    OptionCase("set_unknown_actor", ["--set", "actors.Rusia.state.posture=0.5"], ["--set", "actors.Rusia"]),
    OptionCase(
        "set_unknown_state_variable",
        ["--set", "actors.Russia.state.postur=0.5"],
        ["--set actors.Russia.state.postur", "actors.Russia.state.postur: "],
    ),
    OptionCase(
        "set_bad_value",
        ["--set", "actors.Russia.state.posture=high"],
        ["--set actors.Russia.state.posture", "actors.Russia.state.posture: "],
    ),
    OptionCase("set_unparsable_value", ["--set", "horizon=[1, 2"], ["--set", "horizon"]),
    OptionCase(
        "set_out_of_range",
        ["--set", "actors.Russia.state.posture=2"],
        ["--set actors.Russia.state.posture", "actors.Russia.state.posture: "],
    ),
    OptionCase(
        "set_out_of_range_parameter",
        ["--set", "parameters.flank_sensitivity=99"],
        ["--set parameters.flank_sensitivity", "parameters.flank_sensitivity: "],
    ),
    OptionCase(
        "set_unknown_rule",
        ["--set", "actors.Russia.rule.name=titfortat"],
        ["--set actors.Russia.rule.name", "actors.Russia.rule.name: "],
    ),
    OptionCase(
        "set_bad_trigger",
        ["--set", "triggers=[{when: 'tension >', actor: Russia, move: deployment}]"],
        ["--set", "triggers[0].when"],
    ),
    OptionCase("set_unknown_event_actor", ["--set", "events[0].actor=Rusia"], ["--set", "events[0].actor"]),
]


@pytest.mark.parametrize("case", OPTION_CASES, ids=lambda c: c.id)
def test_bad_option(case: OptionCase, cli: Callable, tmp_path: Path) -> None:
    root = tmp_path / "results"
    result = cli(["run", BASELINE, *case.args, "--results-root", root])
    assert_one_line_error(result, *case.needles)
    assert not root.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        ["horizon=1000000000000"],
        ["actors.Russia.state.posture=2"],
        ["actors.Russia.state.posture=high"],
        ["events[5].intensity=1"],
        ["actors..x=1"],
        ["noequals"],
        {"horizon": 10**12},
        {"actors.Russia.state.posture": 2.0},
        {"parameters.nope": 1},
    ],
    ids=str,
)
def test_bad_override_api(overrides: list[str] | dict[str, object]) -> None:
    with pytest.raises(InputError) as info:
        load_scenario(BASELINE, overrides)
    assert info.value.field, info.value.format()


def test_absurd_sizes_api() -> None:
    """The API refuses before it starts: these would never finish or fit."""
    sc = load_scenario(BASELINE)
    with pytest.raises(InputError) as info:
        hedgesim.run(sc, replicates=10**12)
    assert info.value.field == "replicates"
    with pytest.raises(InputError) as info:  # about 10 PB of steps
        hedgesim.run(sc.model_copy(update={"horizon": 12_000}), replicates=10_000_000, record="steps")
    assert info.value.field == "record"
    with pytest.raises(InputError) as info:
        hedgesim.run(sc, replicates=5, seed=-1)
    assert info.value.field == "seed"
    with pytest.raises(InputError) as info:
        hedgesim.run(sc, replicates=5, chunk_size=0)
    assert info.value.field == "chunk_size"
    with pytest.raises(InputError) as info:
        hedgesim.run(sc, replicates=5, record="everything")  # type: ignore[arg-type]
    assert info.value.field == "record"


# --------------------------------------------------------------------------- output folders


def test_out_under_a_regular_file(tmp_path: Path, cli: Callable) -> None:
    blocker = tmp_path / "somefile.txt"
    blocker.write_text("not a folder\n")
    result = cli(
        [
            "run",
            BASELINE,
            "-n",
            "5",
            "--set",
            "horizon=6",
            "--out",
            blocker / "sub",
            "--results-root",
            tmp_path / "results",
        ]
    )
    assert_one_line_error(result, "somefile.txt", "--out")
    assert blocker.read_text() == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["somefile.txt"]


def test_out_where_nothing_can_be_created(tmp_path: Path, cli: Callable) -> None:
    """/proc refuses new folders even to root (chmod would not stop root)."""
    target = Path("/proc") / f"hedgesim-test-{os.getpid()}" / "sub"
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc")
    result = cli(
        ["run", BASELINE, "-n", "5", "--set", "horizon=6", "--no-figures", "--out", target, "--results-root", tmp_path]
    )
    assert_one_line_error(result, "/proc")
    assert not target.parent.exists()


def test_out_that_already_exists(tmp_path: Path, cli: Callable) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine\n")
    result = cli(
        ["run", BASELINE, "-n", "5", "--set", "horizon=6", "--out", out, "--results-root", tmp_path / "results"]
    )
    assert_one_line_error(result, "taken", "--out", "already exists")
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"], "no partial folder may be left beside it"


def test_out_that_is_an_existing_file(tmp_path: Path, cli: Callable) -> None:
    out = tmp_path / "taken.txt"
    out.write_text("mine\n")
    result = cli(
        ["run", BASELINE, "-n", "5", "--set", "horizon=6", "--out", out, "--results-root", tmp_path / "results"]
    )
    assert_one_line_error(result, "taken.txt", "--out")
    assert out.read_text() == "mine\n"


# --------------------------------------------------------------------------- a real process


def hedgesim_command() -> list[str]:
    exe = Path(sys.executable).parent / "hedgesim"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "hedgesim.cli"]


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        (
            HEAD + "actors:\n  Russia:\n    state:\n      postur: 0.5\n",
            ["case.yaml:6:", "actors.Russia.state.postur: "],
        ),
        (HEAD + "horizon: [\n", ["case.yaml:"]),
    ],
    ids=["unknown_state_variable", "yaml_syntax"],
)
def test_real_process_reports_one_line_and_exit_2(
    text: str, needles: Sequence[str], write_scenario: Callable[[str, str], Path], tmp_path: Path
) -> None:
    """The installed console script, in its own process: no traceback reaches the user."""
    path = write_scenario("case.yaml", text)
    root = tmp_path / "results"
    proc = subprocess.run(
        [*hedgesim_command(), "run", str(path), "-n", "5", "--results-root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hedgesim: error: "), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert proc.stdout == ""
    assert not root.exists() and not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"replicates": 2.5}, "replicates"),
        ({"replicates": True}, "replicates"),
        ({"seed": "abc"}, "seed"),
        ({"seed": -1}, "seed"),
        ({"chunk_size": 0}, "chunk_size"),
    ],
)
def test_api_arguments_are_checked(kwargs: dict, field: str) -> None:
    """Notebook calls get the same clear InputError as the CLI, naming the argument."""
    with pytest.raises(InputError) as info:
        hedgesim.run(BASELINE, **kwargs)
    assert info.value.field == field
