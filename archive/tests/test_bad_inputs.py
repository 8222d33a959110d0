"""A corpus of hostile and broken files: each gets a clear error, the batch goes on, originals kept."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest

from archive import samples
from archive.models import Item, ItemStatus
from archive.storage import object_path

pytestmark = pytest.mark.django_db


def _corpus(folder: Path) -> dict[str, str]:
    """File name → words expected in its error ('' when the file must import fine)."""
    folder.mkdir()
    expected: dict[str, str] = {}
    (folder / "rong.pdf").write_bytes(b"")
    expected["rong.pdf"] = "0 byte"
    good = samples.make_text_pdf(folder / "tot.pdf", [["Báo cáo số 12-BC/ĐU về công tác lưu trữ năm 2020."]])
    expected["tot.pdf"] = ""
    data = good.read_bytes()
    (folder / "cut.pdf").write_bytes(data[: len(data) // 2])
    expected["cut.pdf"] = "cắt cụt"
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="mat-khau", owner_password="chu", algorithm="AES-128")
    with open(folder / "mat.pdf", "wb") as stream:
        writer.write(stream)
    expected["mat.pdf"] = "mã hóa"
    (folder / "trang-web.pdf").write_text("<!DOCTYPE html><html><body><p>Không phải PDF</p></body></html>")
    expected["trang-web.pdf"] = "HTML"
    samples.bomb_png(folder / "bom.png")
    expected["bom.png"] = "bom giải nén"
    samples.zip_bomb_docx(folder / "bom-nen.docx", unzipped=64 * 1024 * 1024)
    expected["bom-nen.docx"] = "bom nén"
    with open(folder / "rat-lon.txt", "wb") as stream:  # sparse: 2 GB on paper, nothing on disk
        stream.truncate(2 * 1024 * 1024 * 1024)
    expected["rat-lon.txt"] = "quá lớn"
    (folder / "la.bin").write_bytes(os.urandom(64) + b"\x00\x01\x02" * 100)
    expected["la.bin"] = "Không nhận dạng"
    (folder / "hong.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    expected["hong.docx"] = "hỏng"
    odd = ["tên có\ndòng mới.txt", "--rm -rf ~.txt", "Quye\u0302\u0301t định (NFD).txt", " ; $(reboot) .txt",
           "a" * 200 + ".txt"]
    for name in odd:
        (folder / name).write_text("Văn bản của tệp có tên lạ: %s" % name, "utf-8")
        expected[name] = ""
    raw = os.path.join(os.fsencode(folder), b"latin1-\xe9t\xe9.txt")
    with open(raw, "wb") as stream:
        stream.write("Tên tệp không phải UTF-8.".encode())
    expected["latin1-\ufffdt\ufffd.txt"] = ""
    return expected


def test_hostile_corpus_each_fails_clearly_batch_goes_on(tmp_path, ingest):
    expected = _corpus(tmp_path / "corpus")
    summary = ingest(tmp_path / "corpus")
    assert summary["seen"] == len(expected)
    failures = {Path(f["path"]).name: f for f in summary["failures"]}
    fine = {Path(e["path"]).name for e in summary["items"]}
    for name, words in expected.items():
        if words:
            assert name in failures, name
            assert words.lower() in failures[name]["error"].lower(), (name, failures[name]["error"])
        else:
            assert name in fine, (name, failures.get(name))
    assert summary["failed"] == sum(1 for w in expected.values() if w)
    assert summary["imported"] == sum(1 for w in expected.values() if not w)
    # every failed file except the oversize one is kept byte for byte, on a failed item with its error
    for name, failure in failures.items():
        if name == "rat-lon.txt":
            assert "id" not in failure and (tmp_path / "corpus" / name).stat().st_size == 2 * 1024 ** 3
            continue
        item = Item.objects.get(pk=failure["id"])
        assert item.status == ItemStatus.FAILED and item.error == failure["error"]
        assert object_path(item.original.sha256).read_bytes() == (tmp_path / "corpus" / name).read_bytes()
        assert item.events.filter(kind="failed").exists()
