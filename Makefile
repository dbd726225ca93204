# GRU — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := gru.settings

.PHONY: run test lint format install install-dev system-run system-test system-bench postgres-connections messages messages-update messages-check audit upgrade bench clean

# Python packages come from uv.lock only (exact versions and hashes); uv itself is pinned in requirements-uv.txt.
UV := .uv/bin/uv
export UV_PYTHON := python3
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

$(UV): requirements-uv.txt
	python3 -m venv .uv
	.uv/bin/pip install --quiet --require-hashes --no-deps -r requirements-uv.txt
	touch $@

# make run: the locked runtime packages (--inexact keeps the development tools of an earlier make test).
$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --no-dev --inexact --quiet
	touch $@

# make test / make lint: exactly the locked set, development tools included.
$(VENV)/.installed-dev: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --quiet
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The OpenID provider the FranceConnect tests start (Node.js package oidc-provider).
tests/oidc_provider/node_modules/.installed: tests/oidc_provider/package.json tests/oidc_provider/package-lock.json
	npm ci --prefix tests/oidc_provider --no-audit --no-fund --loglevel=error
	touch $@

install: system-run $(VENV)/.installed node_modules/.installed messages
install-dev: system-test $(VENV)/.installed-dev node_modules/.installed tests/oidc_provider/node_modules/.installed messages

# Debian packages (bin/system-packages installs the missing ones when run as root, or says which to install).
system-run system-test system-bench: system-%:
	@bin/system-packages $*

messages:
	$(PY) manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v 0

run: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py prepare_services
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input -v 0
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-true} PORT=$(PORT) bin/run

test: install-dev postgres-connections
	$(VENV)/bin/pytest -n auto

# Refresh uv.lock (and uv itself) to the newest releases the floors of pyproject.toml allow, then run the tests and
# the linters: run it on purpose (a monthly upgrade, a security release), and commit the new lock on its own.
upgrade: | $(UV)
	$(UV) lock --upgrade
	echo "uv" | $(UV) pip compile - --generate-hashes --universal --no-header --quiet -o requirements-uv.new
	{ sed -n '1,2p' requirements-uv.txt; cat requirements-uv.new; } > requirements-uv.txt && rm requirements-uv.new
	rm -f $(VENV)/.installed $(VENV)/.installed-dev
	$(MAKE) --no-print-directory test lint

# Known vulnerabilities of the locked packages (bin/audit says plainly when the advisories could not be read).
audit: install-dev
	$(UV) export --frozen --format requirements-txt --no-emit-project --quiet > $(VENV)/locked-requirements.txt
	$(PY) bin/audit $(VENV)/locked-requirements.txt

# The benchmarks of bench/README.md (they need wrk).
bench: install-dev system-bench
	$(PY) bench/run.py

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
	$(UV) lock --check --quiet
	$(PY) manage.py makemigrations --check --dry-run
	PY=$(PY) bin/check-deploy
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint templates --check
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(MAKE) --no-print-directory messages-check audit

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint templates --reformat

clean:
	rm -rf $(VENV) .uv node_modules staticfiles

# Regenerate the French catalogue from the code (then translate what is new in locale/fr/LC_MESSAGES/django.po).
messages-update: install-dev
	$(PY) manage.py makemessages -l fr --no-location --no-obsolete -v 0 \
		--ignore='.venv/*' --ignore='node_modules/*' --ignore='tests/*' --ignore='staticfiles/*'

# The catalogue must list every string of the code: regenerate it and fail if it changed.
messages-check: messages-update
	git diff --exit-code -I '^"POT-Creation-Date' -- locale/
