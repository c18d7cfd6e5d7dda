# Everything installs into .venv on first use; only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
# Exact versions every install uses; `make constraints` refreshes them deliberately.
CONSTRAINTS := constraints.txt
# What is installed: the runtime set (`make demo`), and the runtime set with every extra
# (`make test`); each is redone when pyproject.toml or the constraints change.
RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test
# Test processes (pytest-xdist). Each takes whole test files, in the order they are collected,
# so a module's crawls run once; the crawls several modules read run once per session.
TEST_WORKERS ?= 2
# A throw-away venv where `make constraints` resolves the newest versions pyproject.toml allows.
RESOLVE_VENV := build/resolve-venv

.PHONY: demo test lint bench constraints clean cron

demo: $(RUNTIME_STAMP)
	$(BIN)/harvester demo

test: $(TEST_STAMP)
	$(BIN)/ruff check harvester harvester_testkit tests bench
	$(BIN)/python -m harvester_testkit.layers
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: $(TEST_STAMP)
	$(BIN)/ruff check harvester harvester_testkit tests bench
	$(BIN)/python -m harvester_testkit.layers
	$(BIN)/mypy

# Add the scheduled runs of deploy/crontab to your crontab, keeping your own lines; run it again
# after editing deploy/crontab. Needs HARVESTER_CONTACT_URL (see deploy/install_cron.py).
cron: $(RUNTIME_STAMP)
	$(BIN)/python deploy/install_cron.py

bench: $(TEST_STAMP)
	$(BIN)/python bench/crawl_and_parse.py

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet -c $(CONSTRAINTS) --upgrade pip

$(RUNTIME_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install --quiet -c $(CONSTRAINTS) -e ".[test]"
	touch $@

# Run by hand, then run `make test` and commit constraints.txt with what the upgrade changed.
constraints:
	rm -rf $(RESOLVE_VENV)
	$(PYTHON) -m venv $(RESOLVE_VENV)
	$(RESOLVE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(RESOLVE_VENV)/bin/python -m pip install --quiet ".[test]"
	{ echo "# Exact versions for every install (make demo, make test); refresh: make constraints"; \
	  $(RESOLVE_VENV)/bin/python -m pip freeze --all --exclude harvester; } > $(CONSTRAINTS)
	rm -rf $(RESOLVE_VENV)

clean:
	rm -rf $(VENV) build *.egg-info
