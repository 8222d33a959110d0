from __future__ import annotations

import pytest

from archive import samples
from archive.models import Item, ItemFile, ItemPage

pytestmark = pytest.mark.django_db

PAGE1 = ["TỈNH ỦY KHÁNH HÒA", "Số 98-KH/TU", "KẾ HOẠCH", "sơ kết thực hiện Chỉ thị số 20-CT/TW"]
PAGE2 = ["Các cấp ủy tổ chức sơ kết ở cơ sở.", "T/M BAN THƯỜNG VỤ", "Nguyễn Khắc Toàn"]


def test_scanned_pdf_ocred_page_by_page_with_confidence(tmp_path, ingest):
    from django_tasks_db.models import DBTaskResult

    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_scan_pdf(folder / "scan.pdf", [PAGE1, PAGE2])
    samples.make_photo(folder / "anh.jpg")
    summary = ingest(folder)
    assert summary["imported"] == 2 and summary["failed"] == 0
    scan = Item.objects.get(original_name="scan.pdf")
    pages = list(scan.pages.order_by("n"))
    assert [p.n for p in pages] == [1, 2] and all(p.ocr_state == "done" for p in pages)
    assert "98-KH/TU" in pages[0].text and "sơ kết" in pages[1].text
    assert all(p.ocr_confidence is not None and p.ocr_confidence > 50 for p in pages)
    assert scan.symbol == "98-KH/TU" and scan.reliability == "02"
    # one task per page (fan-out), and a searchable PDF assembled from them
    page_tasks = DBTaskResult.objects.filter(task_path="archive.tasks.item_ocr_page",
                                             args_kwargs__kwargs__item_id=scan.pk)
    assert sorted(t.args_kwargs["kwargs"]["n"] for t in page_tasks) == [1, 2]
    searchable = scan.files.get(role=ItemFile.Role.SEARCHABLE_PDF).blob
    import pypdf

    from archive.storage import object_path

    reader = pypdf.PdfReader(object_path(searchable.sha256))
    assert len(reader.pages) == 2 and "98" in reader.pages[0].extract_text()
    assert scan.files.filter(role=ItemFile.Role.PAGE_IMAGE).count() == 2
    photo = Item.objects.get(original_name="anh.jpg")
    assert photo.kind == "photo" and photo.status == "done"


def test_ocr_page_task_is_idempotent(tmp_path, ingest):
    from archive.pipeline.engine import run_ocr_page

    folder = tmp_path / "in"
    folder.mkdir()
    samples.make_scan_tiff(folder / "scan.tif", [PAGE1])
    ingest(folder)
    item = Item.objects.get()
    page = ItemPage.objects.get(item=item)
    versions = page.versions.count()
    run_ocr_page(item.pk, 1)  # a duplicate delivery of the task: nothing happens
    assert page.versions.count() == versions and item.status == "done"
