# The two commands a new contributor needs:
#   make book   create .venv, install the offline JavaScript, build the HTML book
#   make test   build the book if needed, then run every test in one pytest run
# Also: make lab (JupyterLab with live sliders), make bench, make clean, make distclean.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.requirements-stamp
NPM ?= npm
WEB_STAMP := web/node_modules/.package-lock.json
VENDOR := web/dist/site/vendor
VENDOR_STAMP := web/dist/.stamp
BOOK_STAMP := _build/.book-built-stamp

BOOK_BUDGET_S := 300
TEST_BUDGET_S := 600
# Parallel pytest workers (pytest-xdist); 0 runs everything in one process.
PYTEST_WORKERS ?= 2

# Everything a build reads: a change here makes `make test` rebuild the book.
BOOK_SOURCES := _config.yml _toc.yml \
	$(wildcard intro.md references.bib chapters/*.ipynb chapters/*.md chapters/*.py \
		mathlib/*.py explorers/*.py)

.PHONY: help book test lab bench clean distclean venv web

help:
	@echo "make book       build the HTML book into _build/html (creates .venv on first run)"
	@echo "make test       unit tests, doctests, notebook runs (nbval) and browser checks"
	@echo "make lab        open the chapters in JupyterLab with working sliders"
	@echo "make bench      run the benchmarks in bench/"
	@echo "make clean      remove _build and web/dist (keeps .venv and web/node_modules)"
	@echo "make distclean  also remove .venv and web/node_modules"

# ---------------------------------------------------------------- Python ----
# Re-run pip only when requirements.txt or pyproject.toml change.
$(VENV_STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || { echo "creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

venv: $(VENV_STAMP)

# ------------------------------------------------------------ JavaScript ----
# MathJax, RequireJS and the ipywidgets HTML manager, served by the book itself
# (no CDN): pinned in web/package-lock.json, staged into web/dist/site/vendor/, which
# Sphinx copies to _build/html/vendor/ (html_extra_path in _config.yml).
$(WEB_STAMP): web/package.json web/package-lock.json
	$(NPM) ci --prefix web --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR_STAMP): $(WEB_STAMP) web/src/widgets-setup.js
	@rm -rf web/dist && mkdir -p $(VENDOR)/mathjax $(VENDOR)/html-manager
	@# MathJax 3: the TeX+CHTML component and what it loads on demand
	@# (TeX extensions, CHTML fonts, the accessibility menu).
	@cp web/node_modules/mathjax/es5/tex-mml-chtml.js $(VENDOR)/mathjax/
	@cp -r web/node_modules/mathjax/es5/{input,output,a11y,ui,sre,adaptors} $(VENDOR)/mathjax/
	@rm -rf $(VENDOR)/mathjax/output/svg $(VENDOR)/mathjax/output/svg.js
	@cp web/node_modules/mathjax/LICENSE $(VENDOR)/mathjax/
	@cp web/node_modules/requirejs/require.js $(VENDOR)/require.js
	@cp web/src/widgets-setup.js $(VENDOR)/widgets-setup.js
	@# The widget manager; its font files must sit next to embed-amd.js.
	@cp web/node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js \
		web/node_modules/@jupyter-widgets/html-manager/dist/*.{woff,woff2,ttf,eot,svg} \
		$(VENDOR)/html-manager/
	@touch $@
	@echo "offline JavaScript staged in $(VENDOR) ($$(du -sh $(VENDOR) | cut -f1))"

web: $(VENDOR_STAMP)

# ------------------------------------------------------------------ Book ----
# -W: warnings are errors; -n: nitpicky (every reference must resolve);
# --keep-going: report every warning, then fail.
book: $(VENV_STAMP) $(VENDOR_STAMP)
	@start=$$(date +%s); status=0; \
	$(BIN)/jupyter-book build . -W -n --keep-going || status=$$?; \
	elapsed=$$(( $$(date +%s) - start )); \
	echo ""; \
	if [ $$status -ne 0 ]; then \
		echo "book build FAILED after $$elapsed s (see the warnings above)"; exit $$status; fi; \
	touch $(BOOK_STAMP); \
	echo "book built in $$elapsed s (budget $(BOOK_BUDGET_S) s)"; \
	echo "open $(CURDIR)/_build/html/index.html in a browser"; \
	if [ $$elapsed -gt $(BOOK_BUDGET_S) ]; then echo "WARNING: over the build budget"; fi

# `make test` builds the book only when a source changed since the last build.
$(BOOK_STAMP): $(BOOK_SOURCES) | $(VENV_STAMP) $(VENDOR_STAMP)
	@$(MAKE) --no-print-directory book

# ------------------------------------------------------------------ Tests ----
# One pytest run: unit tests and browser tests (tests/), doctests (mathlib/,
# explorers/) and every chapter notebook executed by nbval. Browser tests skip
# with a message when /usr/bin/chromium is missing (.ci/run installs it).
test: $(BOOK_STAMP)
	@start=$$(date +%s); \
	xdist=""; \
	if [ "$(PYTEST_WORKERS)" != "0" ] && $(BIN)/python -c "import xdist" 2>/dev/null; then \
		xdist="-n $(PYTEST_WORKERS) --dist loadfile"; fi; \
	status=0; \
	$(BIN)/python -m pytest $$xdist -p no:cacheprovider \
		--nbval-lax --nbval-current-env \
		tests mathlib explorers $(wildcard chapters/*.ipynb) || status=$$?; \
	elapsed=$$(( $$(date +%s) - start )); \
	echo ""; \
	echo "tests ran in $$elapsed s (budget $(TEST_BUDGET_S) s, book build not included)"; \
	if [ $$elapsed -gt $(TEST_BUDGET_S) ]; then echo "WARNING: over the test budget"; fi; \
	exit $$status

# ------------------------------------------------------------ JupyterLab ----
# ipywidgets 8 ships its JupyterLab extension (jupyterlab_widgets), so the
# sliders work live in the notebooks. Notebooks are stored without outputs:
# run them (Run > Run All Cells); please clear outputs before committing.
lab: $(VENV_STAMP)
	@echo "opening JupyterLab on http://127.0.0.1:8888 (Ctrl-C twice to stop)"
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=8888 --notebook-dir=. \
		$$( [ "$$(id -u)" -eq 0 ] && echo --allow-root )

# ----------------------------------------------------------------- Bench ----
# Each bench/*.py prints its measurements. The Keras comparison in
# bench/seed_example.py runs only where TensorFlow imports; TensorFlow is not a
# dependency of the book, so point BENCH_PYTHON at a venv that has it, e.g.
#   make bench BENCH_PYTHON=.venv-bench/bin/python
BENCH_PYTHON ?= $(BIN)/python
bench: $(VENV_STAMP)
	@shopt -s nullglob; scripts=(bench/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "no benchmarks in bench/"; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		echo "== $$script ($(BENCH_PYTHON))"; $(BENCH_PYTHON) "$$script"; \
	done

# ----------------------------------------------------------------- Clean ----
clean:
	rm -rf _build web/dist .pytest_cache .hypothesis
	find . \( -path './.venv*' -o -path ./.git -o -path ./web/node_modules \) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) web/node_modules
