from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sulieu.config import data_dir, database_config, env_bool, env_int, secret_key

ROOT = Path(__file__).resolve().parents[2]
SULIEU = [sys.executable, "-m", "sulieu.cli"]


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    full_env.update(env)
    return subprocess.run([*SULIEU, *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300)


def test_env_helpers_refuse_bad_values(monkeypatch):
    monkeypatch.setenv("SULIEU_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SULIEU_X"):
        env_bool("SULIEU_X")
    monkeypatch.setenv("SULIEU_X", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("SULIEU_X", 1)
    monkeypatch.setenv("SULIEU_X", "off")
    assert env_bool("SULIEU_X", True) is False


def test_secret_key_is_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SULIEU_SECRET_KEY", raising=False)
    monkeypatch.delenv("SULIEU_SECRET_KEY_FILE", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50 and secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_unwritable_data_dir_is_one_clear_message(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SULIEU_DATA_DIR", str(blocker / "var"))
    with pytest.raises(ImproperlyConfigured, match="cannot be written"):
        data_dir()


def test_bad_database_url_scheme_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "mysql://u:p@localhost/db")
    with pytest.raises(ImproperlyConfigured, match="supports postgres"):
        database_config(tmp_path)


def test_cli_reports_unreachable_database_without_traceback(tmp_path):
    result = run_cli("orgs-load", "Khánh Hòa", env={
        "SULIEU_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://nobody:secret@127.0.0.1:1/none"})
    assert result.returncode == 2
    assert "cannot use the database postgres://nobody:***@127.0.0.1:1/none" in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr


def test_cli_reports_unwritable_data_dir(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("demo", env={"SULIEU_DATA_DIR": str(blocker / "var")})
    assert result.returncode == 2 and "cannot be written" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_creates_and_migrates_a_fresh_data_dir_and_keeps_them_apart(tmp_path, template):
    from interop.tests.procs import migrated_copy

    one = tmp_path / "one"
    two = migrated_copy(template, tmp_path / "two")  # a second fresh migrate would show nothing new
    help_result = run_cli("--help", env={"SULIEU_DATA_DIR": str(one)})
    assert help_result.returncode == 0
    for name in ("demo", "serve", "worker", "createadmin"):
        assert f"  {name} " in help_result.stdout
    made = run_cli("createadmin", "boss", env={"SULIEU_DATA_DIR": str(one),
                                                "SULIEU_ADMIN_PASSWORD": "a-long-enough-password-77"})
    assert made.returncode == 0, made.stderr
    assert (one / "sulieu.sqlite3").exists() and (one / "secret_key").exists()
    weak = run_cli("createadmin", "boss2", env={"SULIEU_DATA_DIR": str(two), "SULIEU_ADMIN_PASSWORD": "123"})
    assert weak.returncode != 0 and "password" in weak.stderr.lower()
    assert (one / "secret_key").read_text() != (two / "secret_key").read_text()
    check = run_cli("manage", "shell", "-c",
                    "from django.contrib.auth.models import User; print(User.objects.filter(username='boss').count())",
                    env={"SULIEU_DATA_DIR": str(two)})
    assert check.stdout.strip().splitlines()[-1] == "0"
