"""Tests for the safe trigger expression language (hedgesim.expr)."""

from __future__ import annotations

import math
import operator
import pickle
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hedgesim.core.expr import MAX_TEXT_LENGTH, Expr, compile_expr
from hedgesim.errors import ExprError, InputError

WHERE = {"file": "scenario.yaml", "line": 12, "field": "events[0].when"}


def ev(text: str, **env: Any) -> np.ndarray:
    """Compile and evaluate with keyword-argument names as the environment."""
    return compile_expr(text).evaluate(env)


def rejected(text: str, known: list[str] | None = None, **kw: Any) -> ExprError:
    """Assert that ``text`` is refused with location info passed through."""
    with pytest.raises(ExprError) as info:
        compile_expr(text, known, **WHERE, **kw)
    err = info.value
    assert isinstance(err, InputError)
    assert (err.file, err.line, err.field) == (
        "scenario.yaml",
        12,
        "events[0].when",
    )
    assert str(err).startswith("scenario.yaml:12: events[0].when: ")
    return err


# ---------------------------------------------------------------------------
# Basic evaluation
# ---------------------------------------------------------------------------


def test_spec_example_vectorised() -> None:
    expr = compile_expr(
        "hedger.alignment > 0.2 and Russia.grievance >= 0.5",
        ["hedger.alignment", "Russia.grievance", "tension"],
        boolean=True,
    )
    assert isinstance(expr, Expr)
    assert expr.names == frozenset({"hedger.alignment", "Russia.grievance"})
    assert expr.is_boolean
    out = expr.evaluate(
        {
            "hedger.alignment": np.array([0.1, 0.3, 0.5, 0.9]),
            "Russia.grievance": np.array([0.9, 0.5, 0.4, 0.7]),
        }
    )
    assert out.dtype == np.bool_
    np.testing.assert_array_equal(out, [False, True, False, True])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 + 3 * 4 ** 2", 50.0),
        ("-2 ** 2", -4.0),
        ("2 ** 3 ** 2", 512.0),
        ("2 ** -1", 0.5),
        ("10 / 4 / 5", 0.5),
        ("10 - 4 - 3", 3.0),
        ("(10 - 4) * -(1 + 1)", -12.0),
        ("+-+3", -3.0),
        ("7 / 2", 3.5),
        ("True + True + 1", 3.0),
        ("(1 < 2) * 5", 5.0),
        ("1e3 * .5", 500.0),
    ],
)
def test_arithmetic_values(text: str, expected: float) -> None:
    out = ev(text)
    assert out.dtype == np.float64
    assert out.shape == ()
    assert out == expected


def test_float_edge_cases_give_ieee_results_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ev("10 ** 400") == np.inf
        assert ev("1 / 0") == np.inf
        assert ev("-1 / 0") == -np.inf
        assert np.isnan(ev("0 / 0"))
        assert np.isnan(ev("sqrt(-1)"))
        assert ev("log(0)") == -np.inf
        assert ev("exp(1000)") == np.inf
        assert np.isnan(ev("(-8) ** (1 / 3)"))
        out = ev("x / y", x=np.array([1.0, 0.0, -1.0]), y=np.zeros(3))
    assert out[0] == np.inf and np.isnan(out[1]) and out[2] == -np.inf


def test_names_and_bare_names() -> None:
    expr = compile_expr("hedger.alignment * tension + max(step, tension)")
    assert expr.names == frozenset({"hedger.alignment", "tension", "step"})
    assert not expr.is_boolean
    out = expr.evaluate({"hedger.alignment": np.array([1.0, 2.0]), "tension": 3.0, "step": 4})
    np.testing.assert_array_equal(out, [7.0, 10.0])


@pytest.mark.parametrize(
    ("text", "is_boolean"),
    [
        ("x > 1", True),
        ("not x", True),
        ("x and y", True),
        ("x or y > 1", True),
        ("True", True),
        ("False", True),
        ("0 < x < 1", True),
        ("x", False),
        ("1", False),
        ("x + 1", False),
        ("min(x, 1)", False),
        ("(x > 1) + 0", False),
        ("-(x > 1)", False),
    ],
)
def test_is_boolean(text: str, is_boolean: bool) -> None:
    expr = compile_expr(text)
    assert expr.is_boolean is is_boolean
    out = expr.evaluate({"x": np.array([0.5, 2.0]), "y": np.array([0.0, 3.0])})
    assert out.dtype == (np.bool_ if is_boolean else np.float64)
    assert out.shape == (2,)


def test_result_broadcasts_to_replicate_shape() -> None:
    env = {"step": 12, "hedger.alignment": np.zeros(5)}
    out = compile_expr("step >= 10").evaluate(env)
    assert out.shape == (5,) and out.dtype == np.bool_ and out.all()
    out = compile_expr("1 + 2").evaluate(env)
    np.testing.assert_array_equal(out, np.full(5, 3.0))
    out = compile_expr("True").evaluate(env)
    np.testing.assert_array_equal(out, np.ones(5, dtype=bool))
    scalar = compile_expr("step * 2").evaluate({"step": 3})
    assert scalar.shape == () and scalar == 6.0
    assert compile_expr("2 > 1").evaluate({}).shape == ()


def test_result_is_fresh_array_not_a_view_of_env() -> None:
    x = np.array([1.0, 2.0, 3.0])
    out = compile_expr("x").evaluate({"x": x})
    out[0] = 99.0
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    out = compile_expr("x").evaluate({"x": x, "y": np.zeros(3)})
    assert not np.shares_memory(out, x)


def test_int_and_bool_env_values_become_float() -> None:
    out = compile_expr("a + b").evaluate({"a": np.array([1, 2], dtype=np.int64), "b": np.array([True, False])})
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [2.0, 2.0])


def test_missing_name_raises_key_error() -> None:
    with pytest.raises(KeyError):
        compile_expr("x + y").evaluate({"x": 1.0})


def test_whitespace_and_newlines_are_tolerated() -> None:
    assert ev("   1 + 2  ") == 3.0
    assert ev("x >\n  1", x=2.0)
    assert ev("(x +\r\n 1)", x=2.0) == 3.0


def test_pickle_roundtrip() -> None:
    expr = compile_expr("a.x > 0.5 and b < 2", boolean=True)
    clone = pickle.loads(pickle.dumps(expr))
    assert clone == expr
    env = {"a.x": np.array([0.1, 0.9]), "b": np.array([1.0, 1.0])}
    np.testing.assert_array_equal(clone.evaluate(env), [False, True])


# ---------------------------------------------------------------------------
# Comparisons and logic
# ---------------------------------------------------------------------------


def test_chained_comparison() -> None:
    x = np.array([-0.5, 0.0, 0.5, 1.0, 1.5])
    np.testing.assert_array_equal(ev("0 < x < 1", x=x), [0, 0, 1, 0, 0])
    np.testing.assert_array_equal(ev("0 <= x <= 1", x=x), [0, 1, 1, 1, 0])
    np.testing.assert_array_equal(ev("1 > x != 0 > -1", x=x), [1, 0, 1, 0, 0])
    assert ev("1 < 2 == 2")
    assert not ev("1 < 2 == 3")
    assert not ev("3 < 1 < 2")


class CountingEnv(Mapping[str, Any]):
    """Records how often each name is looked up."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.hits: dict[str, int] = {}

    def __getitem__(self, key: str) -> Any:
        self.hits[key] = self.hits.get(key, 0) + 1
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def values(self) -> Any:
        """Uncounted, so only the expression's own lookups are recorded."""
        return self.data.values()


def test_chained_comparison_evaluates_middle_operand_once() -> None:
    env = CountingEnv({"x": np.array([0.5, 2.0])})
    out = compile_expr("0 < x < 1").evaluate(env)
    np.testing.assert_array_equal(out, [True, False])
    assert env.hits == {"x": 1}


def test_and_or_not_are_elementwise_and_do_not_short_circuit() -> None:
    x = np.array([0.0, 1.0, 0.0, 1.0])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(ev("x > 0 and y > 0", x=x, y=y), [0, 0, 0, 1])
    np.testing.assert_array_equal(ev("x > 0 or y > 0", x=x, y=y), [0, 1, 1, 1])
    np.testing.assert_array_equal(ev("not x > 0", x=x), [1, 0, 1, 0])
    np.testing.assert_array_equal(ev("not x > 0 and y > 0", x=x, y=y), [0, 0, 1, 0])  # (not x>0) and y>0
    np.testing.assert_array_equal(ev("x > 0 or y > 0 and False", x=x, y=y), [0, 1, 0, 1])  # and binds tighter than or
    # Both sides are always evaluated, so every name is looked up.
    env = CountingEnv({"x": np.zeros(2), "y": np.ones(2)})
    compile_expr("x > 1 and y > 0 or True").evaluate(env)
    assert env.hits == {"x": 1, "y": 1}


def test_numeric_operands_of_logic_use_truthiness() -> None:
    x = np.array([0.0, 2.0, 0.0, -1.0])
    y = np.array([0.0, 0.0, 3.0, 1.0])
    np.testing.assert_array_equal(ev("x and y", x=x, y=y), [0, 0, 0, 1])
    np.testing.assert_array_equal(ev("x or y", x=x, y=y), [0, 1, 1, 1])
    np.testing.assert_array_equal(ev("not x", x=x), [1, 0, 1, 0])


def test_bool_compared_with_numbers() -> None:
    x = np.array([0.0, 2.0])
    np.testing.assert_array_equal(ev("(x > 1) == 1", x=x), [False, True])
    np.testing.assert_array_equal(ev("(x > 1) < 0.5", x=x), [True, False])
    np.testing.assert_array_equal(ev("(x > 1) + (x > -1)", x=x), [1.0, 2.0])
    assert ev("True == 1") and ev("False < 1")


# ---------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------


def test_functions() -> None:
    x = np.array([-2.0, 0.25, 3.0])
    np.testing.assert_array_equal(ev("abs(x)", x=x), [2.0, 0.25, 3.0])
    np.testing.assert_array_equal(ev("clip(x, 0, 1)", x=x), [0.0, 0.25, 1.0])
    np.testing.assert_array_equal(
        ev("clip(x, lo, hi)", x=x, lo=np.array([-3.0, 0.5, 0.0]), hi=2.0),
        [-2.0, 0.5, 2.0],
    )
    np.testing.assert_array_equal(ev("min(x, 1)", x=x), [-2.0, 0.25, 1.0])
    np.testing.assert_array_equal(ev("max(x, 0, 0.5)", x=x), [0.5, 0.5, 3.0])
    np.testing.assert_array_equal(ev("min(3, x, 1, 2)", x=x), [-2.0, 0.25, 1.0])
    np.testing.assert_array_equal(ev("sqrt(abs(x))", x=x), [math.sqrt(2), 0.5, math.sqrt(3)])
    np.testing.assert_allclose(ev("exp(x)", x=x), [math.exp(-2), math.exp(0.25), math.exp(3)])
    np.testing.assert_allclose(ev("log(abs(x))", x=x), [math.log(2), math.log(0.25), math.log(3)])
    # Crossed bounds give hi, like min(max(x, lo), hi).
    assert ev("clip(5, 2, 1)") == 1.0
    assert ev("clip(0, 2, 1)") == 1.0
    assert ev("sqrt(16)") == 4.0
    assert ev("exp(0)") == 1.0
    assert ev("log(1)") == 0.0
    assert ev("abs(-3) + clip(5, 0, 1) + min(4, 2) + max(4, 2)") == 3 + 1 + 2 + 4


def test_min_max_propagate_nan() -> None:
    x = np.array([np.nan, 1.0])
    out = ev("min(x, 0)", x=x)
    assert np.isnan(out[0]) and out[1] == 0.0
    out = ev("max(0, x)", x=x)
    assert np.isnan(out[0]) and out[1] == 1.0


def test_functions_of_booleans_count_true_as_one() -> None:
    x = np.array([0.0, 2.0])
    np.testing.assert_array_equal(ev("max(x > 1, 0.5)", x=x), [0.5, 1.0])
    np.testing.assert_array_equal(ev("abs(-(x > 1))", x=x), [0.0, 1.0])


def test_function_names_are_not_variables() -> None:
    expr = compile_expr("max(a.x, min(b, 1))")
    assert expr.names == frozenset({"a.x", "b"})


# ---------------------------------------------------------------------------
# Rejections
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os')", "function '__import__' is not allowed"),
        ("__import__('os').system('ls')", "only plain function names"),
        ("a.b.c", "attribute access is only allowed as actor.variable"),
        ("(1).real", "attribute access is only allowed as actor.variable"),
        ("min(1, 2).real", "attribute access is only allowed as actor.variable"),
        ("a.__class__", "'__'"),
        ("__builtins__", "'__'"),
        ("__x.y", "'__'"),
        ("x[0]", "subscripts"),
        ("a.b[0:1]", "subscripts"),
        ('"s"', "strings are not allowed"),
        ("'s' > 1", "strings are not allowed"),
        ("b'x'", "strings are not allowed"),
        ('f"{x}"', "strings are not allowed"),
        ("lambda: 1", "lambda"),
        ("(x for x in y)", "generator"),
        ("[x for x in y]", "comprehension"),
        ("{x: 1 for x in y}", "comprehension"),
        ("[1, 2]", "lists"),
        ("(1, 2)", "tuples"),
        ("{1}", "sets"),
        ("{1: 2}", "dicts"),
        ("(x := 1)", "assignment"),
        ("x if y else z", "conditional expressions"),
        ("open(1)", "(allowed: abs, clip, exp, log, max, min, sqrt)"),
        ("open(1)", "function 'open' is not allowed at column 1"),
        ("eval('1')", "function 'eval' is not allowed"),
        ("a.b(1)", "only plain function names can be called"),
        ("min(1)", "function 'min' takes at least 2 arguments, got 1"),
        ("max()", "function 'max' takes at least 2 arguments, got 0"),
        ("abs()", "function 'abs' takes 1 argument, got 0"),
        ("sqrt(1, 2)", "function 'sqrt' takes 1 argument, got 2"),
        ("clip(1, 2)", "function 'clip' takes 3 arguments, got 2"),
        ("clip(x, lo=0, hi=1)", "keyword arguments"),
        ("min(*x)", "starred"),
        ("min(x, *y)", "starred"),
        ("max", "function 'max' must be called"),
        ("x // 2", "operator '//' is not allowed"),
        ("x % 2", "operator '%' is not allowed"),
        ("x @ y", "operator '@' is not allowed"),
        ("x | y", "operator '|' is not allowed"),
        ("x << 1", "operator '<<' is not allowed"),
        ("~x", "operator '~' is not allowed"),
        ("x is None", "comparison 'is' is not allowed"),
        ("x in y", "comparison 'in' is not allowed"),
        ("x not in y", "comparison 'not in' is not allowed"),
        ("None", "constant None"),
        ("...", "constant Ellipsis"),
        ("1j", "constant 1j"),
        ("1" + "0" * 400, "number is too large"),
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("x > > 1", "syntax error at column 5"),
        ("x = 1", "syntax error"),
        ("import os", "syntax error"),
        ("x >", "syntax error"),
        ("(", "syntax error"),
        ("a\x00b", "syntax error"),
    ],
)
def test_rejections(text: str, fragment: str) -> None:
    err = rejected(text)
    assert fragment in err.message


def test_rejection_reports_column() -> None:
    err = rejected("x > 0.2 and y.zz > 1", ["x", "y.z"])
    assert "unknown name 'y.zz' at column 13" in err.message
    err = rejected("1 + open(2)")
    assert "at column 5" in err.message
    err = rejected("  a.b.c")
    assert "at column 3" in err.message
    # Columns count characters, not UTF-8 bytes.
    err = rejected("é + x[0]")
    assert "at column 5" in err.message
    err = rejected("(x +\n y[0])")
    assert "at column 7" in err.message


def test_unknown_name_suggests_closest_matches() -> None:
    known = ["hedger.alignment", "hedger.resolve", "Russia.grievance", "tension"]
    err = rejected("hedger.alignmnt > 0.2", known)
    assert err.message.startswith("unknown name 'hedger.alignmnt' at column 1 in 'hedger.alignmnt > 0.2'")
    assert "did you mean 'hedger.alignment'" in err.message
    err = rejected("tensoin > 1", known)
    assert "did you mean 'tension'" in err.message


def test_unknown_name_without_close_match_lists_known() -> None:
    err = rejected("zzz > 1", ["alpha", "beta"])
    assert "unknown name 'zzz'" in err.message
    assert "known: alpha, beta" in err.message
    err = rejected("zzz > 1", [])
    assert "no names are available" in err.message


def test_known_names_accept_listed_names() -> None:
    expr = compile_expr("a.x + b", {"a.x", "b", "c"})
    assert expr.names == frozenset({"a.x", "b"})
    rejected("a.x + c.y", ["a.x", "b"])


def test_boolean_required() -> None:
    err = rejected("hedger.alignment + 0.2", boolean=True)
    assert err.message.startswith("expected a condition such as 'x > 0.2', got an arithmetic expression")
    for text in ["x", "1", "min(x, 1)", "(x > 1) * 1"]:
        rejected(text, boolean=True)
    for text in ["x > 1", "not x", "True", "x > 1 or y"]:
        assert compile_expr(text, boolean=True).is_boolean


def test_text_too_long() -> None:
    text = " + ".join(["x"] * 400)
    assert len(text) > MAX_TEXT_LENGTH
    err = rejected(text)
    assert f"at most {MAX_TEXT_LENGTH}" in err.message
    assert text not in err.message  # the message stays short


@pytest.mark.parametrize(
    "text",
    [
        "(" * 499 + "1" + ")" * 499,
        "(" * 500,
        "-" * 999 + "1",
        "+-" * 499 + "1",
        "not " * 249 + "x",
        "a." * 499 + "b",
        "min(" * 120 + "1" + ", 1)" * 120,
        "1" + "+1" * 499,
        "1" + "**1" * 333,
        "x" + "<x" * 499,
        "[" * 500,
        "min(" + ", ".join(["1"] * 300) + ")",
    ],
)
def test_hostile_expressions_are_refused_cleanly(text: str) -> None:
    assert len(text) <= MAX_TEXT_LENGTH
    rejected(text)


def test_too_deep_and_too_large_messages() -> None:
    assert "nested too deeply" in rejected("-" * 300 + "1").message
    assert "too large" in rejected("min(" + ",".join(["1"] * 300) + ")").message


def test_moderately_sized_expression_is_fine() -> None:
    text = " and ".join(f"a{i}.x > {i / 10}" for i in range(30))
    assert len(text) <= MAX_TEXT_LENGTH
    expr = compile_expr(text, boolean=True)
    env = {f"a{i}.x": np.array([i / 10 + 0.05, i / 10]) for i in range(30)}
    np.testing.assert_array_equal(expr.evaluate(env), [True, False])


# ---------------------------------------------------------------------------
# Property tests: parsing matches a direct evaluation of the same tree
# ---------------------------------------------------------------------------

# Trees are tuples: ("num", v) | ("var", name) | ("bool", b) | ("bin", op, l, r)
# | ("neg", e) | ("pos", e) | ("call", f, args) | ("cmp", [ops], [operands])
# | ("and", l, r) | ("or", l, r) | ("not", e) | ("b2n", booltree)

VARS = ["a.x", "a.y", "b", "tension"]
_BIN = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_CMP = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
# Python's precedence levels, used to insert only the parentheses Python needs.
PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6}
PREC.update({"neg": 7, "pos": 7, "**": 8, "atom": 9})


def _nan_guard(fn: Any) -> Any:
    """Reference min/max that propagate NaN like the language documents."""

    def wrapped(*xs: Any) -> Any:
        if any(math.isnan(x) for x in xs):
            return np.float64(np.nan)
        return np.float64(fn(xs))

    return wrapped


_ref_min, _ref_max = _nan_guard(min), _nan_guard(max)
REF_FUNCS: dict[str, Any] = {
    "abs": abs,
    "min": _ref_min,
    "max": _ref_max,
    "clip": lambda x, lo, hi: _ref_min(_ref_max(x, lo), hi),
    # Transcendentals go through numpy's own routines on scalars: these may
    # differ from libm in the last bit, and the tree structure is what is tested.
    "sqrt": np.sqrt,
    "exp": np.exp,
    "log": np.log,
}
ARITY = {"abs": 1, "sqrt": 1, "exp": 1, "log": 1, "clip": 3}

# Mostly small values, so that a wrongly grouped tree gives a different finite
# number rather than inf/nan on both sides; extremes still appear now and then.
numbers = st.one_of(
    st.integers(0, 9),
    st.floats(0, 10, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.5, 1e-300, 1e300, 2.0]),
)
# Hand-rolled strategies with explicit weights: st.recursive skews heavily
# towards unary chains, which leaves binary-operator grouping barely tested.
NUM_KINDS = ["bin"] * 6 + ["neg", "pos", "call", "call"]
BOOL_KINDS = ["cmp"] * 3 + ["and", "or", "not", "b2n", "bool"]


@st.composite
def num_trees(draw: st.DrawFn, depth: int = 4) -> tuple:
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        if draw(st.booleans()):
            return ("var", draw(st.sampled_from(VARS)))
        return ("num", draw(numbers))
    kind = draw(st.sampled_from(NUM_KINDS))
    if kind == "bin":
        op = draw(st.sampled_from(["+", "-", "*", "/", "**"]))
        return ("bin", op, draw(num_trees(depth - 1)), draw(num_trees(depth - 1)))
    if kind == "call":
        name = draw(st.sampled_from(sorted(REF_FUNCS)))
        count = ARITY.get(name) or draw(st.integers(2, 3))
        return ("call", name, [draw(num_trees(depth - 1)) for _ in range(count)])
    return (kind, draw(num_trees(depth - 1)))


@st.composite
def bool_trees(draw: st.DrawFn, depth: int = 3) -> tuple:
    kind = "cmp" if depth == 0 else draw(st.sampled_from(BOOL_KINDS))
    if kind == "cmp":
        n = draw(st.integers(1, 3))
        ops = draw(st.lists(st.sampled_from(sorted(_CMP)), min_size=n, max_size=n))
        return ("cmp", ops, [draw(num_trees(2)) for _ in range(n + 1)])
    if kind in ("and", "or"):
        return (kind, draw(bool_trees(depth - 1)), draw(bool_trees(depth - 1)))
    if kind == "not":
        return ("not", draw(bool_trees(depth - 1)))
    if kind == "b2n":  # a condition used as a number inside a comparison
        op = draw(st.sampled_from(sorted(_CMP)))
        return ("cmp", [op], [("b2n", draw(bool_trees(depth - 1))), draw(num_trees(2))])
    return ("bool", draw(st.booleans()))


any_trees = st.one_of(num_trees(), bool_trees())


def size(tree: tuple) -> int:
    """Roughly the number of AST nodes the rendered tree parses to."""
    if tree[0] in ("num", "var", "bool"):
        return 2
    total = 1
    for part in tree[1:]:
        items = part if isinstance(part, list) else [part]
        total += sum(size(c) for c in items if isinstance(c, tuple))
    return total


# Keep generated trees well inside the compiler's node limit.
small_trees = any_trees.filter(lambda t: size(t) <= 150)


def prec(tree: tuple) -> int:
    kind = tree[0]
    if kind in ("num", "var", "bool", "call", "b2n"):
        return PREC["atom"]
    if kind == "bin":
        return PREC[tree[1]]
    return PREC[kind]


def render(tree: tuple) -> str:
    """Write a tree as Python source with only the parentheses Python needs."""

    def wrap(sub: tuple, needs: bool) -> str:
        text = render(sub)
        return f"({text})" if needs else text

    kind = tree[0]
    if kind == "num":
        return repr(tree[1])
    if kind == "var":
        return tree[1]
    if kind == "bool":
        return "True" if tree[1] else "False"
    if kind == "b2n":
        return f"({render(tree[1])})"
    if kind == "bin":
        op, left, right = tree[1:]
        p = PREC[op]
        if op == "**":  # right-associative; the right operand may be unary
            return f"{wrap(left, prec(left) <= p)} ** {wrap(right, prec(right) < 7)}"
        return f"{wrap(left, prec(left) < p)} {op} {wrap(right, prec(right) <= p)}"
    if kind in ("neg", "pos"):
        sign = "-" if kind == "neg" else "+"
        return sign + wrap(tree[1], prec(tree[1]) < 7)
    if kind == "call":
        return f"{tree[1]}({', '.join(render(a) for a in tree[2])})"
    if kind == "cmp":
        ops, operands = tree[1], tree[2]
        parts = [wrap(operands[0], prec(operands[0]) <= 4)]
        for op, sub in zip(ops, operands[1:], strict=True):
            parts.append(f"{op} {wrap(sub, prec(sub) <= 4)}")
        return " ".join(parts)
    if kind in ("and", "or"):
        p = PREC[kind]
        return f"{wrap(tree[1], prec(tree[1]) < p)} {kind} {wrap(tree[2], prec(tree[2]) <= p)}"
    if kind == "not":
        return "not " + wrap(tree[1], prec(tree[1]) < 3)
    raise AssertionError(kind)


def reference(tree: tuple, env: dict[str, float]) -> Any:
    """Evaluate the tree directly on float64 scalars, with no parsing involved."""
    kind = tree[0]
    if kind == "num":
        return np.float64(tree[1])
    if kind == "var":
        return np.float64(env[tree[1]])
    if kind == "bool":
        return tree[1]
    if kind == "b2n":
        return np.float64(bool(reference(tree[1], env)))
    if kind == "bin":
        op, left, right = tree[1:]
        a, b = reference(left, env), reference(right, env)
        # ** uses numpy's power routine for the same reason as exp/log above.
        return np.power(a, b) if op == "**" else _BIN[op](a, b)
    if kind == "neg":
        return -reference(tree[1], env)
    if kind == "pos":
        return +reference(tree[1], env)
    if kind == "call":
        return REF_FUNCS[tree[1]](*(reference(a, env) for a in tree[2]))
    if kind == "cmp":
        values = [reference(o, env) for o in tree[2]]
        return all(_CMP[op](x, y) for op, x, y in zip(tree[1], values, values[1:], strict=False))
    if kind == "and":
        return bool(reference(tree[1], env)) and bool(reference(tree[2], env))
    if kind == "or":
        return bool(reference(tree[1], env)) or bool(reference(tree[2], env))
    if kind == "not":
        return not reference(tree[1], env)
    raise AssertionError(kind)


env_values = st.one_of(  # moderate values twice as often as anything-goes ones
    st.floats(-10, 10, allow_nan=False),
    st.floats(-10, 10, allow_nan=False),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalar_envs = st.fixed_dictionaries({name: env_values for name in VARS})
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(tree=small_trees, env=scalar_envs)
def test_parsed_expression_matches_direct_tree_evaluation(tree: tuple, env: dict[str, float]) -> None:
    text = render(tree)
    expr = compile_expr(text, VARS)
    with np.errstate(all="ignore"):
        expected = reference(tree, env)
    out = expr.evaluate(env)
    assert out.shape == ()
    if tree[0] in ("cmp", "and", "or", "not", "bool"):
        assert expr.is_boolean and out.dtype == np.bool_
        assert bool(out) is bool(expected), text
    else:
        assert not expr.is_boolean and out.dtype == np.float64
        np.testing.assert_array_equal(out, np.float64(expected), err_msg=text)


@PROPERTY
@given(
    tree=small_trees,
    columns=st.lists(st.tuples(*[env_values] * len(VARS)), min_size=1, max_size=6),
)
def test_vectorised_evaluation_matches_elementwise(tree: tuple, columns: list[tuple[float, ...]]) -> None:
    expr = compile_expr(render(tree))
    arrays = {name: np.array([row[i] for row in columns]) for i, name in enumerate(VARS)}
    out = expr.evaluate(arrays)
    assert out.shape == (len(columns),)
    for r, row in enumerate(columns):
        single = expr.evaluate(dict(zip(VARS, row, strict=True)))
        assert single.shape == ()
        np.testing.assert_array_equal(out[r], single)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="ab._()+-*/<>=!, 01239eE[]'\"~%:@{}#\n" + "notandrifelsmxqcplgbs",
        max_size=40,
    )
)
def test_arbitrary_text_compiles_or_raises_expr_error(text: str) -> None:
    try:
        expr = compile_expr(text, file="f.yaml", line=1, field="when")
    except ExprError as err:
        assert err.file == "f.yaml" and err.field == "when"
        return
    # Anything accepted must evaluate over replicate arrays without surprises.
    out = expr.evaluate({name: np.linspace(-1, 1, 3) for name in expr.names} | {"_r": np.zeros(3)})
    assert out.shape == (3,)
    assert out.dtype == (np.bool_ if expr.is_boolean else np.float64)
