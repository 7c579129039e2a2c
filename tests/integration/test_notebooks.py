"""The notebooks a class follows: stored with their outputs, and re-executed here in a fresh kernel.

The kernel is this interpreter (``sys.executable``), through a kernel spec written for the
test, so a system-wide ``python3`` kernel without hedgesim cannot be picked. Each notebook
runs from a scratch folder, so it cannot lean on the working directory to find scenarios.
No time limit is asserted (speed belongs in benchmarks/); the time each took is printed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from tests.paths import REPO

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
KERNEL = "hedgesim-test"


def test_the_five_notebooks_are_there() -> None:
    assert [p.name[:3] for p in NOTEBOOKS] == ["01_", "02_", "03_", "04_", "05_"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_a_lesson_stored_with_its_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "**Learning goal.**" in first.source
    answers = [c for c in nb.cells if c.cell_type == "markdown" and "<details>" in c.source]
    assert answers, "questions need answers hidden in a collapsible cell"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "store the notebook executed, with its outputs"
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs), "no figure stored"
    assert "scenarios/" not in "".join(c.source for c in code), "find scenarios through the package"


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JUPYTER_PATH entry whose kernel runs this interpreter."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    return root


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path: Path, kernel_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_dir))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name=KERNEL, resources={"metadata": {"path": str(tmp_path)}}
    )
    t0 = time.perf_counter()
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    print(f"{path.name}: {time.perf_counter() - t0:.0f} s")
    outputs = [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code" for o in c.outputs]
    assert not [o for _, o in outputs if o.output_type == "error"]
    assert not [o.text for _, o in outputs if o.output_type == "stream" and o.name == "stderr"], "warnings printed"
    assert not [
        o
        for _, o in outputs
        if "<Figure size" in o.get("data", {}).get("text/plain", "") and "image/png" not in o.get("data", {})
    ], "a figure shown as text"
    images: dict[int, int] = {}
    for i, o in outputs:
        if "image/png" in o.get("data", {}):
            images[i] = images.get(i, 0) + 1
    assert images, f"{path.name} displayed no figure"
    assert max(images.values()) == 1, f"a figure shown twice in cells {[i for i, n in images.items() if n > 1]}"
