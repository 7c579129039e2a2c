"""Outputs pinned before the package was reorganised: a move of code must not move a number.

The fingerprints in tests/regression/pins.json come from the shipped scenarios, the
cases and one small sweep per design (see tests/regression/pinning.py for what is
compared and the tolerance). A change that is meant to alter outputs regenerates them
with ``python tests/regression/pinning.py --update`` and says so in its commit.
"""

from __future__ import annotations

import json

import pytest

from tests.regression import pinning

pytestmark = pytest.mark.slow


def test_outputs_match_the_pins() -> None:
    pinned = json.loads(pinning.PINS.read_text(encoding="utf-8"))
    diff = pinning.differences(pinned, pinning.compute())
    assert not diff, "outputs changed:\n" + "\n".join(diff[:40])
