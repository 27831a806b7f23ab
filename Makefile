# RK-PK — the two commands a newcomer needs:
#   make run    set up, migrate, load the demo data and serve at http://127.0.0.1:8000
#   make test   the whole test suite (browser tests included)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RKPK := $(BIN)/rkpk
DEMO_PASSWORD ?= rkpk-demo-2026
export DEMO_PASSWORD
# The demo organisation `make run` loads: setneg (default) or kelautan. One database holds
# one organisation: to switch, remove db.sqlite3 first.
DEMO_ORGANISATION ?= setneg

.PHONY: run setup install system-packages test test-fast lint format bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The install is pinned by constraints.txt; re-run when either file changes.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

setup: install
	DEBUG=1 $(RKPK) migrate --noinput -v0

# A self-signed development certificate, so issued PDFs carry a real PAdES signature.
DEV_SIGNING := $(CURDIR)/var/dev-signing
run: export RKPK_SIGNING_CERT ?= $(DEV_SIGNING)/signing-cert.pem
run: export RKPK_SIGNING_KEY ?= $(DEV_SIGNING)/signing-key.pem

run: setup
	@bash scripts/install-system-packages.sh run
	@test -f $(DEV_SIGNING)/signing-key.pem || DEBUG=1 $(RKPK) make_signing_certificate --out $(DEV_SIGNING) -v0
	DEBUG=1 $(RKPK) seed_demo --organisation $(DEMO_ORGANISATION)
	@echo ""
	@echo "  RK-PK runs at http://127.0.0.1:8000"
	@echo "  Demo accounts: admin staf kabag karo deputi menteri biroumum operator1 operator2 kaunit1 pengawas"
	@echo "  Demo password: $(DEMO_PASSWORD)"
	@echo ""
	@DEBUG=1 RKPK=$(RKPK) exec bash scripts/run-dev.sh

# Debian packages the tests need (Chromium for the browser tests, fonts, pango for PDFs).
system-packages:
	@bash scripts/install-system-packages.sh test

test: install system-packages
	RKPK_TESTING=1 $(BIN)/pytest -p xdist -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench
	$(BIN)/python -m bench.plan_import
	$(BIN)/python -m bench.plan_pdf
	$(BIN)/python -m bench.plan_page
	$(BIN)/python -m bench.monitoring_board
	$(BIN)/python -m bench.memo_pdf
	$(BIN)/python -m bench.dispatch
	$(BIN)/python -m bench.mapping
	$(BIN)/python -m bench.mapping.accuracy
	$(BIN)/python -m bench.compile_plans
	$(BIN)/python -m bench.final_pk
	$(BIN)/python -m bench.dashboard
	$(BIN)/python -m bench.whole_cycle

# The load benchmark: gunicorn, PostgreSQL and wrk (README, "Load benchmark"). Drops and
# recreates the database $RKPK_LOAD_DATABASE_URL (default postgres://…/rkpk_load).
.PHONY: bench-load
bench-load: install
	@bash scripts/install-system-packages.sh bench
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)

messages: install
	cd rkpk && DEBUG=1 ../$(RKPK) makemessages -l id --no-obsolete -i "static/*" && DEBUG=1 ../$(RKPK) compilemessages -l id

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media
