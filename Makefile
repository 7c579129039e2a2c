# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# test: the suite's tools; dashboard: what `hedgesim dashboard` and its browser test need (the test
# skips without a Chromium; .ci/run installs one).
EXTRAS ?= test,dashboard

.PHONY: run test test-fast lint bench dashboard notebooks clean-venv

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	@touch $(STAMP)

## run: set up .venv and run the baseline scenario as an ensemble, writing results and figures under results/
run: $(STAMP)
	$(BIN)/hedgesim run scenarios/baseline.yaml --replicates 2000 --record steps

## test: set up .venv and run the whole test suite (slow tests included), then ruff and the layers contract
test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

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
	rm -rf $(VENV)
