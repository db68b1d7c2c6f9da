# The commands the README and CI use. `make run` serves the API with the Kyzylorda gazetteer
# on SQLite; `make test` checks style and types and runs the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench clean

run: $(VENV)/.installed
	$(BIN)/outreach serve --demo

test: $(VENV)/.installed-dev lint typecheck pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check outreach geo tests bench scripts
	$(BIN)/ruff format --check outreach geo tests bench scripts

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# two worker processes (pytest-xdist), each test file on one of them, so that its shared
# fixtures (one Chromium, one database per module) are made once
TEST_WORKERS ?= 2
pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# the sync and coverage benches also run on PostgreSQL when OUTREACH_BENCH_POSTGRES_URL is set
bench: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/bench_grouping.py
	$(BIN)/python bench/bench_planner.py
	$(BIN)/python bench/bench_sync.py
	$(BIN)/python bench/bench_coverage.py
	$(BIN)/python bench/bench_simulation.py

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.created
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
