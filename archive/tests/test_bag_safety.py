"""``sulieu import bag`` reads only what the bag's manifest lists inside its data/: hostile bags, generated."""

from __future__ import annotations

import io
import json
import os
import uuid
from pathlib import Path
from typing import Any

import bagit
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.bags import BagError, bag_import
from archive.models import Blob, Item
from archive.services import IngestOptions, item_ingest_path
from archive.storage import object_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentinel(tmp_path: Path) -> tuple[Path, str]:
    token = "SENTINEL-" + uuid.uuid4().hex
    path = tmp_path / "outside" / "sentinel.txt"
    path.parent.mkdir()
    path.write_text("Ngoài túi: %s" % token, "utf-8")
    return path, token


def make_bag(folder: Path, records: list[dict[str, Any]], files: dict[str, str]) -> Path:
    """A bag like 'sulieu export bag' writes: originals, items.json, collections.json, SHA-256 manifest."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    (folder / "items.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    (folder / "collections.json").write_text("[]", "utf-8")
    bagit.make_bag(str(folder), checksums=["sha256"], processes=1)
    return folder


def _record(bag_path: Any, title: str) -> dict[str, Any]:
    return {"bag_path": bag_path, "title": title, "access": "public"}


def _run_import(bag: Path) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("import", "bag", str(bag), stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_items_json_paths_leaving_data_are_refused_and_the_rest_imported(tmp_path, sentinel):
    path, token = sentinel
    depth = "../" * len(tmp_path.parts)
    bag = make_bag(tmp_path / "bag", [
        _record("originals/1/tot.txt", "Biên bản tốt"),
        _record(depth + str(path).lstrip("/"), "Đi lên"),
        _record(str(path), "Tuyệt đối"),
        _record("../bag-info.txt", "Ngoài data"),
        _record("originals/2/khong-co.txt", "Không có trong manifest"),
        _record(None, "Không có đường dẫn"),
    ], {"originals/1/tot.txt": "Biên bản họp chi bộ năm 1976."})
    out, error = _run_import(bag)
    assert error is not None and error.returncode == 2 and "\n" not in str(error)
    assert out.splitlines()[0] == "imported 1, duplicates 0, failed 5"
    lines = out.splitlines()[1:]
    assert len(lines) == 5 and sum("ra ngoài data/" in line for line in lines) == 3
    assert sum("không có trong manifest" in line for line in lines) == 1
    assert [i.title for i in Item.objects.all()] == ["Biên bản tốt"]
    assert not any(token in (i.title + i.original_name) for i in Item.objects.all())
    assert Blob.objects.count() == 1


@pytest.mark.parametrize("damage", ["absent", "unsafe_manifest", "symlink", "not_a_bag", "bad_json", "no_sha256"])
def test_a_broken_bag_is_one_line_and_exit_2(tmp_path, sentinel, damage):
    path, token = sentinel
    files = {"originals/1/tot.txt": "Biên bản họp chi bộ năm 1976.", "originals/2/hai.txt": "Kế hoạch 98-KH/TU."}
    records = [_record("originals/1/tot.txt", "Một"), _record("originals/2/hai.txt", "Hai")]
    bag = make_bag(tmp_path / "bag", records, files)
    if damage == "absent":  # the manifest lists a file that is not there
        (bag / "data" / "originals" / "2" / "hai.txt").unlink()
    elif damage == "unsafe_manifest":
        manifest = bag / "manifest-sha256.txt"
        manifest.write_text(manifest.read_text() + "%s  data/../../outside/sentinel.txt\n" % ("0" * 64))
    elif damage == "symlink":  # a payload file replaced by a link to a file outside the bag
        target = bag / "data" / "originals" / "2" / "hai.txt"
        target.unlink()
        os.symlink(path, target)
    elif damage == "not_a_bag":
        (bag / "bagit.txt").unlink()
    elif damage == "bad_json":
        bag = make_bag(tmp_path / "bag2", [], files)
        (bag / "data" / "items.json").write_text("{not json", "utf-8")
        bagit.Bag(str(bag)).save(manifests=True)
    elif damage == "no_sha256":
        bag = tmp_path / "bag3"
        (bag / "originals").mkdir(parents=True)
        (bag / "originals" / "a.txt").write_text("a", "utf-8")
        (bag / "items.json").write_text(json.dumps([_record("originals/a.txt", "A")]), "utf-8")
        (bag / "collections.json").write_text("[]", "utf-8")
        bagit.make_bag(str(bag), checksums=["md5"], processes=1)
    out, error = _run_import(bag)
    assert error is not None and error.returncode == 2, out
    message = str(error)
    assert "\n" not in message and message and token not in message
    assert out == "" and not Item.objects.exists()
    with pytest.raises(BagError):
        bag_import(source=bag)


def test_bytes_that_do_not_match_the_manifest_are_refused_and_not_kept(tmp_path):
    original = tmp_path / "in" / "a.txt"
    original.parent.mkdir()
    original.write_text("Văn bản gốc của túi.", "utf-8")
    result = item_ingest_path(path=original, root=original.parent, options=IngestOptions(channel="bag"),
                              expect_sha256="0" * 64)
    assert result.item is None and "SHA-256" in result.error
    assert not Blob.objects.exists()
    import hashlib

    assert not object_path(hashlib.sha256(original.read_bytes()).hexdigest()).exists()


def test_sulieu_import_bag_exits_2_with_one_line(tmp_path, capsys):
    """The command line as a user runs it: a bag whose manifest names a path leaving it, no traceback."""
    from sulieu.cli import main

    bag = make_bag(tmp_path / "bag", [_record("originals/1/a.txt", "A")], {"originals/1/a.txt": "một"})
    manifest = bag / "manifest-sha256.txt"
    manifest.write_text(manifest.read_text() + "%s  data/../../../etc/passwd\n" % ("0" * 64))
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "bag", str(bag)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err and "unsafe" in lines[0], err
