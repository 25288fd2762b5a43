# Plan Atlas — `make run` serves the app, `make test` runs every test, `make bench` prints the benchmark table.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements-installed

.PHONY: setup run run-dev test bench build lint system-deps clean-static

setup: $(STAMP) static/.ready

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# Leaflet and jQuery come from PyPI's XStatic packages; copied into static/ for offline serving.
static/.ready: $(STAMP) geo/viewer/assets.py
	$(PY) -m geo assets

# Build layers/ only when missing (they are committed; `make build` forces a rebuild).
layers/manifest.json: | $(STAMP)
	$(PY) -m geo build

build: setup
	$(PY) -m geo build

# localhost only (see README "Serving on a network" to serve others, with an editor password)
run: setup layers/manifest.json
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port 8501 --server.headless true

# the same with error details (exception types, tracebacks) shown in the browser
run-dev: setup layers/manifest.json
	PLAN_ATLAS_DEV=1 $(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port 8501 \
		--server.headless true --client.showErrorDetails full

# Debian's chromium and a CJK font, for the browser tests (no browser download).
system-deps:
	bash scripts/install-system-deps.sh

test: setup system-deps
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: setup system-deps
	$(PY) -m bench.run

lint: setup
	$(PY) -m ruff check .

clean-static:
	rm -rf static
