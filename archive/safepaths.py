"""What an import may read: regular files that resolve inside the root it was given, and nothing else.

Every import path (``sulieu ingest``, ``sulieu watch``, ``sulieu import bag``, the back-office upload)
goes through this module:

* :func:`walk` lists a root (a folder, or one file whose root is its folder) and classifies every entry
  without following links: regular files are yielded as :class:`Found`; symbolic links, devices, FIFOs,
  sockets, unreadable folders and anything under the data directory as :class:`Refused` with a one-line
  reason. With ``follow_links`` a link is resolved once; a target outside the root (or a loop) is still
  refused, a target inside it is listed by its resolved path.
* :func:`open_regular` opens a file *relative to its root* one component at a time with ``O_NOFOLLOW``
  and checks the open descriptor (``fstat``: a regular file). What is read is what was checked: a link
  swapped in after :func:`walk` makes the open fail instead of being followed.

Files under the data directory (database, secret key, stored objects, logs) are never importable.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from archive import storage
from archive.models import Blob

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
MAX_DEPTH = 64


class Refusal(Exception):
    """A path an import must not read; ``str()`` is the one-line reason shown to the user."""


def link_message() -> str:
    return _("liên kết tượng trưng: bỏ qua")


def outside_message() -> str:
    return _("liên kết trỏ ra ngoài thư mục gốc: bỏ qua")


def data_dir_message() -> str:
    return _("tệp trong thư mục dữ liệu của Sử liệu: không bao giờ được nhập")


def not_regular_message() -> str:
    return _("Không phải tệp thường (thư mục, liên kết hỏng hoặc thiết bị).")


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that always encodes (undecodable bytes in names become U+FFFD)."""
    return os.fsencode(path).decode("utf-8", "replace")


@dataclass(frozen=True)
class Found:
    """A regular file to import: ``root`` (resolved) and ``relative`` (no links in it); ``shown`` as listed."""

    root: Path
    relative: PurePosixPath
    shown: Path

    @property
    def path(self) -> Path:
        return self.root / self.relative


@dataclass(frozen=True)
class Refused:
    shown: Path
    reason: str


def _protected_key() -> tuple[object, ...]:
    default = settings.DATABASES.get("default", {})
    return (getattr(settings, "DATA_DIR", None), getattr(settings, "FILES_ROOT", None),
            getattr(settings, "MEDIA_ROOT", None), settings.SECRET_KEY_FILE, default.get("ENGINE", ""),
            str(default.get("NAME") or ""))


_PROTECTED: dict[tuple[object, ...], list[Path]] = {}


def protected_roots() -> list[Path]:
    """Folders and files whose contents are never importable (the data directory and what it holds).

    Resolved once per process for the settings in force (several ``realpath`` calls: they were ~0.4 ms of
    every imported file); the cache is keyed by the settings' values, so a test overriding them gets its own.
    """
    key = _protected_key()
    roots = _PROTECTED.get(key)
    if roots is None:
        roots = _PROTECTED[key] = _protected_roots(*key)
    return list(roots)


def _protected_roots(data_dir: object, files_root: object, media_root: object, key_file: object, engine: object,
                     database: object) -> list[Path]:
    roots = [Path(str(value)) for value in (data_dir, files_root, media_root, key_file) if value]
    database = str(database)
    if str(engine).endswith("sqlite3") and database and database != ":memory:" \
            and not database.startswith("file:"):
        roots.append(Path(database))
    return [Path(os.path.realpath(r)) for r in roots]


def _inside(path: Path, root: Path) -> bool:
    """``path`` is ``root`` or below it (both absolute and resolved): compared as text, which is what
    ``root in path.parents`` compares, without building every parent."""
    here, top = str(path), str(root)
    return here == top or here.startswith(top if top.endswith("/") else top + "/")


def is_protected(real: Path, protected: list[Path] | None = None) -> bool:
    return any(_inside(real, p) for p in (protected if protected is not None else protected_roots()))


def upload_name(name: str | None) -> str:
    """A file name sent by a browser as one plain name (no folders, no NUL, not '.' or '..')."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "").strip()
    base = "".join(ch for ch in base if ch.isprintable())[:200]
    return base if base not in ("", ".", "..") else "upload"


def _relative_parts(relative: PurePosixPath | str) -> list[str]:
    parts = [p for p in str(relative).split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts) or str(relative).startswith("/"):
        raise Refusal(_("đường dẫn ra ngoài thư mục gốc: bỏ qua"))
    return parts


def open_regular(path: Path, *, root: Path | None = None) -> BinaryIO:
    """Open ``path`` (inside ``root``; default its own folder) for reading without following any link.

    Raises :class:`Refusal` for a link anywhere below the root, something that is not a regular file, a
    path leaving the root or a file under the data directory; ``OSError`` when it cannot be read.
    """
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    real_root = Path(os.path.realpath(root))
    try:
        relative = PurePosixPath(os.path.relpath(os.path.abspath(path), os.path.abspath(root)))
    except ValueError as exc:
        raise Refusal(_("đường dẫn ra ngoài thư mục gốc: bỏ qua")) from exc
    parts = _relative_parts(relative)
    if is_protected(real_root.joinpath(*parts)):
        raise Refusal(data_dir_message())
    fd = os.open(real_root, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for part in parts[:-1]:
            try:
                next_fd = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                if _is_link_error(exc, part, fd):
                    raise Refusal(link_message()) from exc
                raise
            os.close(fd)
            fd = next_fd
        try:
            file_fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=fd)
        except OSError as exc:
            if _is_link_error(exc, parts[-1], fd):
                raise Refusal(link_message()) from exc
            raise
    finally:
        os.close(fd)
    try:
        info = os.fstat(file_fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refusal(not_regular_message())
        os.set_blocking(file_fd, True)
        return os.fdopen(file_fd, "rb")
    except BaseException:
        os.close(file_fd)
        raise


def _is_link_error(exc: OSError, name: str, dir_fd: int) -> bool:
    import errno

    if exc.errno not in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
        return False
    try:
        return stat.S_ISLNK(os.lstat(name, dir_fd=dir_fd).st_mode)
    except OSError:
        return exc.errno == errno.ELOOP


def walk(source: str | os.PathLike[str], *, follow_links: bool = False,
         skip_names: frozenset[str] = frozenset()) -> Iterator[Found | Refused]:
    """Every file under ``source`` (a folder, or a single file) as :class:`Found` or :class:`Refused`.

    A folder named by the caller is itself resolved once (it is the root); a single file's root is its
    folder, so a file named on the command line that is a link is refused like a link inside a folder.
    """
    shown = Path(source)
    protected = protected_roots()
    try:
        info = os.lstat(shown)
    except OSError as exc:
        yield Refused(shown, _("Không đọc được: %(error)s") % {"error": exc.strerror or exc})
        return
    if stat.S_ISDIR(info.st_mode) or (stat.S_ISLNK(info.st_mode) and os.path.isdir(shown)):
        root = Path(os.path.realpath(shown))
        yield from _walk_dir(root, root, shown, follow_links, skip_names, protected, set(), 0)
        return
    root = Path(os.path.realpath(shown.parent))
    yield from _classify(root, root / shown.name, shown, follow_links, skip_names, protected, set(), 0)


def _walk_dir(root: Path, real_dir: Path, shown_dir: Path, follow_links: bool, skip_names: frozenset[str],
              protected: list[Path], visited: set[tuple[int, int]], depth: int) -> Iterator[Found | Refused]:
    if is_protected(real_dir, protected):
        yield Refused(shown_dir, data_dir_message())
        return
    try:
        info = os.stat(real_dir, follow_symlinks=False)
    except OSError as exc:
        yield Refused(shown_dir, _("Không đọc được thư mục: %(error)s") % {"error": exc.strerror or exc})
        return
    key = (info.st_dev, info.st_ino)
    if key in visited:
        yield Refused(shown_dir, _("vòng liên kết: bỏ qua"))
        return
    if depth > MAX_DEPTH:
        yield Refused(shown_dir, _("thư mục lồng quá sâu: bỏ qua"))
        return
    visited.add(key)
    try:
        with os.scandir(real_dir) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as exc:
        yield Refused(shown_dir, _("Không đọc được thư mục: %(error)s") % {"error": exc.strerror or exc})
        return
    for name in names:
        if name in skip_names:
            continue
        yield from _classify(root, real_dir / name, shown_dir / name, follow_links, skip_names, protected,
                             visited, depth)


def _classify(root: Path, real: Path, shown: Path, follow_links: bool, skip_names: frozenset[str],
              protected: list[Path], visited: set[tuple[int, int]], depth: int) -> Iterator[Found | Refused]:
    try:
        info = os.lstat(real)
    except OSError as exc:
        yield Refused(shown, _("Không đọc được: %(error)s") % {"error": exc.strerror or exc})
        return
    if stat.S_ISLNK(info.st_mode):
        if not follow_links:
            yield Refused(shown, link_message())
            return
        try:
            target = Path(os.path.realpath(real, strict=True))
        except OSError:
            yield Refused(shown, _("liên kết hỏng hoặc vòng liên kết: bỏ qua"))
            return
        if not _inside(target, root):
            yield Refused(shown, outside_message())
            return
        real = target
        try:
            info = os.lstat(real)
        except OSError as exc:
            yield Refused(shown, _("Không đọc được: %(error)s") % {"error": exc.strerror or exc})
            return
    if is_protected(real, protected):
        yield Refused(shown, data_dir_message())
    elif stat.S_ISDIR(info.st_mode):
        yield from _walk_dir(root, real, shown, follow_links, skip_names, protected, visited, depth + 1)
    elif stat.S_ISREG(info.st_mode):
        yield Found(root=root, relative=PurePosixPath(real.relative_to(root).as_posix()), shown=shown)
    else:
        yield Refused(shown, not_regular_message())


def discard_unregistered(sha256: str) -> None:
    """Remove a stored object that no Blob row knows (bytes refused after they were hashed)."""
    if not Blob.objects.filter(sha256=sha256).exists():
        storage.object_path(sha256).unlink(missing_ok=True)
