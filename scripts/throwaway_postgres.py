#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster, then remove the cluster.

    python scripts/throwaway_postgres.py -- pytest

initdb writes a new cluster into a temporary folder (as an unprivileged user when run as
root, because PostgreSQL refuses to run as root), the server listens only on a unix
socket inside that folder, and the command runs with DATABASE_URL pointing at it. Where
no PostgreSQL binaries are installed it says so loudly and exits 0, so that the SQLite
run still counts but nobody mistakes the missing run for a passing one.
"""

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import quote


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return candidates[-1] if candidates else None


def unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise SystemExit(
        "throwaway_postgres: running as root and no 'postgres' or 'nobody' user to run the server as"
    )


def as_user(user):
    if user is None:
        return None

    def demote():
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    return demote


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        raise SystemExit("usage: throwaway_postgres.py -- COMMAND [ARGS…]")
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not (initdb and pg_ctl):
        banner = "=" * 72
        print(
            f"{banner}\nSKIPPED: the PostgreSQL test run did not happen: no initdb/pg_ctl on this machine.\n"
            f"Install PostgreSQL (Debian: apt-get install postgresql) to run it.\n{banner}",
            flush=True,
        )
        return 0
    user = unprivileged_user()
    root = tempfile.mkdtemp(prefix="pgtest-")
    data = os.path.join(root, "data")
    if user:
        os.chown(root, user.pw_uid, user.pw_gid)
    quiet = {"stdout": subprocess.DEVNULL, "preexec_fn": as_user(user)}
    try:
        subprocess.run(
            [initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"],
            check=True,
            **quiet,
        )
        options = f"-k {root} -c listen_addresses='' -F -c fsync=off -c full_page_writes=off"
        # More server settings, e.g. "shared_buffers=1GB work_mem=32MB" (make bench-scale).
        options += "".join(
            f" -c {setting}" for setting in os.environ.get("THROWAWAY_PG_SETTINGS", "").split()
        )
        subprocess.run(
            [pg_ctl, "-D", data, "-o", options, "-l", os.path.join(root, "server.log"), "-w", "start"],
            check=True,
            **quiet,
        )
        try:
            env = dict(os.environ, DATABASE_URL=f"postgres://postgres@{quote(root, safe='')}/postgres")
            print(f"PostgreSQL run: throwaway cluster in {root}", flush=True)
            return subprocess.run(command, env=env).returncode
        finally:
            subprocess.run([pg_ctl, "-D", data, "-m", "fast", "-w", "stop"], **quiet)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
