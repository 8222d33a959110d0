"""ocr: the pages that need it are read one task per page (:func:`page_read`); the last one assembles the PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from archive import formats, storage
from archive.models import (
    Blob,
    Item,
    ItemEvent,
    ItemFile,
    ItemKind,
    ItemPage,
    PageState,
    PageTextVersion,
    Stage,
    StageState,
)
from archive.ocr import languages, ocr_page, pdfpage, scan
from archive.ocr.words import hocr_words, words_json
from archive.pipeline.base import NEXT, StepResult
from archive.records import (
    blob_register,
    event_record,
    item_file_set,
    item_save,
    page_text_set,
    pages_known,
    stage_mark,
)

OPEN = (PageState.PENDING, PageState.RUNNING)


class Ocr:
    name = Stage.OCR.value

    def applies(self, item: Item) -> bool:
        return True

    def run(self, item: Item) -> StepResult:
        if pages_known(item):  # extracted in this chain, none needing OCR
            return NEXT
        pages = ItemPage.objects.filter(item=item).exclude(ocr_state=PageState.NONE)
        states = list(pages.values_list("n", "ocr_state"))
        if not states:
            return NEXT
        open_pages = tuple(n for n, state in states if state in OPEN)
        if open_pages:
            stage_mark(item, self.name, StageState.WAITING, detail="%d/%d" % (len(open_pages), len(states)))
            return StepResult(waiting_pages=open_pages)
        _finish(item)
        return NEXT


def page_read(item: Item, page: ItemPage) -> None:
    """OCR one page of ``item`` (leased by the caller) and store its text, image and searchable PDF."""
    data = storage.read_bytes(item.original.sha256)
    n = page.n
    if item.format == "pdf":
        source, is_pdf, dpi = pdfpage.page_of(data, n), True, 300
    else:
        source, dpi = formats.image_page(data, n)
        is_pdf = False
    result = ocr_page(source, is_pdf=is_pdf, dpi=dpi)
    # the engine's page image comes from the pixels it decoded; else the page is drawn (PDF) or decoded again
    page_image = result.page_image or (scan.pdf_page_image(data, n) if is_pdf
                                       else formats.thumbnail_png(source, width=scan.PAGE_IMAGE_BOX[0]))
    with transaction.atomic():
        pdf_blob = _derived(result.pdf, "application/pdf")
        item_file_set(item=item, role=ItemFile.Role.PAGE_PDF, blob=pdf_blob, page_n=n, name="page-%d.pdf" % n)
        image_blob = _derived(page_image, "image/jpeg")
        item_file_set(item=item, role=ItemFile.Role.PAGE_IMAGE, blob=image_blob, page_n=n,
                      name="page-%d.jpg" % n)
        if n == 1:  # from the page image: the full-size scan is decoded once
            thumb = _derived(formats.thumbnail_png(page_image), "image/jpeg")
            item_file_set(item=item, role=ItemFile.Role.THUMBNAIL, blob=thumb, name="thumbnail.jpg")
        words = hocr_words(result.hocr)
        if words is not None:  # where each word is on the page image: the reader marks search terms there
            words_blob = _derived(words_json(words), "application/json")
            item_file_set(item=item, role=ItemFile.Role.PAGE_WORDS, blob=words_blob, page_n=n,
                          name="page-%d-words.json" % n)
        page.image = image_blob
        page.save(update_fields=["image"])
        page_text_set(page=page, text=result.text, source=PageTextVersion.Source.OCR, confidence=result.confidence)
        ItemPage.objects.filter(pk=page.pk).update(ocr_state=PageState.DONE, lease_owner="", lease_until=None,
                                                   error="")


def _derived(data: bytes, mime: str) -> Blob:
    """A file made from the original, which is stored durably (fsynced) already: written without fsync (after a
    crash before the OS wrote it back, the fixity check finds it damaged and OCR of the page makes it again)."""
    sha, size = storage.put_bytes(data, sync=False)
    return blob_register(sha256=sha, size=size, mime=mime)


def pages_open(item_id: int) -> bool:
    return ItemPage.objects.filter(item_id=item_id, ocr_state__in=OPEN).exists()


def _finish(item: Item) -> None:
    """All pages read: assemble the searchable PDF, decide photo vs document, record the event."""
    pages = list(ItemPage.objects.filter(item=item).order_by("n"))
    page_pdfs = {f.page_n: f.blob for f in ItemFile.objects.filter(item=item, role=ItemFile.Role.PAGE_PDF)}
    # each page's own searchable PDF; a PDF's page without one (its own text, or OCR failed) as in the original
    parts = [(page_pdfs.get(p.n), p.n) for p in pages if p.n in page_pdfs or item.format == "pdf"]
    if len(parts) == 1 and parts[0][0] is not None:  # one page: its PDF is the document's (no copy)
        item_file_set(item=item, role=ItemFile.Role.SEARCHABLE_PDF, blob=parts[0][0], name="searchable.pdf")
    elif parts:
        sources: list[bytes] = []
        at: list[tuple[int, int]] = []  # (index in sources, page number there)
        original = None
        for blob, n in parts:
            if blob is not None:
                sources.append(storage.read_bytes(blob.sha256))
                at.append((len(sources) - 1, 1))
                continue
            if original is None:
                sources.append(storage.read_bytes(item.original.sha256))
                original = len(sources) - 1
            at.append((original, n))
        blob = _derived(pdfpage.concatenate(sources, at), "application/pdf")
        item_file_set(item=item, role=ItemFile.Role.SEARCHABLE_PDF, blob=blob, name="searchable.pdf")
    failed = [p.n for p in pages if p.ocr_state == PageState.FAILED]
    confidences = {p.n: p.ocr_confidence for p in pages if p.ocr_state == PageState.DONE}
    letters = sum(1 for p in pages for ch in p.text if ch.isalpha())
    if item.format == "image" and letters < 40 and not failed and "kind" not in item.locked_fields:
        item.kind = ItemKind.PHOTO
        item_save(item, ["kind"])
    event_record(item=item, kind=ItemEvent.Kind.OCRED,
                 outcome=ItemEvent.Outcome.WARNING if failed else ItemEvent.Outcome.SUCCESS,
                 detail=_("OCR lỗi ở trang %(pages)s") % {"pages": failed} if failed else "",
                 data={"confidence": confidences, "failed_pages": failed},
                 agent="Tesseract (%s) via %s" % ("+".join(languages()), settings.SULIEU_OCR_ENGINE))


STEP = Ocr()
