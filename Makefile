# GRU — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := gru.settings

.PHONY: run test lint format install install-dev browser postgres-connections messages messages-update messages-check clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The OpenID provider the FranceConnect tests start (Node.js package oidc-provider).
tests/oidc_provider/node_modules/.installed: tests/oidc_provider/package.json tests/oidc_provider/package-lock.json
	npm ci --prefix tests/oidc_provider --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed messages
install-dev: $(VENV)/.installed-dev node_modules/.installed tests/oidc_provider/node_modules/.installed messages

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium is missing: install it with 'sudo apt-get install chromium'."; exit 1; fi; }

messages:
	@command -v msgfmt >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else echo "gettext is missing: install it with 'sudo apt-get install gettext'."; exit 1; fi; }
	$(PY) manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v 0

run: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py prepare_services
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input -v 0
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-true} PORT=$(PORT) bin/run

test: install-dev browser postgres-connections
	$(VENV)/bin/pytest -n auto

# The booking races open 100 connections at once (tests/appointments/test_concurrency.py): a local PostgreSQL that
# allows fewer is given more (when run as root: ALTER SYSTEM, then a restart), otherwise we say what to do.
PG_CONNECTIONS := 300
postgres-connections:
	@current=$$(psql -h 127.0.0.1 -U postgres -tAc 'show max_connections' 2>/dev/null || echo 0); \
	if [ "$$current" -lt $(PG_CONNECTIONS) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then \
			psql -h 127.0.0.1 -U postgres -qc "ALTER SYSTEM SET max_connections = $(PG_CONNECTIONS)" \
			&& pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main restart; \
		else echo "PostgreSQL allows $$current connections, the tests need $(PG_CONNECTIONS):" \
			"ALTER SYSTEM SET max_connections = $(PG_CONNECTIONS); then restart PostgreSQL."; exit 1; fi; \
	fi

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint templates --check
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/mypy
	$(MAKE) --no-print-directory messages-check

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint templates --reformat

clean:
	rm -rf $(VENV) node_modules staticfiles

# Regenerate the French catalogue from the code (then translate what is new in locale/fr/LC_MESSAGES/django.po).
messages-update: install-dev
	$(PY) manage.py makemessages -l fr --no-location --no-obsolete -v 0 \
		--ignore='.venv/*' --ignore='node_modules/*' --ignore='tests/*' --ignore='staticfiles/*'

# The catalogue must list every string of the code: regenerate it and fail if it changed.
messages-check: messages-update
	git diff --exit-code -I '^"POT-Creation-Date' -- locale/
