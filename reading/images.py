"""Page images for the viewer and the IIIF manifest.

Scanned pages have a stored image (made by the OCR step). A born-digital PDF has none, so its pages are
rendered on demand from the original (pdfium, 100 dpi) and kept in the cache: the viewer then shows the
page as printed beside its text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.cache import cache

from archive import storage
from archive.models import Item
from archive.ocr.scan import pdf_page_image

RENDER_DPI = 100
CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class PageImage:
    data: bytes
    mime: str


def renders_pdf(item: Item) -> bool:
    """Whether pages without a stored image can be drawn from the item's original (a PDF)."""
    return item.format == "pdf"


def stored_image(blob: object) -> PageImage:
    return PageImage(storage.read_bytes(blob.sha256), getattr(blob, "mime", "") or "image/jpeg")  # type: ignore[attr-defined]


def rendered_pdf_page(item: Item, n: int) -> PageImage | None:
    """Page ``n`` of the item's PDF original as a JPEG (cached), or None when there is no such page."""
    key = "reading:pdfpage:%s:%d:%d" % (item.original.sha256, n, RENDER_DPI)
    data = cache.get(key)
    if data is None:
        try:
            data = pdf_page_image(storage.read_bytes(item.original.sha256), n, dpi=RENDER_DPI, box=(2000, 4000))
        except Exception:  # a damaged PDF or a page past the end: no image, the text stays readable
            return None
        cache.set(key, data, CACHE_SECONDS)
    return PageImage(data, "image/jpeg")


def image_size(blob: object) -> tuple[int, int]:
    """(width, height) of a stored image, read from its header."""
    from PIL import Image

    key = "reading:size:%s" % blob.sha256  # type: ignore[attr-defined]
    size = cache.get(key)
    if size is None:
        with Image.open(storage.object_path(blob.sha256)) as image:  # type: ignore[attr-defined]
            size = image.size
        cache.set(key, size, CACHE_SECONDS)
    return int(size[0]), int(size[1])


def pdf_page_sizes(item: Item) -> dict[int, tuple[int, int]]:
    """Page number → (width, height) in pixels of the rendered pages of a PDF original."""
    key = "reading:pdfsizes:%s:%d" % (item.original.sha256, RENDER_DPI)
    sizes = cache.get(key)
    if sizes is None:
        import pypdf

        sizes = {}
        try:
            reader = pypdf.PdfReader(io.BytesIO(storage.read_bytes(item.original.sha256)), strict=False)
            if reader.is_encrypted:
                reader.decrypt("")
            for n, page in enumerate(reader.pages, 1):
                box = page.mediabox
                w, h = float(box.width), float(box.height)
                if int(page.get("/Rotate", 0) or 0) % 180:
                    w, h = h, w
                sizes[n] = (round(w * RENDER_DPI / 72), round(h * RENDER_DPI / 72))
        except Exception:
            sizes = {}
        cache.set(key, sizes, CACHE_SECONDS)
    return sizes
