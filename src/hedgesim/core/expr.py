"""A small, safe expression language for scenario triggers and rules.

Scenario files say things like ``when: "hedger.alignment > 0.2 and
Russia.grievance >= 0.5"``.  Running such text through ``eval`` would let a
scenario file execute arbitrary code, so instead the text is parsed with
:func:`ast.parse` (parsing only) and the tree is checked against a strict
whitelist and compiled into nested closures that evaluate element-wise over
numpy arrays of shape ``(R,)`` (one entry per replicate).

Semantics differ from Python where vectorisation demands it: ``and``/``or``/
``not`` and chained comparisons are element-wise logical operations with no
short-circuiting, and all arithmetic is IEEE float64 (division by zero gives
``inf``/``nan`` rather than raising).
"""

from __future__ import annotations

import ast
import difflib
import warnings
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import numpy as np

from ..errors import ExprError

__all__ = ["Expr", "compile_expr"]

#: Longest accepted expression text; keeps parsing cost trivially bounded.
MAX_TEXT_LENGTH = 1000
#: Most expression nodes allowed; bounds compile and evaluation time.
MAX_NODES = 256
#: Deepest nesting allowed; keeps the recursive compiler and closures far
#: from Python's recursion limit whatever the input.
MAX_DEPTH = 64

_Env = Mapping[str, Any]
_Fn = Callable[[_Env], Any]

_BINOPS: dict[type[ast.operator], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", np.add),
    ast.Sub: ("-", np.subtract),
    ast.Mult: ("*", np.multiply),
    ast.Div: ("/", np.true_divide),
    ast.Pow: ("**", np.power),
}
_BINOP_SYMBOLS: dict[type[ast.operator], str] = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}
_CMPOPS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_CMP_SYMBOLS: dict[type[ast.cmpop], str] = {
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}


def _clip(x: Any, lo: Any, hi: Any) -> Any:
    """Clamp element-wise; spelled out so array bounds work and lo > hi gives hi."""
    return np.minimum(np.maximum(x, lo), hi)


# name -> (minimum arity, maximum arity or None for unbounded, implementation)
_FUNCTIONS: dict[str, tuple[int, int | None, Callable[..., Any]]] = {
    "abs": (1, 1, np.abs),
    "clip": (3, 3, _clip),
    "exp": (1, 1, np.exp),
    "log": (1, 1, np.log),
    "max": (2, None, lambda *a: reduce(np.maximum, a)),
    "min": (2, None, lambda *a: reduce(np.minimum, a)),
    "sqrt": (1, 1, np.sqrt),
}
_ALLOWED_FUNCTIONS = ", ".join(sorted(_FUNCTIONS))

# Friendly names for constructs that are parsed but never allowed.
_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Subscript: "subscripts such as x[0]",
    ast.Slice: "slices",
    ast.Lambda: "lambda expressions",
    ast.IfExp: "conditional expressions (x if y else z)",
    ast.GeneratorExp: "generator expressions",
    ast.ListComp: "list comprehensions",
    ast.SetComp: "set comprehensions",
    ast.DictComp: "dict comprehensions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dicts",
    ast.Starred: "starred expressions",
    ast.NamedExpr: "assignment expressions (:=)",
    ast.JoinedStr: "strings",
    ast.FormattedValue: "strings",
    ast.Await: "'await' expressions",
    ast.Yield: "'yield' expressions",
    ast.YieldFrom: "'yield' expressions",
}


@dataclass(frozen=True)
class Expr:
    """A checked expression, ready to evaluate over per-replicate arrays."""

    text: str
    names: frozenset[str]
    is_boolean: bool
    _fn: _Fn = field(repr=False, compare=False)

    def evaluate(self, env: Mapping[str, np.ndarray | float]) -> np.ndarray:
        """Evaluate element-wise; the result has the broadcast shape of ``env``.

        Booleans come back as a bool array and everything else as float64, so
        callers can use conditions as masks.  The result is always a fresh
        array, never a view of ``env`` state.
        """
        with np.errstate(all="ignore"):
            value = self._fn(env)
        out = np.array(value, dtype=np.bool_ if self.is_boolean else np.float64)
        shape = np.broadcast_shapes(out.shape, *(np.shape(v) for v in env.values()))
        if out.shape != shape:
            out = np.broadcast_to(out, shape).copy()
        return out

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickle by text (closures cannot be pickled); it was checked already."""
        return (compile_expr, (self.text,))


def compile_expr(
    text: str,
    known_names: Collection[str] | None = None,
    *,
    boolean: bool = False,
    file: str | None = None,
    line: int | None = None,
    field: str | None = None,
) -> Expr:
    """Parse and check ``text``, raising :class:`ExprError` on anything unsafe.

    When ``known_names`` is given every variable must be one of them, so typos
    are caught when the scenario is loaded rather than mid-run.  With
    ``boolean=True`` the expression must be a condition at the top level.
    """
    compiler = _Compiler(text, known_names, file=file, line=line, field=field)
    fn, is_bool = compiler.compile()
    if boolean and not is_bool:
        raise compiler.error(f"expected a condition such as 'x > 0.2', got an arithmetic expression in {_quote(text)}")
    return Expr(text, frozenset(compiler.names), is_bool, fn)


def _quote(text: str) -> str:
    """Quote user text for a message, shortened so errors stay one readable line."""
    if len(text) > 120:
        text = text[:117] + "..."
    return repr(text)


def _as_float(fn: _Fn) -> _Fn:
    """Wrap a boolean-valued node so arithmetic treats True as 1.0."""
    return lambda env: np.asarray(fn(env), dtype=np.float64)


class _Compiler:
    """Walks the whitelisted AST once, producing a closure and the names used."""

    def __init__(
        self,
        text: str,
        known_names: Collection[str] | None,
        *,
        file: str | None,
        line: int | None,
        field: str | None,
    ) -> None:
        self.text = text
        self.known = None if known_names is None else frozenset(known_names)
        self.where = {"file": file, "line": line, "field": field}
        self.names: set[str] = set()
        # Newlines become spaces so a folded YAML string parses as one line and
        # columns are plain character offsets into the original text.
        flat = text.replace("\r", " ").replace("\n", " ")
        stripped = flat.lstrip()
        self.lead = len(flat) - len(stripped)
        self.source = stripped

    def error(self, message: str) -> ExprError:
        return ExprError(message, **self.where)

    def column(self, node: ast.AST) -> int:
        """1-based character column of ``node`` in the original text."""
        offset = getattr(node, "col_offset", 0)
        # ast offsets count UTF-8 bytes; convert to characters.
        chars = len(self.source.encode()[:offset].decode(errors="ignore"))
        return chars + self.lead + 1

    def fail(self, node: ast.AST, what: str, hint: str = "") -> ExprError:
        hint = f" ({hint})" if hint else ""
        return self.error(f"{what} at column {self.column(node)} in {_quote(self.text)}{hint}")

    def compile(self) -> tuple[_Fn, bool]:
        if not isinstance(self.text, str):
            raise self.error(f"expected an expression string, got {type(self.text).__name__}")
        if len(self.text) > MAX_TEXT_LENGTH:
            raise self.error(f"expression is {len(self.text)} characters long; at most {MAX_TEXT_LENGTH} are allowed")
        if not self.source.strip():
            raise self.error("empty expression")
        tree = self.parse()
        self.check_size(tree)
        return self.visit(tree.body)

    def parse(self) -> ast.Expression:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(self.source, mode="eval")
        except SyntaxError as exc:
            col = (exc.offset or 1) + self.lead
            raise self.error(f"syntax error at column {col} in {_quote(self.text)}: {exc.msg}") from None
        except (ValueError, MemoryError, RecursionError) as exc:
            raise self.error(f"syntax error in {_quote(self.text)}: {exc or 'too complex'}") from None

    def check_size(self, tree: ast.Expression) -> None:
        """Bound node count and depth iteratively, before any recursion."""
        count = 0
        stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
        while stack:
            node, depth = stack.pop()
            count += 1
            if count > MAX_NODES:
                raise self.error(f"expression {_quote(self.text)} is too large (more than {MAX_NODES} parts)")
            if depth > MAX_DEPTH:
                raise self.fail(node, f"expression is nested too deeply (limit {MAX_DEPTH})")
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))

    def visit(self, node: ast.expr) -> tuple[_Fn, bool]:
        """Compile one node; returns (closure, whether it is boolean-valued)."""
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node, self.check_identifier(node, node.id))
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.UnaryOp):
            return self.unaryop(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            return self.boolop(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        what = _FORBIDDEN.get(type(node), f"{type(node).__name__} expressions")
        raise self.fail(node, f"{what} are not allowed")

    def constant(self, node: ast.Constant) -> tuple[_Fn, bool]:
        value = node.value
        if isinstance(value, bool):
            flag = np.bool_(value)
            return (lambda env: flag), True
        if isinstance(value, int | float):
            try:
                number = np.float64(float(value))
            except OverflowError:
                raise self.fail(node, "number is too large") from None
            return (lambda env: number), False
        if isinstance(value, str | bytes):
            raise self.fail(node, "strings are not allowed")
        raise self.fail(node, f"the constant {value!r} is not allowed")

    def check_identifier(self, node: ast.AST, ident: str) -> str:
        if "__" in ident:
            raise self.fail(node, f"names containing '__' such as {ident!r} are not allowed")
        return ident

    def attribute(self, node: ast.Attribute) -> tuple[_Fn, bool]:
        if not isinstance(node.value, ast.Name):
            raise self.fail(node, "attribute access is only allowed as actor.variable")
        actor = self.check_identifier(node.value, node.value.id)
        self.check_identifier(node, node.attr)
        return self.name(node, f"{actor}.{node.attr}")

    def name(self, node: ast.AST, name: str) -> tuple[_Fn, bool]:
        if name in _FUNCTIONS and (self.known is None or name not in self.known):
            raise self.fail(node, f"function {name!r} must be called, as in {name}(...)")
        if self.known is not None and name not in self.known:
            raise self.fail(node, f"unknown name {name!r}", self.suggest(name))
        self.names.add(name)
        return (lambda env: np.asarray(env[name], dtype=np.float64)), False

    def suggest(self, name: str) -> str:
        assert self.known is not None
        close = difflib.get_close_matches(name, sorted(self.known), n=3, cutoff=0.6)
        if close:
            return "did you mean " + " or ".join(repr(c) for c in close) + "?"
        if not self.known:
            return "no names are available here"
        shown = sorted(self.known)[:12]
        more = ", ..." if len(self.known) > len(shown) else ""
        return "known: " + ", ".join(shown) + more

    def numeric(self, node: ast.expr) -> _Fn:
        """Compile an operand used arithmetically (booleans count as 0/1)."""
        fn, is_bool = self.visit(node)
        return _as_float(fn) if is_bool else fn

    def binop(self, node: ast.BinOp) -> tuple[_Fn, bool]:
        entry = _BINOPS.get(type(node.op))
        if entry is None:
            symbol = _BINOP_SYMBOLS.get(type(node.op), type(node.op).__name__)
            allowed = " ".join(s for s, _ in _BINOPS.values())
            raise self.fail(node, f"operator {symbol!r} is not allowed", f"allowed: {allowed}")
        op = entry[1]
        left, right = self.numeric(node.left), self.numeric(node.right)
        return (lambda env: op(left(env), right(env))), False

    def unaryop(self, node: ast.UnaryOp) -> tuple[_Fn, bool]:
        if isinstance(node.op, ast.Not):
            fn, _ = self.visit(node.operand)
            return (lambda env: np.logical_not(fn(env))), True
        if isinstance(node.op, ast.USub | ast.UAdd):
            ufunc = np.negative if isinstance(node.op, ast.USub) else np.positive
            operand = self.numeric(node.operand)
            return (lambda env: ufunc(operand(env))), False
        raise self.fail(node, "operator '~' is not allowed", "use 'not' for negation")

    def compare(self, node: ast.Compare) -> tuple[_Fn, bool]:
        ops: list[Callable[[Any, Any], Any]] = []
        for op in node.ops:
            func = _CMPOPS.get(type(op))
            if func is None:
                symbol = _CMP_SYMBOLS.get(type(op), type(op).__name__)
                raise self.fail(
                    node,
                    f"comparison {symbol!r} is not allowed",
                    "allowed: < <= > >= == !=",
                )
            ops.append(func)
        operands = [self.visit(n)[0] for n in [node.left, *node.comparators]]
        if len(ops) == 1:
            op, left, right = ops[0], operands[0], operands[1]
            return (lambda env: op(left(env), right(env))), True

        def chained(env: _Env) -> Any:
            # Each operand is evaluated exactly once, as in Python.
            values = [f(env) for f in operands]
            results = [op(a, b) for op, a, b in zip(ops, values, values[1:], strict=False)]
            return reduce(np.logical_and, results)

        return chained, True

    def boolop(self, node: ast.BoolOp) -> tuple[_Fn, bool]:
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        parts = [self.visit(v)[0] for v in node.values]
        return (lambda env: reduce(combine, [p(env) for p in parts])), True

    def call(self, node: ast.Call) -> tuple[_Fn, bool]:
        if not isinstance(node.func, ast.Name):
            raise self.fail(
                node,
                "only plain function names can be called",
                f"allowed: {_ALLOWED_FUNCTIONS}",
            )
        fname = node.func.id
        spec = _FUNCTIONS.get(fname)
        if spec is None:
            raise self.fail(
                node,
                f"function {fname!r} is not allowed",
                f"allowed: {_ALLOWED_FUNCTIONS}",
            )
        if node.keywords:
            raise self.fail(node, f"keyword arguments to {fname}() are not allowed")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(arg, f"starred arguments to {fname}() are not allowed")
        low, high, impl = spec
        count = len(node.args)
        if count < low or (high is not None and count > high):
            if high is None:
                wanted = f"at least {low} arguments"
            else:
                wanted = f"{low} argument{'s' if low != 1 else ''}"
            raise self.fail(node, f"function {fname!r} takes {wanted}, got {count}")
        args = [self.numeric(a) for a in node.args]
        return (lambda env: impl(*(a(env) for a in args))), False
