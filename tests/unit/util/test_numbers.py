"""The one mechanism by which numeric fields refuse booleans (YAML's true/false)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import Field, ValidationError

from hedgesim.errors import InputError
from hedgesim.util import Number, NumbersNotBooleans, Whole, whole


class Weights(NumbersNotBooleans):
    share: float = Field(0.5, ge=0, le=1)
    count: int | None = None
    flag: bool = False
    table: dict[str, Number] = Field(default_factory=dict)
    pair: tuple[Whole, Whole] = (0, 1)


class MoreWeights(Weights):
    extra: float = 1.0


@pytest.mark.parametrize(
    "data",
    [
        {"share": True},
        {"count": False},
        {"extra": True},
        {"table": {"a": True}},
        {"pair": [True, 2]},
        {"share": np.True_},
    ],
    ids=str,
)
def test_numeric_fields_refuse_booleans(data: dict) -> None:
    with pytest.raises(ValidationError, match="not a boolean"):
        MoreWeights.model_validate(data)


def test_numbers_booleans_and_ranges_still_work() -> None:
    m = MoreWeights.model_validate({"share": 1, "count": 3, "flag": True, "table": {"a": 2}, "extra": 0.5})
    assert (m.share, m.count, m.flag, m.table, m.extra) == (1.0, 3, True, {"a": 2.0}, 0.5)
    with pytest.raises(ValidationError):
        MoreWeights.model_validate({"share": 2})


@pytest.mark.parametrize("value", [True, np.False_, 2.5, "3", None])
def test_whole_arguments(value: object) -> None:
    with pytest.raises(InputError) as info:
        whole(value, "replicates")
    assert info.value.field == "replicates"
    assert whole(np.int64(3), "n") == 3
