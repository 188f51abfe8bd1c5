# Two commands on a fresh machine: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SAMPLE := build/sample.nmk

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsmark needs Python 3.11 or newer: set PYTHON=python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

$(SAMPLE): $(STAMP) resources/sample/articles.jsonl
	@mkdir -p build
	@rm -f $(SAMPLE) $(SAMPLE)-wal $(SAMPLE)-shm
	$(VENV)/bin/newsmark init $(SAMPLE)
	$(VENV)/bin/newsmark import $(SAMPLE) resources/sample/articles.jsonl --annotator sample

run: $(SAMPLE)
	$(VENV)/bin/newsmark open $(SAMPLE)

test: $(STAMP)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/bench_core.py

clean:
	rm -rf build .pytest_cache .hypothesis
