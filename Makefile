# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOWEST ?= .venv-lowest
# test: the suite's tools; dashboard: what `hedgesim dashboard` and its browser test need (the test
# skips without a Chromium; .ci/run installs one).
EXTRAS ?= test,dashboard

.PHONY: run test test-fast test-unit test-lowest lint bench dashboard notebooks clean-venv

$(STAMP): pyproject.toml setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	@touch $(STAMP)

## run: set up .venv and run the baseline scenario as an ensemble, writing results and figures under results/
run: $(STAMP)
	$(BIN)/hedgesim run scenarios/baseline.yaml --replicates 2000 --record steps

## test: set up .venv and run the whole test suite (slow tests included), then ruff and the layers contract
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n auto -m "not slow"

## test-unit: set up .venv and run the fast unit tests only (CI's check under a second Python)
test-unit: $(STAMP)
	$(BIN)/python -m pytest -q -n auto -m "not slow" tests/unit

# name==floor for every direct dependency (runtime and test extra; the higher floor where a name is in both),
# read from pyproject.toml so the floors are tested exactly as written there.
define FLOORS_PY
import re, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
floors = {}
for req in project["dependencies"] + project["optional-dependencies"]["test"]:
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^]]*\])?>=([0-9]+(\.[0-9]+)*)", req)
    assert m, f"test-lowest reads only name>=version requirements, not {req!r}"
    name, version = m[1].lower(), tuple(int(x) for x in m[3].split("."))
    floors[name] = max(floors.get(name, version), version)
print("\n".join(f"{name}=={'.'.join(map(str, v))}" for name, v in floors.items()))
endef
export FLOORS_PY

## test-lowest: a fresh $(LOWEST) with every dependency at the lowest version pyproject.toml allows, then the fast suite
test-lowest:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] not in ((3, 11), (3, 12)) and "test-lowest: the floors have wheels for Python 3.11 and 3.12 only; run it with PYTHON=python3.11")'
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet uv
	$(LOWEST)/bin/python -c "$$FLOORS_PY" > $(LOWEST)/floors.txt
	$(LOWEST)/bin/uv pip install --quiet --python $(LOWEST)/bin/python -e ".[test]" --constraint $(LOWEST)/floors.txt
	$(LOWEST)/bin/uv pip list --python $(LOWEST)/bin/python
	@# the notebook test skips when ipykernel cannot be imported: here that is an error
	$(LOWEST)/bin/python -c "import ipykernel.kernelapp, nbclient, nbformat"
	$(LOWEST)/bin/python -m pytest -q -n auto -m "not slow" -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ensemble.py

## dashboard: set up .venv and open the dashboard on http://127.0.0.1:8765/ (Ctrl+C stops it)
dashboard: $(STAMP)
	$(BIN)/hedgesim dashboard

## notebooks: set up .venv with JupyterLab and open notebooks/
notebooks: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS),notebooks]"
	$(BIN)/jupyter lab notebooks/

clean-venv:
	rm -rf $(VENV) $(LOWEST)
