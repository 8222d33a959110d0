"""extract: the pages' text (or which pages need OCR), the file's own metadata, a converted copy, a thumbnail."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils.translation import gettext as _

from archive import formats, storage
from archive.models import Item, ItemEvent, ItemFile, ItemPage, PageState, PageTextVersion, Reliability, Stage
from archive.ocr.scan import pdf_page_image
from archive.pipeline.base import NEXT, StepResult
from archive.records import (
    blob_put_bytes,
    event_record,
    field_fill,
    first_run,
    item_file_set,
    item_save,
    page_text_set,
    page_texts_known,
    rows_insert,
)

log = logging.getLogger("sulieu.archive.pipeline")


class Extract:
    name = Stage.EXTRACT.value

    def applies(self, item: Item) -> bool:
        return True

    def run(self, item: Item) -> StepResult:
        if item.format in {"audio", "video"}:
            item.page_count = 0
            item_save(item, ["page_count"])
            return NEXT
        data = storage.read_bytes(item.original.sha256)
        extracted = formats.extract(data, formats.Identified(item.format, item.mime, item.kind))
        needs_ocr = any(p.needs_ocr for p in extracted.pages)
        if extracted.converted:
            blob = blob_put_bytes(data=extracted.converted, mime=extracted.converted_mime)
            item_file_set(item=item, role=ItemFile.Role.CONVERTED, blob=blob, name="converted.docx")
        if _pages_save(item, extracted.pages) and not needs_ocr:
            page_texts_known(item, [p.text for p in extracted.pages])
        item.page_count = len(extracted.pages)
        _metadata_fill(item, extracted.metadata)
        field_fill(item, "reliability", Reliability.DIGITISED if needs_ocr else Reliability.BORN_DIGITAL)
        item.text_source = "ocr" if needs_ocr and item.format == "image" else ("mixed" if needs_ocr else "text")
        item_save(item)
        if item.format == "pdf" and not extracted.pages[0].needs_ocr:  # else the OCR step makes it from page 1
            _thumbnail_from_pdf(item, data)
        event_record(item=item, kind=ItemEvent.Kind.EXTRACTED, detail=_("%(n)s trang") % {"n": item.page_count},
                     data={"pages": item.page_count, "ocr_pages": sum(p.needs_ocr for p in extracted.pages)},
                     agent="sulieu.archive.formats")
        return NEXT


def _pages_save(item: Item, pages: list[formats.PageText]) -> bool:
    """New pages (a first run) are inserted with their first text version; kept pages get a new version.

    True when every page is new (the pages' text is then exactly the extracted text)."""
    existing = {} if first_run(item, Stage.EXTRACT) else {obj.n: obj for obj in ItemPage.objects.filter(item=item)}
    fresh: list[tuple[formats.PageText, ItemPage]] = []
    for page in pages:
        obj = existing.get(page.n)
        if obj is None:
            fresh.append((page, ItemPage(item=item, n=page.n, text="" if page.needs_ocr else page.text,
                                         ocr_state=PageState.PENDING if page.needs_ocr else PageState.NONE)))
        elif page.needs_ocr:
            if obj.ocr_state != PageState.DONE:
                obj.ocr_state = PageState.PENDING
                obj.save(update_fields=["ocr_state"])
        else:
            page_text_set(page=obj, text=page.text, source=PageTextVersion.Source.EXTRACTED)
    if fresh:  # with the rows of the batch (the versions find their page's id then), unless the OCR step reads them
        scans = any(page.needs_ocr for page in pages)
        rows_insert(item, [obj for _page, obj in fresh], at_once=scans)
        rows_insert(item, at_once=scans, rows=[
            PageTextVersion(page=obj, version=1, text=page.text, source=PageTextVersion.Source.EXTRACTED)
            for page, obj in fresh if not page.needs_ocr])
    if any(n > len(pages) for n in existing):
        ItemPage.objects.filter(item=item, n__gt=len(pages)).delete()
    return not existing


def _metadata_fill(item: Item, meta: dict[str, Any]) -> None:
    field_fill(item, "title", (meta.get("title") or "")[:1000])
    field_fill(item, "source_url", (meta.get("url") or "")[:2000] if not item.source_url else "")
    if meta.get("sitename") or meta.get("author"):
        field_fill(item, "provenance",
                   " — ".join(str(v) for v in (meta.get("sitename"), meta.get("author")) if v))
    if meta.get("tags"):
        field_fill(item, "keywords", list(meta["tags"])[:30])
    if meta.get("date"):
        try:
            day = dt.date.fromisoformat(str(meta["date"])[:10])
        except ValueError:
            day = None
        if day and "date_earliest" not in item.locked_fields:
            item.date_earliest = item.date_latest = day
            item.date_precision = "day"
            item.date_text = str(meta["date"])


def _thumbnail_from_pdf(item: Item, data: bytes) -> None:
    try:
        jpeg = pdf_page_image(data, 1, dpi=40, box=(300, 600))  # straight to a JPEG thumbnail (no PNG between)
        blob = blob_put_bytes(data=jpeg, mime="image/jpeg")
        item_file_set(item=item, role=ItemFile.Role.THUMBNAIL, blob=blob, name="thumbnail.jpg")
    except Exception:  # a thumbnail is a nicety; the PDF was read already
        log.warning("no thumbnail for item %s", item.pk, exc_info=True)


STEP = Extract()
