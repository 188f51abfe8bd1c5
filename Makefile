# Two commands on a fresh machine: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SAMPLE := build/sample.nmk

.PHONY: run test bench clean installer test-installer

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

# The frozen app (dist/Newsmark), the .deb and the .tar.gz; Windows and macOS: packaging/.
PACKAGING := $(VENV)/.packaging-stamp
$(PACKAGING): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,packaging]'
	@touch $(PACKAGING)

installer: $(PACKAGING)
	packaging/linux/build_deps.sh
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN build.spec
	packaging/linux/build_deb.sh dist/Newsmark dist

test-installer: installer
	packaging/test_installer.sh dist

clean:
	rm -rf build .pytest_cache .hypothesis
