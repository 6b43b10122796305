# The two commands of the README's quick start, plus the benchmarks.
#   make run    set up (or reuse) .venv and build the bundled corpus into ./unkg-data
#   make test   set up (or reuse) .venv with the test extras and run the whole suite
#               (tests needing ../shared or Chromium skip, saying why; under CI=true they fail)
#   make test-browser  install Debian's Chromium (as root) and run the browser tests
#   make notebooks     set up .venv with Jupyter and open the notebooks
#   make bench  run the benchmarks and print their tables
#   make fuzz   the long fuzzing profile of tests/test_fuzz.py (10 minutes; UNKG_FUZZ_SECONDS)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test test-browser notebooks bench fuzz lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/unkg build

test: $(VENV)/.installed-test
	$(BIN)/python -m ruff check unkg tests benchmarks
	$(BIN)/python -m mypy unkg
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-browser: $(VENV)/.installed-test
	bash scripts/test-setup.sh
	$(BIN)/python -m pytest -m browser

$(VENV)/.installed-notebooks: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[notebooks]"
	touch $@ $(VENV)/.installed-run

notebooks: $(VENV)/.installed-notebooks
	$(BIN)/python -m jupyter lab notebooks

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

fuzz: $(VENV)/.installed-test
	UNKG_FUZZ=long $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check unkg tests benchmarks

clean:
	rm -rf $(VENV) unkg-data build dist *.egg-info
