"""Numbers from users: a boolean is never a number, a whole number is never 2.5.

YAML reads ``true`` as a boolean and Python's ``bool`` is a subclass of ``int``, so a
lax schema turns ``horizon: true`` into one step and ``csbm: true`` into 1.0. Every
numeric field users write refuses booleans through one of these, in one place:

* :data:`Number` and :data:`Whole`: annotated types for a single field or a container's
  items (``dict[str, Number]``, ``tuple[Number, Number]``).
* :class:`NumbersNotBooleans`: a pydantic base class whose ``int``/``float`` fields (also
  optional ones) refuse booleans; a model becomes strict by deriving from it.
* :func:`whole`: the same for a plain argument of a Python call (``run(replicates=True)``).
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, BeforeValidator, ValidationInfo, field_validator

from ..errors import InputError

__all__ = ["Number", "NumbersNotBooleans", "Whole", "is_numeric_annotation", "refuse_bool", "whole"]


def refuse_bool(value: Any) -> Any:
    """``value`` unchanged, unless it is a boolean (pydantic turns the ValueError into a field error)."""
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"must be a number, not a boolean ({str(bool(value)).lower()})")
    return value


#: A float field that refuses ``true``/``false``.
Number = Annotated[float, BeforeValidator(refuse_bool)]
#: An int field that refuses ``true``/``false``.
Whole = Annotated[int, BeforeValidator(refuse_bool)]


def is_numeric_annotation(annotation: Any) -> bool:
    """Whether a field typed ``annotation`` holds a number: ``int``, ``float``, or an optional/union of them."""
    if annotation in (int, float):
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return bool(args) and all(a in (int, float) for a in args)
    return False


class NumbersNotBooleans(BaseModel):
    """A model whose ``int`` and ``float`` fields (``float | None`` too) refuse booleans.

    Derive a schema model from it instead of ``BaseModel``; ``bool`` fields and
    containers are untouched (type a container's items with :data:`Number`).
    """

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_not_booleans(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool | np.bool_) and info.field_name is not None:
            field = cls.model_fields.get(info.field_name)
            if field is not None and is_numeric_annotation(field.annotation):
                refuse_bool(value)
        return value


def whole(value: Any, name: str) -> int:
    """An integer argument of a Python call: ``True``, ``2.5`` or ``"abc"`` is an input error, not a crash.

    Raises:
        InputError: ``value`` is not a whole number, naming the argument ``name``.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise InputError(f"{name} must be a whole number, got {value!r}", field=name)
    return int(value)
