# Community Partnership Portal: `make run` to try it, `make test` to test it, `make bench` to measure it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# ../shared/geo (ward boundaries, postcodes) is imported when present; set GEO_DATA_DIR to use another folder.
export GEO_DATA_DIR ?= $(abspath ../shared/geo)
HOST ?= 127.0.0.1
PORT ?= 5000
# E-mailed links open where `make run` serves: the address people type, from HOST and PORT (a server listening
# on every address, 0.0.0.0 or ::, is reached as localhost). Set PUBLIC_BASE_URL to override it.
PUBLIC_HOST = $(if $(filter 0.0.0.0 :: [::],$(HOST)),localhost,$(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)))
PUBLIC_BASE_URL ?= http://$(PUBLIC_HOST):$(PORT)

.PHONY: run test lint test-suites test-sqlite test-postgres bench setup setup-test assets db system-deps system-deps-run clean

run: setup db  ## Set up and serve the portal on SQLite with the file mail outbox and demo data
	@echo "Serving on $(PUBLIC_BASE_URL)/ ; demo sign-in details: instance/demo-accounts.txt ; mail: instance/outbox/"
	@# The task worker (bulletins, reminders, imports, to-do e-mails) runs beside the web server and stops with
	@# it; both build e-mailed links from PUBLIC_BASE_URL.
	export PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' LOG_JSON=0; \
	$(BIN)/flask tasks worker --workers 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: setup-test  ## Install everything the tests need, check the code with ruff, run the suite on SQLite and on PostgreSQL
	$(MAKE) lint
	$(MAKE) test-suites

# The two suites at the same time (one core each on a two-core machine), each line labelled with its database;
# fails if either fails. `make test-sqlite` or `make test-postgres` runs one alone.
test-suites:
	scripts/side-by-side sqlite '$(MAKE) --no-print-directory test-sqlite' \
		postgres '$(MAKE) --no-print-directory test-postgres'

lint:  ## ruff: lint and format check (settings in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite:
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	scripts/with-postgres $(BIN)/pytest $(PYTEST_ARGS)

# The system packages come first (order-only), so a machine that lacks them stops before anything is made.
# bin/pip marks a finished venv: a `python3 -m venv` that failed for want of ensurepip leaves .venv/bin/python
# behind without pip, and the next run must finish the job.
$(BIN)/pip: | system-deps-run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/pip
	$(BIN)/pip install -q -r requirements-test.txt
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: requirements.txt requirements-bench.txt | $(BIN)/pip
	$(BIN)/pip install -q -r requirements-bench.txt
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json | system-deps-run
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/portal.css: node_modules/.installed static/src/portal.scss static/build.mjs
	npm run --silent build

assets: static/vendor/portal.css

setup: system-deps-run $(VENV)/.installed assets

setup-test: system-deps $(VENV)/.installed-test assets

# python3-venv, Pango and fonts for `make run`; Chromium and PostgreSQL as well for `make test`. Each installs
# what is missing with apt-get (root or sudo) or stops, naming the packages and the command to install them.
system-deps-run:
	@PYTHON=$(PYTHON) scripts/install-system-deps run

system-deps:
	@PYTHON=$(PYTHON) scripts/install-system-deps test

# Every benchmark in turn, or some: make bench BENCHES="maps bulletins" BENCH_ARGS="--help"
BENCHES ?= directory_search pages maps load bulletins
bench: setup $(VENV)/.installed-bench  ## Install what the benchmarks need (aiosmtpd) and run them
	@for name in $(BENCHES); do echo "== bench/$$name.py"; $(BIN)/python -m bench.$$name $(BENCH_ARGS) || exit 1; done

db: setup  ## Apply migrations, load wards, demo data and (when present) ../shared/geo
	$(BIN)/flask db upgrade heads
	$(BIN)/flask seed reference
	$(BIN)/flask geo import-all
	$(BIN)/flask seed demo
	$(BIN)/flask directory geocode

clean:
	rm -rf $(VENV) node_modules static/vendor instance
