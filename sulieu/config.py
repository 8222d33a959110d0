"""Strict environment helpers and the data directory.

Everything the platform stores (database, files, secret key, logs) lives in one data directory:
``var/`` beside the code, or the directory named by ``SULIEU_DATA_DIR``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if minimum is not None and not value >= minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is below {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def data_dir() -> Path:
    """The data directory, created if missing; a clear error if it cannot be written."""
    raw = os.environ.get("SULIEU_DATA_DIR")
    path = Path(raw).expanduser() if raw else BASE_DIR / "var"
    path = path.resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"The data directory {path} cannot be written ({exc.strerror or exc}). "
            "Set SULIEU_DATA_DIR to a writable directory."
        ) from None
    for sub in ("files", "logs", "static", "tmp"):
        (path / sub).mkdir(exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """SECRET_KEY from the environment, a *_FILE, or generated once into the data directory."""
    if os.environ.get("SULIEU_SECRET_KEY"):
        return os.environ["SULIEU_SECRET_KEY"]
    key_file = os.environ.get("SULIEU_SECRET_KEY_FILE")
    path = Path(key_file) if key_file else directory / "secret_key"
    if path.exists():
        return path.read_text().strip()
    if key_file:
        raise ImproperlyConfigured(f"SULIEU_SECRET_KEY_FILE={key_file} does not exist")
    key = secrets.token_urlsafe(50)
    # Written with 0600 so that other local users cannot forge sessions.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def database_config(directory: Path, variable: str = "DATABASE_URL", url: str | None = None) -> dict[str, Any]:
    """DATABASES['default']: DATABASE_URL (or ``url``) when set, else SQLite (WAL) in the data directory."""
    url = (os.environ.get(variable, "") if url is None else url).strip()
    if url:
        import dj_database_url

        try:
            config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except Exception as exc:  # dj_database_url raises several types for bad URLs
            raise ImproperlyConfigured(f"{variable} is not a valid database URL: {exc}") from None
        if config.get("ENGINE") not in {
            "django.db.backends.postgresql",
            "django.db.backends.sqlite3",
        }:
            raise ImproperlyConfigured(
                f"{variable} uses {config.get('ENGINE')}; sulieu supports postgres:// and sqlite://"
            )
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {}).update(_sqlite_options())
        return dict(config)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(directory / "sulieu.sqlite3"),
        "OPTIONS": _sqlite_options(),
    }


def replica_config(directory: Path, url: str) -> dict[str, Any] | None:
    """DATABASES['replica'] from SULIEU_REPLICA_DATABASE_URL (a streaming replica of the primary), or None.

    Its test database mirrors the default one, so tests that route reads there see the same rows."""
    if not url.strip():
        return None
    config = database_config(directory, "SULIEU_REPLICA_DATABASE_URL", url)
    config["TEST"] = {"MIRROR": "default"}
    return config


def _sqlite_options() -> dict[str, Any]:
    return {
        # WAL lets the web server read while a worker writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
