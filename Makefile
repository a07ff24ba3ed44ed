# Kinetic — the two commands of the README, and a few helpers.
#   make run   fresh machine → the app with a demo clinic at http://127.0.0.1:8000
#   make test  the whole test suite against real PostgreSQL and Redis

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# A role with a password over TCP: works with Debian's default scram-sha-256
# and with trust; scripts/ensure_services.sh creates the role when it can.
export DATABASE_URL_TEST ?= postgres://kinetic_test:kinetic_test@127.0.0.1:5432/kinetic
export REDIS_URL_TEST    ?= redis://127.0.0.1:6379/15

.PHONY: run test lint bench install install-dev migrate services backup backups restore clean

$(BIN)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Kinetic needs Python 3.11 or newer: $(PYTHON) is not installed (apt-get install python3 python3-venv)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Kinetic needs Python 3.11 or newer (found $$($(PYTHON) --version 2>&1))."; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing: apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Kinetic is starting at http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

services: $(BIN)/.installed
	@scripts/ensure_services.sh

# Starts PostgreSQL/Redis if they are stopped, and stops them again afterwards.
test: $(BIN)/.installed-dev
	@scripts/ensure_services.sh -- env DATABASE_URL=$(DATABASE_URL_TEST) REDIS_URL=$(REDIS_URL_TEST) \
	  $(BIN)/python -m pytest --create-db $(PYTEST_ARGS)

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# The scale benchmark (bench/README.md): builds BENCH_PATIENTS patients with COPY in
# the database BENCH_DATABASE_URL (every table of it is dropped first), then prints
# every ratio of issue 13 from one run on production settings. Not part of `make test`.
BENCH_PATIENTS     ?= 100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kinetic_bench100k
BENCH_REDIS_URL    ?= redis://127.0.0.1:6379/7
bench: $(BIN)/.installed-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
	  $(BIN)/python bench/run.py --generate $(BENCH_PATIENTS) $(BENCH_ARGS)

# The docker compose deployment's backups (README: "Backups and restore").
backup:
	docker compose run --rm backup once

backups:
	docker compose run --rm backup list

restore:
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=kinetic-YYYYMMDDTHHMMSSZ.dump (make backups lists them)"; exit 1; }
	docker compose stop proxy web worker beat
	docker compose run --rm backup restore "$(BACKUP)"
	docker compose up -d

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
