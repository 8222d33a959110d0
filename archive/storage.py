"""Content-addressed file store: ``FILES_ROOT/objects/<aa>/<bb>/<sha256>``, one copy per hash.

Bytes are written to a temporary file in the same file system while being hashed, flushed to disk,
then renamed into place, so a crash never leaves a half-written object under its final name. An
object whose database row was never committed (killed process) is found again by its hash on the
next ingest of the same bytes, and reported by :func:`orphan_objects` otherwise.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from core.process import pid_alive

CHUNK = 1024 * 1024


class TooLarge(Exception):
    pass


def files_root() -> Path:
    return Path(settings.FILES_ROOT)


def object_path(sha256: str) -> Path:
    return files_root() / "objects" / sha256[:2] / sha256[2:4] / sha256


def _tmp_dir() -> Path:
    path = files_root() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _finish(tmp: Path, sha: str) -> Path:
    final = object_path(sha)
    if final.exists() and final.stat().st_size == tmp.stat().st_size:
        tmp.unlink()
    else:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
    return final


def put_stream(stream: BinaryIO, *, max_bytes: int | None = None, sync: bool = True) -> tuple[str, int]:
    """Store everything read from ``stream``; return (sha256, size). Raises TooLarge past ``max_bytes``.

    ``sync=False`` (derived files made again from a durable original, e.g. OCR page files): no fsync."""
    digest = hashlib.sha256()
    size = 0
    tmp = _tmp_dir() / ("%d-%s" % (os.getpid(), uuid.uuid4().hex))
    try:
        with open(tmp, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise TooLarge(size)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        sha = digest.hexdigest()
        _finish(tmp, sha)
        return sha, size
    finally:
        if tmp.exists():
            tmp.unlink()


def put_file(path: Path, *, max_bytes: int | None = None) -> tuple[str, int]:
    with open(path, "rb") as stream:
        return put_stream(stream, max_bytes=max_bytes)


def put_bytes(data: bytes, *, sync: bool = True) -> tuple[str, int]:
    import io

    return put_stream(io.BytesIO(data), sync=sync)


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_bytes(sha256: str) -> bytes:
    return object_path(sha256).read_bytes()


def iter_objects() -> Iterator[tuple[str, Path]]:
    base = files_root() / "objects"
    if not base.exists():
        return
    for path in base.glob("*/*/*"):
        if path.is_file():
            yield path.name, path


def clean_tmp() -> int:
    """Remove temporary files left by processes that no longer run (kill -9 mid-copy)."""
    removed = 0
    base = files_root() / "tmp"
    if not base.exists():
        return 0
    for path in base.iterdir():
        pid_text = path.name.split("-", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and not pid_alive(int(pid_text)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
