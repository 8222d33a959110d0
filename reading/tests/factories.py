"""Items for the reading-room tests, made through the archive's own services and pipeline.

Text files and born-digital PDFs go through ingest → extract → describe → index in a fraction of a second.
Scanned items use :func:`fake_ocr` (``SULIEU_OCR_ENGINE``) so the real pipeline makes page images and a
searchable PDF without running Tesseract; one test elsewhere runs the real OCR.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archive import samples
from archive.models import Collection, Item
from archive.runner import run_until_done
from archive.services import IngestOptions, collection_create, item_ingest_bytes, item_ingest_path

FAKE_OCR_TEXT = ("BIÊN BẢN\nHội nghị Ban Chấp hành Đảng bộ xã Cam Lâm\n"
                 "Ngày 30 tháng 4 năm 1975, chi bộ họp bàn việc tiếp quản và ổn định đời sống nhân dân.")


def fake_ocr(source: bytes, *, is_pdf: bool, dpi: int = 300) -> Any:
    """An OCR engine for tests: a fixed Vietnamese text and the page as a PDF, instantly."""
    import img2pdf

    from archive.ocr import OcrResult

    pdf = source if is_pdf else img2pdf.convert(io.BytesIO(source))
    return OcrResult(text=FAKE_OCR_TEXT, confidence=91.5, pdf=pdf, engine="fake", hocr=fake_hocr(FAKE_OCR_TEXT))


def fake_hocr(text: str, width: int = 1000, height: int = 1400) -> str:
    """hOCR of ``text`` laid out one line per line, 20 px per letter: word boxes to mark on the page image."""
    spans = []
    for i, line in enumerate(text.splitlines()):
        x, y = 50, 100 + 60 * i
        for word in line.split():
            spans.append("<span class='ocrx_word' title='bbox %d %d %d %d; x_wconf 90'>%s</span>"
                         % (x, y, x + 20 * len(word), y + 40, html.escape(word)))
            x += 20 * len(word) + 20
    return ("<div class='ocr_page' title='image \"p\"; bbox 0 0 %d %d'>%s</div>" % (width, height, "".join(spans)))


def _options(**kw: Any) -> IngestOptions:
    return IngestOptions(channel="test", **kw)


def make_text_item(text: str | Sequence[str], *, name: str = "van-ban.txt", access: str = "public",
                   org_unit: Any = None, collection: Collection | None = None, **metadata: Any) -> Item:
    """A born-digital item. A list of strings makes a PDF with one page per string."""
    options = _options(access=access, org_unit=org_unit, collection=collection, metadata=metadata or None)
    if isinstance(text, str):
        result = item_ingest_bytes(data=text.encode("utf-8"), name=name, source=name, options=options)
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = samples.make_text_pdf(Path(tmp) / name.replace(".txt", ".pdf"), [p.splitlines() for p in text])
            result = item_ingest_path(path=path, options=options)
    assert result.item is not None, result.error
    run_until_done([result.item.pk], poll=0.01)
    return Item.objects.get(pk=result.item.pk)


def make_scanned_item(pages: Sequence[Sequence[str]], tmp_path: Path, *, name: str = "scan.pdf",
                      access: str = "public", org_unit: Any = None, collection: Collection | None = None,
                      dpi: int = 100, **metadata: Any) -> Item:
    """A scanned PDF taken through the real pipeline (OCR by whatever ``SULIEU_OCR_ENGINE`` says)."""
    path = samples.make_scan_pdf(tmp_path / name, pages, dpi=dpi)
    options = _options(access=access, org_unit=org_unit, collection=collection, metadata=metadata or None)
    result = item_ingest_path(path=path, options=options)
    assert result.item is not None, result.error
    run_until_done([result.item.pk], poll=0.01)
    return Item.objects.get(pk=result.item.pk)


def make_tree(*, org_unit: Any = None, access: str = "public") -> tuple[Collection, Collection, Collection]:
    """Fonds → series → file, as the archive's service builds them."""
    fonds = collection_create(by=None, title="Phông Đảng bộ xã Cam Lâm", kind="fonds", code="P12",
                              org_unit=org_unit, access=access)
    series = collection_create(by=None, title="Văn kiện đại hội", kind="series", code="P12.1", parent=fonds,
                               access=access)
    file = collection_create(by=None, title="Hồ sơ Đại hội Đảng bộ xã lần thứ nhất", kind="file",
                             code="P12.1.05", parent=series, access=access)
    return fonds, series, file
