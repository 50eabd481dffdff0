"""Real `manage.py` processes (workers, ingests) on a database and media folder of their own.

The suite's own database is a transaction the tests roll back (and an in-memory one on
SQLite), which other processes cannot see; these tests give their processes a fresh database
instead: a SQLite file in the test's folder, or a new database in the PostgreSQL cluster the
suite runs on (DATABASE_URL), dropped afterwards.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

from tests.base import ROOT


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


class Site:
    """The project run as separate processes against one database and media folder."""

    def __init__(self, folder: Path, database_url: str):
        self.folder = folder
        self.media = folder / "media"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(self.media),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "PARSE_STARTED_FILE": str(folder / "parse-started"),
            "LOG_LEVEL": "ERROR",
        }
        self.processes: list[subprocess.Popen] = []

    def manage(self, *args, timeout=60, **env) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def python(self, code: str, **env):
        """Run `code` in a Django shell of the site; returns what it printed as JSON."""
        result = self.manage("shell", "--no-imports", "-c", code, **env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self, *args, **env) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def start_worker(self, worker_id: str, **env) -> subprocess.Popen:
        return self.start(
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--worker-id",
            worker_id,
            **env,
        )

    def wait_for_parse(self, timeout=30) -> int:
        """The id of the process that has just started a (slow) parse."""
        marker = Path(self.env["PARSE_STARTED_FILE"])
        deadline = time.monotonic() + timeout
        while not marker.exists() or not marker.read_text():
            assert time.monotonic() < deadline, "no parse started"
            time.sleep(0.05)
        return int(marker.read_text())

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def original_files(self) -> list[str]:
        sources = self.media / "sources"
        return sorted(str(p.relative_to(self.media)) for p in sources.rglob("*") if p.is_file())


@contextmanager
def database_url(folder: Path, template: str | None = None):
    """A new database for the site, a copy of `template` (the URL of one this module made) or
    empty; yields its URL and removes it afterwards."""
    if not on_postgres():
        path = folder / f"site-{uuid.uuid4().hex[:8]}.sqlite3"
        if template:
            shutil.copyfile(urlsplit(template).path, path)
        yield f"sqlite:///{path}"
        return
    import psycopg

    url = os.environ["DATABASE_URL"]
    params = dj_database_url.parse(url)
    name = f"site_{uuid.uuid4().hex[:12]}"
    server = {"host": params["HOST"], "user": params["USER"], "dbname": params["NAME"], "autocommit": True}
    if params.get("PORT"):
        server["port"] = params["PORT"]
    if params.get("PASSWORD"):
        server["password"] = params["PASSWORD"]
    copy = f' TEMPLATE "{urlsplit(template).path.lstrip("/")}"' if template else ""
    with psycopg.connect(**server) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(**server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def process_exists(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
