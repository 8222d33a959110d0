"""Nothing from outside the folder gets in: a generated corpus of links, loops, devices and the data directory.

Every case gives a clear one-line reason, the batch goes on, and a sentinel file outside the folder
never reaches the archive, the search index or the logs.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from archive import safepaths
from archive.ingest import ingest_sources, iter_entries
from archive.models import Blob, IngestRecord, Item, ItemPage
from archive.services import IngestOptions, item_ingest_path
from archive.storage import object_path
from archive.watch import FolderWatch

pytestmark = pytest.mark.django_db

LINK = "liên kết tượng trưng: bỏ qua"
OUTSIDE = "liên kết trỏ ra ngoài thư mục gốc: bỏ qua"
DATA_DIR = "thư mục dữ liệu"


class Corpus:
    def __init__(self, base: Path, data_dir: Path) -> None:
        # Letters only: the analyzer splits digits from letters ("2da5" -> "2 da 5"), and a search for those
        # pieces finds unrelated items; one unbroken word is found only where the secret itself leaked.
        self.token = "SENTINEL" + uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))
        self.outside = base / "outside"
        self.outside.mkdir()
        self.sentinel = self.outside / "sentinel.txt"
        self.sentinel.write_text("Bí mật ngoài thư mục %s không được nhập." % self.token, "utf-8")
        (self.outside / "nested").mkdir()
        (self.outside / "nested" / "other.txt").write_text("Cũng bí mật %s." % self.token, "utf-8")
        (data_dir / "secret_key").write_text(self.token, "utf-8")
        root = self.root = base / "root"
        root.mkdir()
        (root / "tot.txt").write_text("Biên bản họp chi bộ xã Cam Lâm năm 1976.", "utf-8")
        (root / "sub").mkdir()
        (root / "sub" / "tot-2.txt").write_text("Kế hoạch số 98-KH/TU về sơ kết Chỉ thị 20-CT/TW.", "utf-8")
        os.symlink(self.sentinel, root / "lien-ket-tep.txt")  # a file link leaving the root
        os.symlink("../outside/nested", root / "lien-ket-thu-muc")  # a folder link leaving the root
        os.symlink("tot.txt", root / "noi-bo.txt")  # a link that stays inside
        os.symlink("vong-b", root / "vong-a")  # a loop of two links
        os.symlink("vong-a", root / "vong-b")
        os.symlink(".", root / "sub" / "vong-thu-muc")  # a folder link to its own folder
        os.symlink("/dev/zero", root / "thiet-bi")  # a link to a device file
        os.symlink(data_dir / "secret_key", root / "khoa-bi-mat")  # the data directory's secret key
        os.mkfifo(root / "ong-fifo")
        os.symlink(self.sentinel, root / "sub" / "metadata.csv")  # metadata beside the files, a link too

    def assert_never_inside(self, caplog: Any) -> None:
        """The sentinel's text is nowhere: items, pages, blobs, ingest records, the index, the logs."""
        for item in Item.objects.all():
            values = [str(getattr(item, f.attname)) for f in item._meta.concrete_fields]
            assert not any(self.token in v for v in values), item
        assert not ItemPage.objects.filter(text__contains=self.token).exists()
        for path in (self.sentinel, self.outside / "nested" / "other.txt"):
            assert not Blob.objects.filter(sha256=_sha(path)).exists()
        for record in IngestRecord.objects.all():
            assert self.token not in record.source + record.error + record.name
        from search.services import search_items

        assert search_items(user=None, query=self.token).count == 0
        assert self.token not in caplog.text
        logs = Path(settings.LOGGING["handlers"]["file"]["filename"]).parent
        for log in logs.glob("*.log*"):
            assert self.token not in log.read_text("utf-8", "replace")


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "var"
    path.mkdir()
    settings.DATA_DIR = path
    settings.FILES_ROOT = path / "files"
    settings.FILES_ROOT.mkdir()
    return path


@pytest.fixture
def corpus(tmp_path: Path, data_dir: Path) -> Corpus:
    return Corpus(tmp_path, data_dir)


def _by_name(summary: dict[str, Any]) -> tuple[dict[str, str], set[str]]:
    failures = {f["path"]: f["error"] for f in summary["failures"]}
    fine = {e["path"] for e in summary["items"]}
    return failures, fine


def test_links_devices_and_fifos_are_refused_and_the_batch_goes_on(corpus, ingest, caplog):
    caplog.set_level(logging.DEBUG)
    root = corpus.root
    summary = ingest(root, access="public")
    failures, fine = _by_name(summary)
    assert fine == {str(root / "tot.txt"), str(root / "sub" / "tot-2.txt")}
    for name in ("lien-ket-tep.txt", "lien-ket-thu-muc", "noi-bo.txt", "vong-a", "vong-b", "sub/vong-thu-muc",
                 "thiet-bi", "khoa-bi-mat"):
        assert failures[str(root / name)] == LINK, name
    assert "Không phải tệp thường" in failures[str(root / "ong-fifo")]
    assert summary["failed"] == 9 and summary["imported"] == 2
    assert all("\n" not in error for error in failures.values())
    corpus.assert_never_inside(caplog)


def test_follow_links_takes_links_inside_the_root_only(corpus, ingest, caplog):
    caplog.set_level(logging.DEBUG)
    root = corpus.root
    results = ingest_sources([str(root)], options=IngestOptions(access="public"), follow_links=True)
    failures = {r.source: r.error for r in results if r.item is None}
    done = {r.source: r.outcome for r in results if r.item is not None}
    # listed in name order: the link inside the root comes first, its target is then a duplicate
    assert done == {str(root / "noi-bo.txt"): "imported", str(root / "tot.txt"): "duplicate",
                    str(root / "sub" / "tot-2.txt"): "imported"}
    for name in ("lien-ket-tep.txt", "lien-ket-thu-muc", "thiet-bi", "khoa-bi-mat"):
        assert failures[str(root / name)] == OUTSIDE, name
    assert "vòng liên kết" in failures[str(root / "vong-a")]
    assert "vòng liên kết" in failures[str(root / "sub" / "vong-thu-muc")]
    assert "Không phải tệp thường" in failures[str(root / "ong-fifo")]
    corpus.assert_never_inside(caplog)


def test_ingest_command_reports_links_and_documents_the_rule(corpus, capsys):
    call_command("ingest", str(corpus.root), "--no-progress", "--access", "public")
    out = capsys.readouterr().out
    assert "seen 11, imported 2, duplicates 0, failed 9" in out
    assert "failed: %s: %s" % (corpus.root / "lien-ket-tep.txt", LINK) in out
    call_command("ingest", str(corpus.root), "--no-progress", "--follow-links", "--json")
    out = capsys.readouterr().out
    assert OUTSIDE in out and '"duplicates": 3' in out
    for command in ("ingest", "watch"):
        from django.core.management import load_command_class

        help_text = load_command_class("archive", command).create_parser("sulieu", command).format_help()
        assert "--follow-links" in help_text and "symbolic link" in help_text and "data" in help_text


def test_a_named_file_that_is_a_link_is_refused(corpus, ingest):
    summary = ingest(corpus.root / "lien-ket-tep.txt", corpus.root / "tot.txt")
    failures, fine = _by_name(summary)
    assert failures == {str(corpus.root / "lien-ket-tep.txt"): LINK} and fine == {str(corpus.root / "tot.txt")}


def test_files_under_the_data_directory_are_never_imported(data_dir, tmp_path, ingest):
    (data_dir / "secret_key").write_text("khóa phiên", "utf-8")
    (data_dir / "logs").mkdir()
    (data_dir / "logs" / "sulieu.log").write_text("nhật ký", "utf-8")
    summary = ingest(data_dir / "secret_key", data_dir / "logs", data_dir)
    assert summary["imported"] == 0 and summary["failed"] == 3
    assert all(DATA_DIR in f["error"] for f in summary["failures"])
    # a folder that holds the data directory: the rest is imported, the data directory is not entered
    outer = tmp_path
    (outer / "ghi-chep.txt").write_text("Ghi chép lịch sử xã.", "utf-8")
    entries = list(iter_entries([outer]))
    refused = {e.shown: e.reason for e in entries if isinstance(e, safepaths.Refused)}
    assert refused[outer / "var"] == safepaths.data_dir_message()
    assert not any(str(e.shown).startswith(str(data_dir)) for e in entries if isinstance(e, safepaths.Found))


def test_a_link_swapped_in_after_listing_is_not_followed(corpus):
    """The check is the open: a folder replaced by a link between the listing and the read is refused."""
    (found,) = [e for e in iter_entries([corpus.root]) if isinstance(e, safepaths.Found) and e.shown.parent.name == "sub"]
    sub = corpus.root / "sub"
    shutil.rmtree(sub)
    os.symlink(corpus.outside, sub)
    shutil.copyfile(corpus.sentinel, corpus.outside / "tot-2.txt")
    result = item_ingest_path(path=found.path, root=found.root, options=IngestOptions())
    assert result.item is None and result.error == LINK
    assert not Blob.objects.exists()


def test_a_folder_the_user_may_not_read_is_reported_and_the_rest_imported(ingest):
    base = Path(tempfile.mkdtemp(prefix="sulieu-perm-"))
    try:
        os.chmod(base, 0o755)
        (base / "doc-duoc.txt").write_text("Văn bản đọc được của chi bộ.", "utf-8")
        closed = base / "khong-doc-duoc"
        closed.mkdir()
        (closed / "an.txt").write_text("Văn bản trong thư mục khóa.", "utf-8")
        os.chmod(closed, 0)
        entries = _entries_as_unprivileged(base)
        assert entries[str(base / "doc-duoc.txt")] == "found"
        assert "Không đọc được thư mục" in entries[str(closed)]
        assert str(closed / "an.txt") not in entries
    finally:
        os.chmod(base / "khong-doc-duoc", 0o755)
        shutil.rmtree(base)


def _entries_as_unprivileged(base: Path) -> dict[str, str]:
    """List ``base`` as a user that permissions apply to (tests often run as root, who reads everything)."""
    if os.geteuid() != 0:
        return {str(e.shown): "found" if isinstance(e, safepaths.Found) else e.reason for e in iter_entries([base])}
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child drops to 'nobody', lists, and reports through the pipe
        code = 0
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            lines = ["%s\t%s" % (e.shown, "found" if isinstance(e, safepaths.Found) else e.reason)
                     for e in iter_entries([base])]
            os.write(write, "\n".join(lines).encode())
        except BaseException:  # noqa: BLE001 (the child must never return into pytest)
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    with open(read, "rb") as stream:
        data = stream.read().decode()
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return dict(line.split("\t", 1) for line in data.splitlines() if line)


def test_watch_reports_a_link_once_and_imports_the_rest(corpus, caplog):
    caplog.set_level(logging.DEBUG)
    watch = FolderWatch(corpus.root, IngestOptions(access="public", channel="watch"))
    first = watch.scan()
    assert {r.source: r.error for r in first}[str(corpus.root / "khoa-bi-mat")] == LINK
    second = watch.scan()
    assert sorted(r.outcome for r in second) == ["imported", "imported"]
    assert watch.scan() == []  # refusals are not repeated on every scan
    corpus.assert_never_inside(caplog)


def test_watch_follow_links_still_refuses_the_secret_key(corpus, capsys):
    call_command("watch", str(corpus.root), "--once", "--follow-links")
    out = capsys.readouterr().out
    assert "%s  failed: %s" % (corpus.root / "khoa-bi-mat", OUTSIDE) in out
    assert Item.objects.count() == 2


@pytest.mark.parametrize("name", ["../../../etc/passwd", "..", "/etc/hostname", "..\\..\\boot.ini", "a/../.."])
def test_back_office_upload_keeps_hostile_names_inside(client, world, name):
    client.force_login(world.archivist)
    body = "Biên bản tải lên từ trình duyệt.".encode()
    boundary = "sulieu-boundary-7f3a"
    payload = (("--%s\r\nContent-Disposition: form-data; name=\"access\"\r\n\r\ninternal\r\n"
                "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                "Content-Type: text/plain\r\n\r\n") % (boundary, boundary, name)).encode() + body + \
        ("\r\n--%s--\r\n" % boundary).encode()
    response = client.generic("POST", "/admin/archive/upload/file/", payload,
                              content_type="multipart/form-data; boundary=%s" % boundary)
    data = response.json()
    if name.rsplit("/", 1)[-1] == "..":  # Django's parser drops a file with no name at all: a clear 400
        assert response.status_code == 400 and data["error"] and not Item.objects.exists()
        return
    assert data["outcome"] == "imported", data
    item = Item.objects.get(pk=data["id"])
    assert "/" not in item.original_name and "\\" not in item.original_name
    assert item.original_name not in ("", ".", "..")
    assert object_path(item.original.sha256).read_bytes() == body


def test_upload_name_is_one_plain_name():
    assert safepaths.upload_name("../../etc/passwd") == "passwd"
    assert safepaths.upload_name("..") == "upload" and safepaths.upload_name(None) == "upload"
    assert safepaths.upload_name("C:\\Users\\a\\Biên bản.pdf") == "Biên bản.pdf"
