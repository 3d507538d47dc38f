# separ: the two commands of the README, and the ones developers use.
#   make demo   install into .venv and serve the sample workshop
#   make test   install everything the suite needs and run it (what CI runs)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the tests and the PDF export need: a browser, Korean fonts,
# poppler (pdftotext/pdffonts/pdftoppm), PostgreSQL for the store tests, and npm to
# fetch the page bundles solara-assets lacks (offline rooms; see separ.live.assets).
APT_PACKAGES := chromium fonts-noto-cjk poppler-utils postgresql npm
APT_CHECKS := /usr/bin/chromium /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/bin/pdftotext /usr/lib/postgresql /usr/bin/npm

.PHONY: demo test lint install system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres,pdf]'
	# offline rooms: the page bundles solara-assets lacks, from the npm registry, once
	$(BIN)/python -m separ.live.assets
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@missing=""; for f in $(APT_CHECKS); do [ -e $$f ] || missing=yes; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages: $(APT_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "missing system packages; please install: $(APT_PACKAGES)"; \
	  fi; \
	fi

demo: system-deps $(STAMP)
	$(BIN)/separ demo

test: system-deps $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
