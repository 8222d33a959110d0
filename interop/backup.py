"""``sulieu backup`` / ``sulieu restore``: the database, the file store and the secret key in one tar file.

The database is copied first and consistently (SQLite's online backup API, or ``pg_dump`` in its
custom format), then the file store. Files stored while the backup runs are either in it or
harmless orphans (``sulieu fixity`` lists them); a row never points to a file the backup lacks,
because objects are written before their rows (archive.storage). Restore goes into an empty data
directory (no tables, no stored objects) with the same kind of database, then migrates: a backup made
by an earlier release comes back on the current code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = "sulieu-backup"
VERSION = 1
SKIP_DIRS = {"tmp"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in one line."""


@dataclass
class BackupSummary:
    path: str
    engine: str
    files: int
    bytes: int

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "engine": self.engine, "files": self.files, "bytes": self.bytes}


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, args + ["-d", str(db["NAME"])]


def _dump_database(workdir: Path) -> Path:
    if _engine() == "sqlite":
        target = workdir / "database.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        try:
            dest = sqlite3.connect(str(target))
            with dest:
                source.backup(dest)
            dest.close()
        finally:
            source.close()
        return target
    target = workdir / "database.pgdump"
    env, args = _pg_env_args()
    done = subprocess.run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(target), *args], env=env,
                          capture_output=True, text=True, timeout=6 * 3600)
    if done.returncode != 0:
        raise BackupError("pg_dump failed: %s" % (done.stderr.strip().splitlines() or ["?"])[-1])
    return target


def _migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _secret_key_bytes() -> bytes:
    return str(settings.SECRET_KEY).encode("utf-8")


def backup(target: Path, *, progress: Callable[[str], None] | None = None) -> BackupSummary:
    say = progress or (lambda _m: None)
    target = target.resolve()
    if target.is_dir():
        raise BackupError("%s is a directory; give a file name such as sulieu-backup.tar.gz" % target)
    if not target.parent.is_dir():
        raise BackupError("the directory %s does not exist" % target.parent)
    files_root = Path(settings.FILES_ROOT)
    mode = "w:gz" if target.name.endswith((".gz", ".tgz")) else "w"
    tmp_target = target.with_name(".%s.partial" % target.name)
    count = size = 0
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        say("database…")
        dump = _dump_database(Path(tmp))
        digest = hashlib.sha256(dump.read_bytes()).hexdigest()
        manifest = {
            "format": FORMAT, "version": VERSION, "engine": _engine(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sulieu_version": _sulieu_version(), "migrations": _migrations(),
            "database": {"name": dump.name, "sha256": digest},
        }
        with tarfile.open(tmp_target, mode) as tar:
            tar.add(dump, arcname=dump.name)
            info = tarfile.TarInfo("secret_key")
            key = _secret_key_bytes()
            info.size, info.mode = len(key), 0o600
            tar.addfile(info, io.BytesIO(key))
            say("files…")
            if files_root.exists():
                for path in sorted(files_root.rglob("*")):
                    rel = path.relative_to(files_root)
                    if rel.parts[0] in SKIP_DIRS or not path.is_file():
                        continue
                    tar.add(path, arcname="files/" + rel.as_posix(), recursive=False)
                    count += 1
                    size += path.stat().st_size
                    if count % 1000 == 0:
                        say("files: %d" % count)
            manifest["files"] = {"count": count, "bytes": size}
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    os.replace(tmp_target, target)
    return BackupSummary(path=str(target), engine=manifest["engine"], files=count, bytes=size)


def _sulieu_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sulieu")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember("manifest.json")
        manifest = json.loads(tar.extractfile(member).read())  # type: ignore[union-attr]
    except (KeyError, ValueError, AttributeError):
        raise BackupError("not a sulieu backup (no readable manifest.json)") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("not a sulieu backup (format %r)" % manifest.get("format"))
    if int(manifest.get("version", 0)) > VERSION:
        raise BackupError("this backup was made by a newer sulieu (format version %s)" % manifest.get("version"))
    return manifest


def _database_empty() -> bool:
    if _engine() == "sqlite":
        name = Path(str(settings.DATABASES["default"]["NAME"]))
        if not name.exists() or name.stat().st_size == 0:
            return True
        with sqlite3.connect(str(name)) as conn:
            return conn.execute("select count(*) from sqlite_master where type='table'").fetchone()[0] == 0
    with connection.cursor() as cursor:
        cursor.execute("select count(*) from information_schema.tables where table_schema = current_schema()")
        return cursor.fetchone()[0] == 0


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = member.name
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError("the backup holds an unsafe path: %r" % name[:200])
        members.append(member)
    return members


def restore(source: Path, *, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    say = progress or (lambda _m: None)
    if not source.is_file():
        raise BackupError("no backup file at %s" % source)
    try:
        tar = tarfile.open(source, "r:*")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError("%s is not a readable backup: %s" % (source, exc)) from None
    with tar:
        manifest = _read_manifest(tar)
        members = _safe_members(tar)
        if manifest["engine"] != _engine():
            raise BackupError("the backup holds a %s database but this data directory uses %s; set DATABASE_URL "
                              "accordingly" % (manifest["engine"], _engine()))
        files_root = Path(settings.FILES_ROOT)
        objects = files_root / "objects"
        if not _database_empty() or (objects.exists() and any(objects.iterdir())):
            raise BackupError("restore goes into an empty data directory; %s already holds an archive"
                              % settings.DATA_DIR)
        with tempfile.TemporaryDirectory(dir=settings.DATA_DIR) as tmp:
            db_name = manifest["database"]["name"]
            say("database…")
            tar.extract(db_name, path=tmp, filter="data")
            dump = Path(tmp) / db_name
            if hashlib.sha256(dump.read_bytes()).hexdigest() != manifest["database"]["sha256"]:
                raise BackupError("the database in the backup is damaged (checksum mismatch)")
            _load_database(dump)
            say("files…")
            count = 0
            for member in members:
                if member.name.startswith("files/") and member.isfile():
                    rel = member.name[len("files/"):]
                    dest = files_root / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as src, open(dest, "wb") as out:  # type: ignore[union-attr]
                        shutil.copyfileobj(src, out)
                    count += 1
            key = tar.extractfile("secret_key").read().decode("utf-8").strip()  # type: ignore[union-attr]
            if not os.environ.get("SULIEU_SECRET_KEY") and not os.environ.get("SULIEU_SECRET_KEY_FILE"):
                key_path = Path(settings.DATA_DIR) / "secret_key"
                key_path.write_text(key)
                key_path.chmod(0o600)
    connection.close()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return {"restored": str(source), "engine": manifest["engine"], "files": count,
            "made_by": manifest.get("sulieu_version"), "created_at": manifest.get("created_at")}


def _load_database(dump: Path) -> None:
    if _engine() == "sqlite":
        connection.close()
        name = Path(str(settings.DATABASES["default"]["NAME"]))
        for suffix in ("-wal", "-shm"):
            Path(str(name) + suffix).unlink(missing_ok=True)
        source = sqlite3.connect(str(dump))
        try:
            dest = sqlite3.connect(str(name))
            with dest:
                source.backup(dest)
            dest.close()
        finally:
            source.close()
        return
    connection.close()
    env, args = _pg_env_args()
    done = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)],
                          env=env, capture_output=True, text=True, timeout=6 * 3600)
    if done.returncode != 0:
        raise BackupError("pg_restore failed: %s" % (done.stderr.strip().splitlines() or ["?"])[-1])
