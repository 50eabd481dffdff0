#!/bin/sh
# Migrate, load the national list of counties and the sample disclosures (idempotent: the
# same files are saved once), then hand over to the server.
set -e
python manage.py migrate --noinput
python manage.py load_divisions
python manage.py ingest samples/*.txt
exec "$@"
