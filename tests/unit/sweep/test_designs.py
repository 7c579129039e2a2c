"""The design registry: each design's checks, size and sampler in one module."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from hedgesim.sweep import DESIGNS, Design, register_design
from hedgesim.sweep import designs as designs_pkg
from hedgesim.sweep.spec import Param, ParamSpec, SweepSpec


def params(n: int) -> list[Param]:
    return [Param(f"p{i}", (f"p{i}",), ParamSpec(range=(0.0, 1.0), levels=3), None, ()) for i in range(n)]


def test_registry_holds_the_five_designs() -> None:
    assert set(DESIGNS) == {"grid", "lhs", "random", "sobol", "morris"}
    assert {d.name for d in DESIGNS.values() if d.indices} == {"sobol", "morris"}


@pytest.mark.parametrize(
    ("design", "samples", "d", "size"),
    [("lhs", 7, 3, 7), ("random", 5, 2, 5), ("sobol", 8, 3, 40), ("morris", 4, 3, 16)],
)
def test_sizes_and_samples_in_the_unit_cube(design: str, samples: int, d: int, size: int) -> None:
    spec = SimpleNamespace(samples=samples, morris_levels=4)
    ps = params(d)
    assert DESIGNS[design].size(spec, ps) == size
    unit = np.asarray(DESIGNS[design].unit(spec, ps, np.random.default_rng(1)))
    assert unit.shape == (size, d) and (unit >= 0).all() and (unit <= 1).all()


def test_grid_is_every_combination() -> None:
    grid = DESIGNS["grid"]
    ps = params(2)
    assert grid.size(SimpleNamespace(samples=None, morris_levels=4), ps) == 9
    assert len(grid.combinations(ps)) == 9


def test_design_specific_checks() -> None:
    assert DESIGNS["sobol"].check(SimpleNamespace(samples=6, morris_levels=4))[1] == "samples"
    assert DESIGNS["morris"].check(SimpleNamespace(samples=4, morris_levels=5))[1] == "morris_levels"
    assert DESIGNS["grid"].check(SimpleNamespace(samples=4, morris_levels=4))[1] == "samples"
    assert DESIGNS["lhs"].check(SimpleNamespace(samples=None, morris_levels=4))[1] == "design"
    assert DESIGNS["grid"].check_param(has_range=True, levels=None, integer=False) is not None
    assert DESIGNS["lhs"].check_param(has_range=True, levels=3, integer=False)[1] == "levels"


def test_a_new_design_is_one_registered_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(designs_pkg.base, "DESIGNS", dict(DESIGNS))
    from hedgesim.sweep.designs import base

    @register_design
    class Corners(Design):
        name = "corners"

        def unit(self, spec, params, rng):  # type: ignore[no-untyped-def]
            return np.array([[0.0] * len(params), [1.0] * len(params)])[: spec.samples]

    assert "corners" in base.DESIGNS
    spec = SweepSpec.model_validate(
        {"base": "x.yaml", "parameters": {"a": {"range": [0, 1]}}, "design": "lhs", "samples": 2}
    )
    assert spec.design == "lhs"
