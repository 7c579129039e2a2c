"""Tests for hedgesim.scenario.yamlio and .paths: safe loading, line tracking, extends, --set paths."""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hedgesim.errors import InputError
from hedgesim.scenario import yamlio
from hedgesim.scenario.extends import load_with_extends
from hedgesim.scenario.paths import format_path, parse_path, parse_scalar, set_path
from hedgesim.scenario.yamlio import SourceMap, load_yaml


def write(path: Path, text: str) -> Path:
    """Write a test file (creating folders) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_yaml(path)
    return info.value


def extends_error(path: Path, **kwargs: int) -> InputError:
    with pytest.raises(InputError) as info:
        load_with_extends(path, **kwargs)
    return info.value


# --------------------------------------------------------------------------
# load_yaml: data and lines


def test_lines_for_nested_keys_and_list_items(tmp_path: Path) -> None:
    f = write(
        tmp_path / "s.yaml",
        "# comment\n"
        "actors:\n"
        "  Belarus:\n"
        "    state:\n"
        "      alignment: 0.3\n"
        "events:\n"
        "  - step: 1\n"
        "    what: a\n"
        "  - {step: 2,\n"
        "     what: b}\n"
        "1: int key\n",
    )
    data, source = load_yaml(f)
    assert data == {
        "actors": {"Belarus": {"state": {"alignment": 0.3}}},
        "events": [{"step": 1, "what": "a"}, {"step": 2, "what": "b"}],
        1: "int key",
    }
    name = str(f)
    assert source.root_file == name
    assert source.locate(("actors",)) == (name, 2)
    assert source.locate(("actors", "Belarus", "state", "alignment")) == (name, 5)
    assert source.locate(("events", 0)) == (name, 7)
    assert source.locate(("events", 0, "what")) == (name, 8)
    assert source.locate(("events", 1)) == (name, 9)
    assert source.locate(("events", 1, "what")) == (name, 10)
    assert source.locate((1,)) == (name, 11)


def test_locate_falls_back_to_longest_prefix_then_root(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "\nactors:\n  Belarus:\n    state: {}\n")
    _, source = load_yaml(f)
    assert source.locate(["actors", "Belarus", "state", "missing"]) == (str(f), 4)
    assert source.locate(("actors", "Nobody", "x")) == (str(f), 2)
    assert source.locate(("nothing",)) == (str(f), None)
    assert source.locate(()) == (str(f), None)


def test_plain_scalars_follow_safe_loader(tmp_path: Path) -> None:
    f = write(
        tmp_path / "s.yaml",
        "a: 0.5\nb: true\nc: ~\nd: '1'\ne: 0x10\nf: [1, two]\ng: <<\nh: =\n",
    )
    data, _ = load_yaml(f)
    assert data == {"a": 0.5, "b": True, "c": None, "d": "1", "e": 16, "f": [1, "two"], "g": "<<", "h": "="}


def test_aliases_and_merge_keys_work(tmp_path: Path) -> None:
    f = write(
        tmp_path / "s.yaml",
        "defaults: &d\n"
        "  speed: 1\n"
        "  mood: calm\n"
        "extra: &e {speed: 5, size: 9}\n"
        "tags: &t [x, y]\n"
        "one:\n"
        "  <<: *d\n"
        "  mood: angry\n"
        "two:\n"
        "  <<: [*d, *e]\n"
        "  labels: *t\n",
    )
    data, source = load_yaml(f)
    assert data["one"] == {"speed": 1, "mood": "angry"}
    # Earlier merge sources win over later ones, explicit keys over both.
    assert data["two"] == {"speed": 1, "mood": "calm", "size": 9, "labels": ["x", "y"]}
    # Aliased values are independent copies, so merging later cannot leak.
    data["two"]["labels"].append("z")
    assert data["tags"] == ["x", "y"]
    assert source.locate(("one", "mood")) == (str(f), 8)
    assert source.locate(("one", "speed")) == (str(f), 2)  # where it was written
    assert source.locate(("two", "size")) == (str(f), 4)


def test_empty_file_gives_none(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "# only a comment\n")
    data, source = load_yaml(f)
    assert data is None
    assert source.locate(("x",)) == (str(f), None)


# --------------------------------------------------------------------------
# load_yaml: bad files


def test_missing_file(tmp_path: Path) -> None:
    err = load_error(tmp_path / "nope.yaml")
    assert err.file == str(tmp_path / "nope.yaml")
    assert err.line is None
    assert err.message == "file does not exist"


def test_directory(tmp_path: Path) -> None:
    err = load_error(tmp_path)
    assert err.file == str(tmp_path)
    assert "is a directory" in err.message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "a: 1\n")
    f.chmod(0)
    err = load_error(f)
    assert err.file == str(f)
    assert "permission denied" in err.message


def test_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_bytes(b"a: 1\nb: caf\xe9\n")
    err = load_error(f)
    assert (err.file, err.line) == (str(f), 2)
    assert err.message == "file is not valid UTF-8 text (byte 0xe9 at column 7)"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_bytes(b"\xef\xbb\xbfname: caf\xc3\xa9\n")
    assert load_yaml(f)[0] == {"name": "café"}


def test_control_character(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "a: 1\nb: x\x07\n")
    err = load_error(f)
    assert (err.file, err.line) == (str(f), 2)
    assert "unacceptable character #x0007" in err.message


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    f = tmp_path / "big.yaml"
    f.write_bytes(b"#" * (2 * 1024 * 1024 + 1))
    err = load_error(f)
    assert (err.file, err.line) == (str(f), None)
    assert err.message == "file is larger than 2 MB"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("a: 1\nb: c: d\n", 2, "mapping values are not allowed here, column 5"),
        ("a: 1\nb: [1, 2\nc: 3\n", 3, "expected ',' or ']', but got ':'"),
        ("a: 1\nb: *nope\n", 2, "found undefined alias 'nope'"),
    ],
)
def test_syntax_error_line(tmp_path: Path, text: str, line: int, problem: str) -> None:
    f = write(tmp_path / "s.yaml", text)
    err = load_error(f)
    assert (err.file, err.line) == (str(f), line)
    assert err.message.startswith("YAML syntax error: ")
    assert problem in err.message


def test_duplicate_anchor(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "a: &x 1\nb: &x 2\n")
    err = load_error(f)
    assert (err.file, err.line) == (str(f), 2)
    assert err.message == (
        "YAML error: found duplicate anchor 'x'; first occurrence at line 1, second occurrence here, column 4"
    )


def test_invalid_file_name(tmp_path: Path) -> None:
    err = load_error(tmp_path / "a\0b.yaml")
    assert err.message == "invalid file name (contains a NUL character)"


def test_duplicate_key(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "actors:\n  A:\n    x: 1\n    y: 2\n    x: 3\n")
    err = load_error(f)
    assert (err.file, err.line, err.field) == (str(f), 5, "actors.A")
    assert err.message == "duplicate key 'x' (first at line 3)"


def test_duplicate_key_in_flow_mapping(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "a: 1\nb: {x: 1,\n    x: 2}\n")
    err = load_error(f)
    assert (err.line, err.field) == (3, "b")
    assert err.message == "duplicate key 'x' (first at line 2)"


def test_unhashable_key(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "a:\n  b: 1\n  ? [x, y]\n  : 2\n")
    err = load_error(f)
    assert (err.file, err.line, err.field) == (str(f), 3, "a")
    assert err.message == "unhashable key: a list cannot be used as a mapping key"


def test_bad_merge_value(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "x: 1\ny:\n  <<: 3\n")
    err = load_error(f)
    assert (err.line, err.field) == (3, "y")
    assert err.message == "merge key '<<' needs a mapping or a list of mappings"


def test_billion_laughs_rejected(tmp_path: Path) -> None:
    names = "abcdefghi"
    lines = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for prev, name in pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    f = write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")
    err = load_error(f)
    # e is the first value that alone expands past the limit: 111,111 nodes.
    assert (err.file, err.line) == (str(f), 5)
    assert err.message == ("aliases expand to too many nodes: this value expands to 111,111 nodes (limit 100,000)")


def test_too_many_plain_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_NODES", 50)
    f = write(tmp_path / "s.yaml", "a: 1\nbig: [" + ", ".join(["0"] * 60) + "]\n")
    err = load_error(f)
    assert (err.file, err.line) == (str(f), 2)
    assert err.message == "document has too many values: 61 (limit 50)"


def test_recursive_alias(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "x: 1\nloop: &l [1, *l]\n")
    err = load_error(f)
    assert (err.file, err.line) == (str(f), 2)
    assert err.message == "recursive alias: an anchored value contains an alias to itself"


def test_deep_nesting(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "ok: 1\ndeep: " + "[" * 100 + "]" * 100 + "\n")
    err = load_error(f)
    assert (err.file, err.line) == (str(f), 2)
    assert err.message == "nesting is deeper than 64 levels"
    fine = write(tmp_path / "fine.yaml", "[" * 60 + "1" + "]" * 60)
    data, _ = load_yaml(fine)
    for _ in range(60):
        data = data[0]
    assert data == 1


def test_deep_nesting_through_aliases(tmp_path: Path) -> None:
    f = write(
        tmp_path / "s.yaml",
        "a: &a " + "[" * 40 + "1" + "]" * 40 + "\n" + "b: " + "[" * 40 + "*a" + "]" * 40,
    )
    err = load_error(f)
    assert (err.file, err.line) == (str(f), 2)
    assert err.message == "nesting is deeper than 64 levels once aliases are expanded"


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\n---\nb: 2\n", 2), ("---\na: 1\n--- \n", 3)],
)
def test_multiple_documents(tmp_path: Path, text: str, line: int) -> None:
    f = write(tmp_path / "s.yaml", text)
    err = load_error(f)
    assert (err.file, err.line) == (str(f), line)
    assert err.message.startswith("expected one YAML document, but found another")


@pytest.mark.parametrize(
    ("text", "line", "field", "tag"),
    [
        ("ok: 1\nrun: !!python/object/apply:os.system ['ls']\n", 2, "run", "!!python/object/apply:os.system"),
        ("ok: 1\nx: !!python/object:os.sep {}\n", 2, "x", "!!python/object:os.sep"),
        ("list:\n  - 1\n  - !custom 2\n", 3, "list[1]", "!custom"),
        ("s: !!set {a, b}\n", 1, "s", "!!set"),
    ],
)
def test_custom_tags_rejected(tmp_path: Path, text: str, line: int, field: str, tag: str) -> None:
    f = write(tmp_path / "s.yaml", text)
    err = load_error(f)
    assert (err.file, err.line, err.field) == (str(f), line, field)
    assert err.message.startswith(f"unsupported YAML tag '{tag}'")


def test_bad_explicit_scalar(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "n: !!int twelve\n")
    err = load_error(f)
    assert (err.line, err.field) == (1, "n")
    assert err.message == "cannot read 'twelve' as !!int"


# --------------------------------------------------------------------------
# load_with_extends


def make_chain(tmp_path: Path) -> tuple[Path, Path, Path]:
    base = write(
        tmp_path / "lib" / "base.yaml",
        "name: base\n"  # 1
        "steps: 10\n"  # 2
        "actors:\n"  # 3
        "  NATO:\n"  # 4
        "    state: {alignment: 0.9}\n"  # 5
        "  Belarus:\n"  # 6
        "    state:\n"  # 7
        "      alignment: 0.1\n"  # 8
        "      stability: 0.5\n"  # 9
        "events:\n"  # 10
        "  - {step: 1}\n"  # 11
        "  - {step: 2}\n",  # 12
    )
    mid = write(
        tmp_path / "lib" / "mid.yaml",
        "extends: base.yaml\n"  # 1
        "name: mid\n"  # 2
        "actors:\n"  # 3
        "  Belarus:\n"  # 4
        "    state:\n"  # 5
        "      alignment: 0.2\n",  # 6
    )
    top = write(
        tmp_path / "scenarios" / "sub" / "top.yaml",
        "# a scenario\n"  # 1
        "extends: ../../lib/mid.yaml\n"  # 2
        "steps: 20\n"  # 3
        "actors:\n"  # 4
        "  NATO: null\n"  # 5
        "  Belarus:\n"  # 6
        "    state:\n"  # 7
        "      stability: 0.7\n"  # 8
        "events:\n"  # 9
        "  - {step: 5}\n"  # 10
        "new: {a: 1, gone: null}\n",  # 11
    )
    return base, mid, top


def test_extends_chain_merges(tmp_path: Path) -> None:
    _, _, top = make_chain(tmp_path)
    data, _ = load_with_extends(top)
    assert data == {
        "name": "mid",
        "steps": 20,
        "actors": {"Belarus": {"state": {"alignment": 0.2, "stability": 0.7}}},
        "events": [{"step": 5}],
        "new": {"a": 1},
    }
    assert list(data) == ["name", "steps", "actors", "events", "new"]


def test_extends_source_map_points_at_last_writer(tmp_path: Path) -> None:
    _, mid, top = make_chain(tmp_path)
    _, source = load_with_extends(top)
    mid_name = str(top.parent / "../../lib/mid.yaml")
    assert os.path.samefile(mid_name, mid)
    top_name = str(top)
    assert source.root_file == top_name
    assert source.locate(("name",)) == (mid_name, 2)
    assert source.locate(("steps",)) == (top_name, 3)
    assert source.locate(("actors",)) == (top_name, 4)
    assert source.locate(("actors", "Belarus", "state")) == (top_name, 7)
    assert source.locate(("actors", "Belarus", "state", "alignment")) == (mid_name, 6)
    assert source.locate(("actors", "Belarus", "state", "stability")) == (top_name, 8)
    assert source.locate(("events", 0, "step")) == (top_name, 10)
    # Deleted or replaced parent paths fall back to the child's enclosing key.
    assert source.locate(("actors", "NATO", "state")) == (top_name, 4)
    assert source.locate(("events", 1, "step")) == (top_name, 9)
    assert source.locate(("extends",)) == (top_name, None)


def test_extends_parent_only_values_keep_parent_lines(tmp_path: Path) -> None:
    base = write(tmp_path / "base.yaml", "a:\n  b: 1\n  c: [x, y]\nd: 4\n")
    child = write(tmp_path / "child.yaml", "extends: base.yaml\nd: 5\n")
    data, source = load_with_extends(child)
    assert data == {"a": {"b": 1, "c": ["x", "y"]}, "d": 5}
    assert source.locate(("a", "c", 1)) == (str(base), 3)
    assert source.locate(("d",)) == (str(child), 2)


def test_file_without_extends_keeps_nulls(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "a: null\nb: [null]\n")
    data, source = load_with_extends(f)
    assert data == {"a": None, "b": [None]}
    assert source.locate(("b", 0)) == (str(f), 2)


def test_extends_empty_file(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "\n# nothing\n")
    err = extends_error(f)
    assert (err.file, err.line) == (str(f), None)
    assert err.message.startswith("empty file")


def test_extends_top_level_must_be_mapping(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "# list\n- a\n- b\n")
    err = extends_error(f)
    assert (err.file, err.line) == (str(f), 2)
    assert err.message == "top level must be a mapping of settings, not a list"


def test_extends_missing_target(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "name: x\nextends: nope.yaml\n")
    err = extends_error(f)
    assert (err.file, err.line, err.field) == (str(f), 2, "extends")
    assert err.message == (f"extended file 'nope.yaml' does not exist (looked for {tmp_path / 'nope.yaml'})")


@pytest.mark.parametrize("value", ["[a.yaml]", "3", "''", "null"])
def test_extends_not_a_string(tmp_path: Path, value: str) -> None:
    f = write(tmp_path / "s.yaml", f"extends: {value}\n")
    err = extends_error(f)
    assert (err.file, err.line, err.field) == (str(f), 1, "extends")
    assert err.message.startswith("must be the path of another YAML file, not ")


def test_extends_cycle(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", "extends: b.yaml\nx: 1\n")
    b = write(tmp_path / "b.yaml", "y: 2\nextends: a.yaml\n")
    err = extends_error(a)
    assert (err.file, err.line, err.field) == (str(b), 2, "extends")
    assert err.message == f"circular extends: {a} -> {b} -> {a}"


def test_extends_self(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", "extends: ./a.yaml\n")
    err = extends_error(a)
    assert (err.file, err.line, err.field) == (str(a), 1, "extends")
    assert err.message == f"circular extends: {a} -> {tmp_path / 'a.yaml'}"


def test_extends_too_deep(tmp_path: Path) -> None:
    for i in range(4):
        write(tmp_path / f"f{i}.yaml", f"extends: f{i + 1}.yaml\nlevel{i}: {i}\n")
    write(tmp_path / "f4.yaml", "level4: 4\n")
    data, _ = load_with_extends(tmp_path / "f0.yaml", max_depth=4)
    assert data == {f"level{i}": i for i in (4, 3, 2, 1, 0)}
    err = extends_error(tmp_path / "f0.yaml", max_depth=3)
    assert (err.file, err.line, err.field) == (str(tmp_path / "f3.yaml"), 1, "extends")
    assert err.message == "extends chain is longer than 3 files"


def test_extends_error_in_parent_names_parent(tmp_path: Path) -> None:
    write(tmp_path / "child.yaml", "extends: base.yaml\n")
    base = write(tmp_path / "base.yaml", "a: 1\na: 2\n")
    err = extends_error(tmp_path / "child.yaml")
    assert (err.file, err.line) == (str(base), 2)
    assert err.message == "duplicate key 'a' (first at line 1)"


# --------------------------------------------------------------------------
# Paths


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("actors", "Belarus", "state", "alignment"), "actors.Belarus.state.alignment"),
        (("events", 2, "step"), "events[2].step"),
        ((0, "a"), "[0].a"),
        (("m", 1, 2), "m[1][2]"),
        (("actors", "New Zealand"), "actors.New Zealand"),
        (("a", "b.c", ""), 'a["b.c"][""]'),
        (("a", "2"), "a.2"),
    ],
)
def test_format_and_parse_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text
    assert parse_path(text) == path


@given(st.lists(st.one_of(st.text(max_size=8), st.integers()), min_size=1, max_size=6))
def test_path_round_trip(parts: list[str | int]) -> None:
    assert parse_path(format_path(parts)) == tuple(parts)


@pytest.mark.parametrize(
    "text",
    ["", ".a", "a.", "a..b", "a[0", "a]0", "a[x]", "a[]", "a[0]b", 'a["x]', "a.[0]", 'a"b'],
)
def test_parse_path_rejects_malformed(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_path(text)
    assert info.value.field == text
    assert info.value.message.startswith("malformed field path: ")


# --------------------------------------------------------------------------
# parse_scalar


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.3", 0.3),
        ("7", 7),
        ("true", True),
        ("null", None),
        ("", None),
        ("[1,2]", [1, 2]),
        ("{a: 1}", {"a": 1}),
        ("abc", "abc"),
        ("'42'", "42"),
        ("hello world", "hello world"),
    ],
)
def test_parse_scalar(text: str, value: object) -> None:
    assert parse_scalar(text) == value
    assert type(parse_scalar(text)) is type(value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[1, 2", "YAML syntax error"),
        ("{a: 1", "YAML syntax error"),
        ("!!python/name:os.system", "unsupported YAML tag '!!python/name:os.system'"),
        ("a\n---\nb", "expected one YAML document"),
    ],
)
def test_parse_scalar_errors(text: str, problem: str) -> None:
    with pytest.raises(InputError) as info:
        parse_scalar(text)
    assert info.value.message.startswith(f"cannot parse value {text!r}: ")
    assert problem in info.value.message
    assert (info.value.file, info.value.line) == (None, None)


# --------------------------------------------------------------------------
# set_path


def sample() -> dict:
    return {
        "actors": {"Belarus": {"state": {"alignment": 0.1}}},
        "events": [{"step": 1}, {"step": 2}],
        "empty": None,
    }


def test_set_path_existing_and_new(tmp_path: Path) -> None:
    data = sample()
    source = SourceMap(root_file="s.yaml")
    source.set(("actors",), "s.yaml", 1)
    source.set(("actors", "Belarus"), "s.yaml", 2)
    source.set(("actors", "Belarus", "state"), "s.yaml", 3)
    source.set(("actors", "Belarus", "state", "alignment"), "s.yaml", 4)
    set_path(data, ("actors", "Belarus", "state", "alignment"), 0.3, source=source)
    set_path(data, ("actors", "Poland", "state", "alignment"), 0.5, source=source)
    set_path(data, ("events", 1, "step"), 9, source=source, origin="override.yaml")
    set_path(data, ("empty", "x"), 1)
    assert data == {
        "actors": {
            "Belarus": {"state": {"alignment": 0.3}},
            "Poland": {"state": {"alignment": 0.5}},
        },
        "events": [{"step": 1}, {"step": 9}],
        "empty": {"x": 1},
    }
    assert source.locate(("actors", "Belarus", "state", "alignment")) == ("--set", None)
    assert source.locate(("actors", "Belarus", "state")) == ("s.yaml", 3)
    assert source.locate(("actors", "Poland")) == ("--set", None)
    assert source.locate(("events", 1, "step")) == ("override.yaml", None)


def test_set_path_replacing_subtree_forgets_old_lines(tmp_path: Path) -> None:
    f = write(tmp_path / "s.yaml", "actors:\n  A:\n    x: 1\n    y: 2\n")
    data, source = load_yaml(f)
    set_path(data, ("actors", "A"), {"z": 3}, source=source)
    assert data == {"actors": {"A": {"z": 3}}}
    assert source.locate(("actors", "A", "x")) == ("--set", None)
    assert source.locate(("actors",)) == (str(f), 1)


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        (("events", 2, "step"), "events[2].step", "list index 2 does not exist: events has 2 item(s)"),
        (("events", -1), "events[-1]", "list index -1 does not exist: events has 2 item(s)"),
        (("events", "0", "step"), "events.0.step", "events is a list; '0' is not a list index (write [0])"),
        (
            ("actors", "Belarus", "state", "alignment", "x"),
            "actors.Belarus.state.alignment.x",
            "cannot set actors.Belarus.state.alignment.x: "
            "actors.Belarus.state.alignment is a number, not a mapping or list",
        ),
        ((), "", "cannot set an empty field path"),
    ],
)
def test_set_path_errors(path: tuple, field: str, message: str) -> None:
    data = sample()
    with pytest.raises(InputError) as info:
        set_path(data, path, 1)
    assert (info.value.field or "", info.value.message) == (field, message)
    assert data == sample()


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@given(json_like, st.booleans())
def test_matches_safe_load(tmp_path_factory: pytest.TempPathFactory, value: object, flow: bool) -> None:
    text = yaml.safe_dump({"v": value}, default_flow_style=flow, allow_unicode=True)
    f = tmp_path_factory.mktemp("diff") / "s.yaml"
    f.write_text(text, encoding="utf-8")
    assert load_yaml(f)[0] == yaml.safe_load(text)
