"""Helpers for tests that run sulieu as real processes, each instance in its own data directory."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _ports() -> range:
    """The SQLite run and the PostgreSQL run of the suite go at the same time: each has its own port range."""
    return range(8760, 8810) if on_postgres() else range(8710, 8760)


def free_port() -> int:
    ports = _ports()
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in %d-%d" % (ports[0], ports[-1]))


def env_for(data_dir: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    drop = {"DATABASE_URL", "SULIEU_TASKS_IMMEDIATE", "SULIEU_SECRET_KEY", "SULIEU_SECRET_KEY_FILE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(SULIEU_DATA_DIR=str(data_dir), **extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def sulieu(env: dict[str, str], *args: str, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "sulieu.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check:
        assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-3000:])
    return done


def django_run(env: dict[str, str], code: str) -> str:
    script = "import django; django.setup()\n" + code
    done = subprocess.run([sys.executable, "-c", script], env={**env, "DJANGO_SETTINGS_MODULE": "sulieu.settings"},
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def migrated_copy(template: Path, data_dir: Path) -> Path:
    """A new SQLite data directory whose database is a copy of an already migrated one (saves a migrate)."""
    data_dir.mkdir(parents=True)
    shutil.copy(template / "sulieu.sqlite3", data_dir / "sulieu.sqlite3")
    return data_dir


class Server:
    """`sulieu serve` on loopback, in its own process group (stopped with it, never by name)."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env = {**env, "SULIEU_BASE_URL": "http://127.0.0.1:%d" % port}
        self.port = port
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self.port

    @property
    def oai(self) -> str:
        return self.url + "/oai"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sulieu.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", "1", "--no-worker"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.proc.stderr.read().decode()[-2000:]
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("the server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None


def on_postgres() -> bool:
    """True on the PostgreSQL run of the suite (scripts/with-postgres.sh sets DATABASE_URL)."""
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def pg_url(name: str) -> str:
    """The URL of database ``name`` on the cluster of this run."""
    return re.sub(r"/[^/?]*(\?|$)", "/%s\\1" % name, os.environ["DATABASE_URL"], count=1)


def pg_create(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute('CREATE DATABASE "%s"' % name)


def pg_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
