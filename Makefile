# Kinetic — the two commands of the README, and a few helpers.
#   make run   fresh machine → the app with a demo clinic at http://127.0.0.1:8000
#   make test  the whole test suite against real PostgreSQL and Redis

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export DATABASE_URL_TEST ?= postgres://postgres@127.0.0.1:5432/kinetic
export REDIS_URL_TEST    ?= redis://127.0.0.1:6379/15

.PHONY: run test lint install install-dev migrate services clean

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Kinetic needs Python 3.11 or newer (found $$($(PYTHON) --version 2>&1))."; exit 1; }
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

services:
	@scripts/ensure_services.sh

test: $(BIN)/.installed-dev services
	DATABASE_URL=$(DATABASE_URL_TEST) REDIS_URL=$(REDIS_URL_TEST) $(BIN)/python -m pytest --create-db $(PYTEST_ARGS)

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
