# Two commands for a fresh clone: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL := $(or $(TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)

.PHONY: run test setup setup-dev lint typecheck format pytest-sqlite pytest-postgres clean

$(VENV)/.stamp-runtime: pyproject.toml constraints.txt
	@python_bin=$$(scripts/find-python.sh) || exit 1; \
	  [ -x $(PY) ] || "$$python_bin" -m venv $(VENV)
	@# The pip bundled with an early 3.12 (23.2) misreads extras spelled with "_" (PEP 685,
	@# fixed in pip 23.3) and silently leaves packages out; bring the venv's pip up first.
	$(PY) -m pip install --quiet --disable-pip-version-check "pip>=24.2"
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $@

setup: $(VENV)/.stamp-runtime
setup-dev: $(VENV)/.stamp-dev

run: setup
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@# Captures, extractions and report files left "running" by a worker killed last time
	@# (none runs yet, so every one of them is abandoned): mark them interrupted, retryable.
	DEBUG=1 $(PY) manage.py interrupt_stale_jobs --no-worker
	@echo "Serving on http://127.0.0.1:$(PORT)/ with the capture worker (Ctrl-C stops both)"
	@# The task worker runs in the background for as long as the server does; the trap stops
	@# it however runserver ends (Ctrl-C, a crash, a port already in use).
	DEBUG=1 $(PY) manage.py db_worker --no-reload --interval 0.5 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs over the domain modules listed in pyproject.toml. The plugin loads
# the settings, which insist on a SECRET_KEY unless DEBUG is on.
typecheck: setup-dev
	DEBUG=1 $(PY) -m mypy

format: setup-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

pytest-sqlite: setup-dev
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest

pytest-postgres: setup-dev
	@if [ -n "$$TEST_DATABASE_URL" ] || $(PY) scripts/port-open.py 127.0.0.1 5432; then \
	  echo "== Test suite on PostgreSQL ($(PG_URL)) =="; \
	  DATABASE_URL="$(PG_URL)" $(PY) -m pytest; \
	elif [ "$$CI" = "true" ]; then \
	  echo "error: CI=true but no PostgreSQL at 127.0.0.1:5432 and TEST_DATABASE_URL is unset" >&2; exit 1; \
	else \
	  echo "== SKIPPED: PostgreSQL half (no server on 127.0.0.1:5432; set TEST_DATABASE_URL) =="; \
	fi

test: lint typecheck pytest-sqlite pytest-postgres

clean:
	rm -rf $(VENV) var

# Benchmarks (not part of `make test`): loopback only, bounded in time; see README "Benchmarks".
.PHONY: bench-web bench-load
bench-web: setup
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) benchmarks/web.py

bench-load: setup
	$(PY) benchmarks/load.py
