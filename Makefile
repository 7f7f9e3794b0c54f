# Set-up and everyday commands. Every step is skipped when already done, so a
# second `make test` starts testing within seconds.
SHELL := /bin/bash
# Debian's own Python 3.11 first: it is built with profile-guided and link-time
# optimisation, and lays a book out 1.4 times as fast as a plain source build.
DISTRO_PYTHON := $(shell /usr/bin/python3.11 -c 'import ensurepip' 2>/dev/null && echo /usr/bin/python3.11)
PYTHON ?= $(or $(DISTRO_PYTHON),$(shell command -v python3.11 || echo /usr/bin/python3))
VENV := .venv
PY := $(VENV)/bin/python

# What the app needs at run time (WeasyPrint's Pango, HarfBuzz subsetting so
# CJK fonts are subset in C, the Noto CJK fonts, and LibreOffice's Writer
# without a GUI to convert .doc and .wps uploads), and what the tests add.
APP_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
	libreoffice-writer-nogui
# Backups of PostgreSQL use its pg_dump, pg_restore and psql.
APP_PACKAGES += $(if $(filter postgres%,$(DATABASE_URL)),postgresql-client)
TEST_PACKAGES := chromium poppler-utils qpdf postgresql-client

# `make run` is the development server: DEBUG on, plain http on 127.0.0.1.
RUN_ENV := DEBUG=$${DEBUG:-1}

# `make serve` is production: DEBUG off, gunicorn, the secret key of
# SECRET_KEY or else kept in var/secret_key (made once), static files
# collected for WhiteNoise. The task worker runs niced: laying out books
# after approvals never holds up a page.
SERVE_ENV := DEBUG=0 HTTPS=$${HTTPS:-0} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
	SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)}

.PHONY: run serve test lint format bench loadtest setup setup-test system system-test assets migrate demo clean

# A background worker runs beside the server (printing after approval) and
# stops with it.
run: setup migrate demo
	$(RUN_ENV) $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Plain http on 127.0.0.1 unless told otherwise: behind nginx with HTTPS, set
# HTTPS=1 BEHIND_PROXY=1 BIND=127.0.0.1:8000 ALLOWED_HOSTS=the.host.name.
serve: setup var/secret_key
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py load_library
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(SERVE_ENV) nice -n 10 $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(SERVE_ENV) $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py --workers $${WORKERS:-4} \
		--bind $${BIND:-127.0.0.1:8000} --timeout 60 --access-logfile -

var/secret_key:
	mkdir -p var
	umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

setup: system $(VENV)/.installed-runtime assets
setup-test: system-test $(VENV)/.installed-dev assets

system:
	@scripts/ensure-system-packages.sh $(APP_PACKAGES)

system-test:
	@scripts/ensure-system-packages.sh $(APP_PACKAGES) $(TEST_PACKAGES)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The indicator library's seed is loaded again after each migrate: new and
# corrected entries arrive, curated ones stay as they are.
migrate:
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_library

demo:
	$(RUN_ENV) $(PY) manage.py load_demo

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache

# Speed and memory figures (printed, not asserted), on a throwaway SQLite
# database; then the parts measured on PostgreSQL too, in a throwaway
# database on BENCH_POSTGRES (the local server by default) when it answers.
BENCH_POSTGRES ?= postgres://root@127.0.0.1:5432
POSTGRES_PARTS := suggestions desk copies
bench: setup
	$(PY) scripts/bench.py
	@if $(PY) -c "import psycopg; psycopg.connect('$(BENCH_POSTGRES)/postgres').close()" 2>/dev/null; \
	then BENCH_POSTGRES=$(BENCH_POSTGRES) $(PY) scripts/bench.py $(POSTGRES_PARTS); \
	else echo "no PostgreSQL at $(BENCH_POSTGRES): its figures skipped"; fi

# 20 users on gunicorn and PostgreSQL (LOADTEST_POSTGRES, the local server by
# default) for 60 s a run, on 127.0.0.1 only; stopped after 15 minutes at most.
loadtest: setup
	timeout 900 $(PY) scripts/loadtest.py
