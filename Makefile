# Two commands on a fresh clone: `make book` builds the HTML book, `make test` runs every test.
# Both set up .venv from requirements.txt first. See README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-12)
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed-$(shell cat requirements-lab.txt | sha256sum | cut -c1-12)

.PHONY: help setup book pdf check test test-fast browser serve lab bench lint clean datapackage snapshot-diff new-seed move-claims

help:
	@echo "make book   - set up .venv and build the HTML book strictly into _build/html"
	@echo "make test   - set up .venv (and Chromium) and run every test, including a strict build"
	@echo "make pdf    - the whole book as _build/pdf/book.pdf (single-page build printed by Chromium; no TeX)"
	@echo "make check  - validate data/ and verify every excerpt, without building (fast)"
	@echo "make test-fast - unit and data tests only (no builds, no browser)"
	@echo "make serve  - live preview on http://127.0.0.1:8000, rebuilt on every change"
	@echo "make lab    - JupyterLab with the chapters opening as notebooks (jupytext)"
	@echo "make bench  - build-speed benchmark, writes _build/bench.json"
	@echo "make new-seed FILE=page.txt ID=seed-id - start a new seed (see CONTRIBUTING.md); make move-claims ID=seed-id"
	@echo "make datapackage - regenerate data/datapackage.json from the table definitions"
	@echo "make snapshot-diff FROM=folder [UPDATE=1] - compare data/checked/ with a new delivery of checked facts"

# A .venv made when JupyterLab was in requirements.txt holds its server's modules: it is made anew.
$(STAMP): requirements.txt pyproject.toml
	if [ -x $(BIN)/jupyter-lab ]; then rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

# JupyterLab in an environment of its own (requirements-lab.txt); its kernels are .venv's Python.
$(LAB_STAMP): requirements-lab.txt $(STAMP)
	test -x $(LAB_VENV)/bin/python || $(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet -r requirements-lab.txt
	$(BIN)/python -m ipykernel install --prefix $(LAB_VENV) --name python3 --display-name "Python 3 (the book's .venv)" >/dev/null
	rm -f $(LAB_VENV)/.installed-*
	touch $@

setup: $(STAMP)

check: $(STAMP)
	$(BIN)/python -m brainbone.tools.check

# Execute changed chapters into the cache (stock kernels, several at a time), then build strictly
# (-W -n --keep-going) into _build/staging; _build/html is replaced only when that build is clean, so a failed build keeps the last good book readable
# and ends by listing its located errors (brainbone.tools.build). After a clean strict build the next one is
# incremental; after a failed one it rebuilds everything, since Sphinx does not repeat the warnings of pages
# it does not re-read. No separate `make check`: the build validates the ledger itself.
book: $(STAMP)
	$(BIN)/python -m brainbone.tools.build
	$(MAKE) --no-print-directory pdf

# Regenerate data/datapackage.json from the table definitions (brainbone.ledger.catalog), after adding or changing a table.
datapackage: $(STAMP)
	$(BIN)/python -m brainbone.ledger.datapackage

# The PDF every page offers for download: the single-page build (from the execution cache the HTML build
# filled) printed by Debian's Chromium. Skipped, loudly, without Chromium; `make book` runs it after the HTML.
pdf: $(STAMP) browser
	@if [ -x /usr/bin/chromium ]; then $(BIN)/python -m brainbone.tools.pdf; \
	else echo "WARNING: no /usr/bin/chromium, so no PDF (_build/pdf/book.pdf); the download link will be dead" >&2; fi

# Debian's Chromium for the browser tests (tests/browser/), and poppler's pdftotext, which reads the PDF
# back in them, installed when missing and we are root.
# Without root a developer's run skips them loudly; under CI=true a missing browser is an error.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's Chromium, a font and pdftotext for the browser tests (apt-get install chromium fonts-dejavu-core poppler-utils)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core poppler-utils >/dev/null; \
	  elif [ "$$CI" = true ]; then \
	    echo "ERROR: /usr/bin/chromium or pdftotext is missing and CI=true; install them with: sudo apt-get install chromium poppler-utils" >&2; exit 1; \
	  else \
	    echo "WARNING: /usr/bin/chromium or pdftotext is missing, so the browser tests will be SKIPPED or fail." \
	         "Install them with: sudo apt-get install chromium poppler-utils" >&2; \
	  fi; \
	fi

test: $(STAMP) browser
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# Live preview on http://127.0.0.1:8000 (PORT=8001 for another port), rebuilt on every change; see CONTRIBUTING.md.
serve: $(STAMP)
	$(BIN)/python -m brainbone.tools.serve.server --port $(or $(PORT),8000)

# JupyterLab (from .venv-lab) on 127.0.0.1, opened at chapters/; right-click a chapter > Open With > Jupytext Notebook
# to run it in a kernel of .venv.
# --allow-root: Jupyter refuses to start as root otherwise (containers, CI machines).
lab: $(LAB_STAMP)
	$(LAB_VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(or $(PORT),8888) --no-browser --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/chapters \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# Builds copies of the book in a temporary folder (never _build/html); BENCH_ARGS="--repeats 5" for more runs.
bench: $(STAMP)
	$(BIN)/python tests/benchmarks/bench.py $(BENCH_ARGS)

# Compare the frozen checked-facts snapshots (data/checked/) with a newly delivered folder; UPDATE=1 takes
# the delivered copies and rewrites data/checked/README.md. Never part of a build (see that note).
snapshot-diff: $(STAMP)
	@test -n "$(FROM)" || { echo "usage: make snapshot-diff FROM=/path/to/delivered/folder [UPDATE=1]" >&2; exit 2; }
	$(BIN)/python -m brainbone.tools.snapshots --from "$(FROM)" $(if $(UPDATE),--update)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf _build chapters/seeds

# Start a new seed from a page saved as UTF-8 text: seeds/, sources.csv, proposed parts, a draft claims sheet
# (data/drafts/<ID>-claims.csv), the data package; see CONTRIBUTING.md. Then `make move-claims ID=...`.
new-seed: $(STAMP)
	@test -n "$(FILE)" -a -n "$(ID)" || { echo "usage: make new-seed FILE=path/to/page.txt ID=seed-id" >&2; exit 2; }
	$(BIN)/python -m brainbone.ledger.newseed --file "$(FILE)" --id "$(ID)"

# Move the fully coded rows of data/drafts/<ID>-claims.csv into data/claims.csv, numbered in reading order.
move-claims: $(STAMP)
	@test -n "$(ID)" || { echo "usage: make move-claims ID=seed-id" >&2; exit 2; }
	$(BIN)/python -m brainbone.ledger.newseed --move-claims --id "$(ID)"
