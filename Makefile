# separ: the two commands of the README, and the ones developers use.
#   make demo          install into .venv and serve the sample workshop
#   make test          install everything the suite needs, lint, and run the suite (what CI runs)
#   make lint          ruff (check and format --check) and mypy
#   make lab           the workbooks in JupyterLab, on a copy of the Seosan sample
#   make screenshots   regenerate the facilitator guides' screenshots (on purpose, fixed date)
#   make wheel         build the wheel and sdist into dist/

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest workers: the CI box has 2 cores; Chromium and the servers wait on I/O a lot
WORKERS ?= 3
LAB_WORKSHOP := $(VENV)/lab-seosan
export PYTHON

.PHONY: demo test lint lab screenshots wheel install system-deps system-deps-demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres,pdf]'
	# offline rooms: the page bundles solara-assets lacks, once (separ serve checks it too)
	$(BIN)/python -m separ.live.assets
	touch $(STAMP)

install: $(STAMP)

# each program or file checked, only what is missing installed (see .ci/system-deps)
system-deps:
	@.ci/system-deps test

system-deps-demo:
	@.ci/system-deps demo

demo: system-deps-demo $(STAMP)
	$(BIN)/separ demo

test: system-deps $(STAMP) lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

lab: system-deps-demo $(STAMP)
	test -x $(BIN)/jupyter-lab || $(BIN)/python -m pip install --quiet -e '.[lab]'
	test -d $(LAB_WORKSHOP) || $(BIN)/separ import $(LAB_WORKSHOP) sample_data/seosan/workshop.json
	SEPAR_WORKSHOP=$(abspath $(LAB_WORKSHOP)) $(BIN)/jupyter lab workbooks

# The guides' screenshots, from the real pages; the follow-up dates are pinned so that the
# images change only when the pages do (the suite itself writes its shots to a temp folder).
# Each is a panel at device scale 2 whose PNG records its CSS size and smallest text, which
# the printed guide sizes it from (docs/guides.md: legible on paper).
screenshots: system-deps $(STAMP)
	SEPAR_SCREENSHOTS=facilitator_guides/img $(BIN)/python -m pytest -p no:cacheprovider \
	  tests/e2e/test_guide_screenshots.py -q

wheel: $(STAMP)
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
