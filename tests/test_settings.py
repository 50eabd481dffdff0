import subprocess
import sys

from tests.base import ROOT


def _database_settings(env_extra):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin", **env_extra}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_sqlite_is_the_default_database():
    assert _database_settings({}) == "django.db.backends.sqlite3"


def test_database_url_switches_to_postgresql():
    assert (
        _database_settings({"DATABASE_URL": "postgres://u:p@db:5432/budgets"})
        == "django.db.backends.postgresql"
    )


def test_migrations_match_the_models():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_database_in_use_is_the_one_database_url_names(db):
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_the_system_checks_of_the_database_in_use_find_nothing(db):
    """What `migrate` prints before it runs (`make run` on SQLite): no warning a user cannot act
    on, such as SQLite having no INCLUDE columns for the PostgreSQL indexes."""
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("check", database=["default"], stdout=out, stderr=err)
    assert out.getvalue().startswith("System check identified no issues") and err.getvalue() == ""
