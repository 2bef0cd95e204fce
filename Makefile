# graphkit — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test test-slow test-all install install-test native browser js lint format bench screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-native: pyproject.toml | $(BIN)/python
	@if $(PIP) install -e '.[native]'; then touch $@ $(VENV)/.installed; \
	else echo "warning: could not install Cython (graphkit[native]); graphkit runs from source"; fi

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## make native: compile the hot modules with Cython into graphkit/_native/ (same outputs, about a
## fifth less CPU; incremental; a note and source code where the machine has no C compiler)
native: $(VENV)/.installed-native
	@$(BIN)/python scripts/compile_native.py \
	  || echo "warning: compiling failed (see above); graphkit runs from source, same outputs"

## make run: set everything up and build the graph of seeds/ into out/
run: install
	$(BIN)/graphkit build seeds -o $(OUT)

## make test: set up (package, test extras, headless Chromium where possible) and run the fast
## suite: every test but the slow ones over the shared corpora
test: install-test native browser js
	$(BIN)/python -m pytest -m "not slow"

## make test-slow: only the slow tests (74k arXiv corpus, 10k-slice digests; skipped without ../shared)
test-slow: install-test
	$(BIN)/python -m pytest -m slow

## make test-all: the fast suite, then the slow tests
test-all: test test-slow

## Debian's chromium + chromedriver for the browser tests; tests skip with a reason if this fails
browser:
	@bash scripts/install-browser.sh || echo "warning: chromium not installed; browser tests will be skipped"

## graphology-graphml (npm) for the GraphML check a JS consumer does; skipped without Node.js
js:
	@if command -v npm >/dev/null 2>&1; then \
	  (cd tests/js && npm install --no-audit --no-fund --silent >/dev/null 2>&1) \
	  || echo "warning: npm install in tests/js failed; the graphology test will be skipped"; \
	else echo "note: no npm; the graphology GraphML test will be skipped"; fi

lint: install-test
	$(BIN)/ruff check graphkit tests bench scripts
	$(BIN)/ruff format --check graphkit tests bench scripts

format: install-test
	$(BIN)/ruff format graphkit tests bench scripts
	$(BIN)/ruff check --fix graphkit tests bench scripts

bench: install-test native
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/features.py
	$(BIN)/python bench/bench_analysis.py
	$(BIN)/python bench/html_map.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/relatedness.py

screenshot: install-test browser run
	$(BIN)/python scripts/screenshot.py $(OUT)/graph.html $(OUT)/graph.png

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache graphkit/_native
