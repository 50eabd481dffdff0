#!/bin/sh
# `make run`: the background worker that parses uploaded disclosures (manage.py db_worker)
# alongside the development server; the worker is stopped when the server exits.
# Usage: scripts/run_dev.sh PYTHON PORT
PY=${1:-.venv/bin/python}
PORT=${2:-8000}

"$PY" manage.py db_worker &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null; wait "$WORKER" 2>/dev/null' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$PY" manage.py runserver "127.0.0.1:$PORT"
