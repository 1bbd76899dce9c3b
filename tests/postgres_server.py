"""A throwaway PostgreSQL server for the store's tests: a new cluster in a temporary folder.

Found through PATH or Debian's /usr/lib/postgresql/<version>/bin; when neither has one, the
tests that need it skip and say so. As root (CI), the server runs as the `postgres` user,
since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

DEBIAN_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
USER = "catalogsvc"


def postgres_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None where PostgreSQL is not installed."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    return next((d for d in DEBIAN_BIN_DIRS if (d / "initdb").exists()), None)


class PostgresServer:
    """One cluster on a free local port, trusting local connections; a database per test."""

    def __init__(self) -> None:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            pytest.skip("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql)")
        self._bin = bin_dir
        # Not under pytest's tmp_path: its parents are private to root, and so unreachable
        # for the postgres user.
        self._folder = Path(tempfile.mkdtemp(prefix="catalogsvc-postgres-"))
        folder = self._folder
        self._data = folder / "data"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(folder, "postgres")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._run("initdb", "-D", str(self._data), "-U", USER, "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {folder} -h 127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self._data), "-o", options, "-l", str(folder / "log"), "-w", "start"
        )
        self._admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        self._names = itertools.count()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        name = f"test_{next(self._names)}"
        with self._admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        return self.url(name)

    def stop(self) -> None:
        self._admin.dispose()
        self._run("pg_ctl", "-D", str(self._data), "-m", "immediate", "stop")
        shutil.rmtree(self._folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self._bin / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")
