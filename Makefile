# Everything installs into .venv on first use; only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist). Each takes whole test files, in the order they are collected,
# so a module's crawls run once; the crawls several modules read run once per session.
TEST_WORKERS ?= 2

.PHONY: demo test lint bench clean

demo: $(STAMP)
	$(BIN)/harvester demo

test: $(STAMP)
	$(BIN)/ruff check harvester tests bench
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check harvester tests bench

bench: $(STAMP)
	$(BIN)/python bench/crawl_and_parse.py

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
