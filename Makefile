# complaintdesk — the README's commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: demo test test-postgres lint bench messages screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: create the venv, migrate ./var/, load the demo organisation, serve web + worker on :8000
demo: $(STAMP)
	$(BIN)/complaintdesk demo --port $(PORT)

## test: create the venv and run the whole suite (SQLite; DATABASE_URL=postgres://… for PostgreSQL)
##       PYTEST_ARGS passes more to pytest (.ci/run: -m "not browser" for the PostgreSQL half, decision 0012)
PYTEST_ARGS ?=
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## test-postgres: the whole suite against the PostgreSQL server on 127.0.0.1:5432
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/complaintdesk} $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## lint: ruff, mypy and the import contract (.importlinter: the floors of DESIGN.md rule 13)
lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: side by side with django-helpdesk on PostgreSQL at 1,000,000 complaints (11–13 min here); the table goes to
##        docs/performance.md. BENCH_ARGS=--quick: 100,000 complaints, for development. CI never runs it.
BENCH_ARGS ?=
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q wrk)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## screenshots: the main pages at 1440 and 390 px in Chinese and English into docs/screenshots/ (a demo
##              database of its own in a temporary folder; Chromium at /usr/bin/chromium)
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

## messages: refresh the translation catalogues and compile them
messages: $(STAMP)
	cd src/complaintdesk && ../../$(BIN)/complaintdesk manage makemessages -l zh_Hans -l en --no-obsolete
	cd src/complaintdesk && ../../$(BIN)/complaintdesk manage compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
