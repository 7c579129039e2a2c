"""Progress bars fall back to tqdm's text bar, without a warning, where ipywidgets is missing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hedgesim.util import progress_bar


def test_with_ipywidgets_the_bar_is_tqdm_auto() -> None:
    pytest.importorskip("ipywidgets")
    from tqdm.auto import tqdm

    with progress_bar(total=1, disable=True) as bar:
        assert type(bar) is tqdm


def test_without_ipywidgets_the_text_bar_and_no_warning() -> None:
    code = (
        "import sys, warnings; sys.modules['ipywidgets'] = None\n"  # an interpreter without ipywidgets
        "warnings.simplefilter('error')\n"
        "from tqdm.std import tqdm\n"
        "from hedgesim.util import progress_bar\n"
        "bar = progress_bar(total=1, disable=True)\n"
        "assert type(bar) is tqdm, type(bar)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
