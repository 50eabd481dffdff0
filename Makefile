# The whole set-up is `make run` and `make test` (see README.md).
PYTHON ?= python3
PY := .venv/bin/python
PORT ?= 8000

.PHONY: install static run test test-sqlite test-postgres lint format bench bench-scale load fuzz browser system clean messages screenshots

install: .venv/.installed node_modules/.installed

.venv/.installed: requirements.lock
	$(PYTHON) -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: static
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_divisions
	$(PY) manage.py ingest samples/*.txt
	DEBUG=$${DEBUG:-1} scripts/run_dev.sh $(PY) $(PORT)

browser:
	@scripts/ensure_chromium.sh

system:
	@scripts/ensure_system_packages.sh

test: static browser system test-sqlite test-postgres

test-sqlite: install
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest -n 2 --durations=15

test-postgres: install
	@echo "== tests on a throwaway PostgreSQL =="
	$(PY) scripts/throwaway_postgres.py -- $(PY) -m pytest -n 2 --durations=15

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Parse times; bulk ingest in documents per minute (--jobs 1 and 2, SQLite); the CSV export by
# COPY and row by row on a throwaway PostgreSQL. Each writes its section of docs/benchmarks.md.
bench: install
	$(PY) scripts/bench.py
	$(PY) scripts/bench_ingest.py
	$(PY) scripts/throwaway_postgres.py -- $(PY) scripts/bench_export.py

# A long fuzz campaign (FUZZ_INPUTS, default 10,000) over the readers, the parser and the database:
# SQLite, and PostgreSQL too where DATABASE_URL names one. Writes its section of docs/benchmarks.md.
fuzz: install
	$(PY) scripts/fuzz.py

# 20 clients for 60 s against gunicorn (2 workers) on a throwaway PostgreSQL, on 127.0.0.1 only;
# not part of `make test`. Writes its section of docs/benchmarks.md.
load: static
	$(PY) scripts/throwaway_postgres.py -- $(PY) scripts/load.py

# Every page type at the size of the country on a throwaway PostgreSQL (SCALE=0.1: a tenth of its
# counties), or DB=sqlite (SCALE 0.05 by default); not part of `make test`. Writes its section of
# docs/benchmarks.md.
bench-scale: static
	DB=$(DB) SCALE=$(SCALE) $(PY) scripts/bench_scale.py

# Every screenshot of README.md made again in docs/screenshots/, from the samples and one PDF
# rendition, on a temporary database, media folder and server (never db.sqlite3); Debian's chromium
# takes them and LibreOffice renders the PDF. Not part of `make test`.
screenshots: static browser system
	$(PY) scripts/screenshots.py

clean:
	rm -rf .venv node_modules staticfiles db.sqlite3 media

messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-wrap --no-location --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=test-artifacts
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv
