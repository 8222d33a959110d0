"""The ingest pipeline: identify → extract → ocr → describe → deduplicate → index.

Each step is a function ``step(item) -> Outcome`` listed in :data:`STEPS`, run by the task
``archive.tasks.item_step(item_id, step)``. A step first *claims* the item with a conditional update
(the item must be at that stage and not leased by a live worker), runs inside one transaction, and
moves the item to the next stage in the same transaction, so a step is done exactly once however many
workers race and whatever process gets killed. Cheap steps follow each other in the same task; the
OCR step fans out one ``item_ocr_page`` task per page, and the page that finishes last moves the item on.

:func:`resume` puts stalled items back on the queue (a worker killed mid-step leaves a lease owned by
a dead process); ingest calls it on start, so re-running an interrupted batch finishes it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import formats, storage
from archive.formats import BadInput
from archive.models import (
    DuplicateCandidate,
    Item,
    ItemEvent,
    ItemFile,
    ItemKind,
    ItemPage,
    ItemReference,
    ItemStatus,
    PageState,
    PageTextVersion,
    Reliability,
    TextBand,
)
from archive.services import blob_put_bytes, event_record, item_file_set, page_text_set, worker_name

log = logging.getLogger("sulieu.archive.pipeline")

WAIT = "wait"
NEXT = "next"
LEASE = dt.timedelta(minutes=15)
OCR_LEASE = dt.timedelta(minutes=10)
DONE_STAGE = "done"


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Item], str]
    label: str


# --- steps -----------------------------------------------------------------------------------------

def _original_bytes(item: Item) -> bytes:
    return storage.read_bytes(item.original.sha256)


def step_identify(item: Item) -> str:
    path = storage.object_path(item.original.sha256)
    if not path.exists():
        raise BadInput(_("Không thấy bản gốc trong kho lưu trữ (mất tệp)."))
    with open(path, "rb") as stream:
        head = stream.read(8192)
    data = _original_bytes(item) if head.startswith(b"PK") else head
    identified = formats.identify(data, item.original_name)
    item.format = identified.format
    item.mime = identified.mime
    if "kind" not in item.locked_fields:
        item.kind = identified.kind
    if item.original.mime != identified.mime:
        item.original.mime = identified.mime
        item.original.save(update_fields=["mime"])
    item.save(update_fields=["format", "mime", "kind"])
    event_record(item=item, kind=ItemEvent.Kind.IDENTIFIED, detail=identified.mime,
                 data={"format": identified.format}, agent="sulieu.archive.formats")
    return NEXT


def step_extract(item: Item) -> str:
    if item.format in {"audio", "video"}:
        item.page_count = 0
        item.save(update_fields=["page_count"])
        return NEXT
    data = _original_bytes(item)
    extracted = formats.extract(data, formats.Identified(item.format, item.mime, item.kind))
    if extracted.converted:
        blob = blob_put_bytes(data=extracted.converted, mime=extracted.converted_mime)
        item_file_set(item=item, role=ItemFile.Role.CONVERTED, blob=blob, name="converted.docx")
    # New pages (a first run) are inserted together with their first text version; pages kept from an
    # earlier run get a new version as before.
    existing = {obj.n: obj for obj in ItemPage.objects.filter(item=item)}
    fresh: list[tuple[formats.PageText, ItemPage]] = []
    for page in extracted.pages:
        obj = existing.get(page.n)
        if obj is None:
            fresh.append((page, ItemPage(item=item, n=page.n, text="" if page.needs_ocr else page.text,
                                         ocr_state=PageState.PENDING if page.needs_ocr else PageState.NONE)))
        elif page.needs_ocr:
            if obj.ocr_state not in (PageState.DONE,):
                obj.ocr_state = PageState.PENDING
                obj.save(update_fields=["ocr_state"])
        else:
            page_text_set(page=obj, text=page.text, source=PageTextVersion.Source.EXTRACTED)
    if fresh:
        ItemPage.objects.bulk_create([obj for _page, obj in fresh])
        PageTextVersion.objects.bulk_create([
            PageTextVersion(page=obj, version=1, text=page.text, source=PageTextVersion.Source.EXTRACTED)
            for page, obj in fresh if not page.needs_ocr])
    if any(n > len(extracted.pages) for n in existing):
        ItemPage.objects.filter(item=item, n__gt=len(extracted.pages)).delete()
    item.page_count = len(extracted.pages)
    meta = extracted.metadata
    _fill(item, "title", (meta.get("title") or "")[:1000])
    _fill(item, "source_url", (meta.get("url") or "")[:2000] if not item.source_url else "")
    if meta.get("sitename") or meta.get("author"):
        _fill(item, "provenance", " — ".join(str(v) for v in (meta.get("sitename"), meta.get("author")) if v))
    if meta.get("tags"):
        _fill(item, "keywords", list(meta["tags"])[:30])
    if meta.get("date"):
        try:
            day = dt.date.fromisoformat(str(meta["date"])[:10])
        except ValueError:
            day = None
        if day and "date_earliest" not in item.locked_fields:
            item.date_earliest = item.date_latest = day
            item.date_precision = "day"
            item.date_text = str(meta["date"])
    needs_ocr = any(p.needs_ocr for p in extracted.pages)
    _fill(item, "reliability", Reliability.DIGITISED if needs_ocr else Reliability.BORN_DIGITAL)
    item.text_source = "ocr" if needs_ocr and item.format == "image" else ("mixed" if needs_ocr else "text")
    item.save()
    if item.format == "pdf":
        _thumbnail_from_pdf(item, data)
    event_record(item=item, kind=ItemEvent.Kind.EXTRACTED, detail=_("%(n)s trang") % {"n": item.page_count},
                 data={"pages": item.page_count, "ocr_pages": sum(p.needs_ocr for p in extracted.pages)},
                 agent="sulieu.archive.formats")
    return NEXT


def _thumbnail_from_pdf(item: Item, data: bytes) -> None:
    try:
        png = formats.render_pdf_page(data, 1, dpi=40)
        blob = blob_put_bytes(data=formats.thumbnail_png(png), mime="image/jpeg")
        item_file_set(item=item, role=ItemFile.Role.THUMBNAIL, blob=blob, name="thumbnail.jpg")
    except Exception:  # a thumbnail is a nicety; the PDF was read already
        log.warning("no thumbnail for item %s", item.pk, exc_info=True)


def _fill(item: Item, field: str, value: object) -> None:
    """Set a descriptive field unless a person corrected it (or the value is empty)."""
    if value in (None, "", []) or field in item.locked_fields:
        return
    setattr(item, field, value)


def step_ocr(item: Item) -> str:
    pages = ItemPage.objects.filter(item=item).exclude(ocr_state=PageState.NONE)
    if not pages.exists():
        return NEXT
    open_pages = [p.n for p in pages if p.ocr_state in (PageState.PENDING, PageState.RUNNING)]
    if open_pages:
        stage_mark(item, "ocr", "waiting", detail="%d/%d" % (len(open_pages), pages.count()))
        item.save(update_fields=["stages"])
        for n in open_pages:
            transaction.on_commit(lambda n=n: enqueue_ocr_page(item.pk, n))
        return WAIT
    _finish_ocr(item)
    return NEXT


def _finish_ocr(item: Item) -> None:
    """All pages OCRed: assemble the searchable PDF, decide photo vs document, record the event."""
    import pypdf

    pages = list(ItemPage.objects.filter(item=item).order_by("n"))
    page_pdfs = {f.page_n: f.blob for f in ItemFile.objects.filter(item=item, role=ItemFile.Role.PAGE_PDF)}
    writer = pypdf.PdfWriter()
    original = None
    for page in pages:
        blob = page_pdfs.get(page.n)
        if blob is not None:
            writer.append(io.BytesIO(storage.read_bytes(blob.sha256)))
        elif item.format == "pdf":
            if original is None:
                original = pypdf.PdfReader(io.BytesIO(_original_bytes(item)), strict=False)
                if original.is_encrypted:
                    original.decrypt("")
            writer.add_page(original.pages[page.n - 1])
    if len(writer.pages):
        out = io.BytesIO()
        writer.write(out)
        blob = blob_put_bytes(data=out.getvalue(), mime="application/pdf")
        item_file_set(item=item, role=ItemFile.Role.SEARCHABLE_PDF, blob=blob, name="searchable.pdf")
    failed = [p.n for p in pages if p.ocr_state == PageState.FAILED]
    confidences = {p.n: p.ocr_confidence for p in pages if p.ocr_state == PageState.DONE}
    letters = sum(1 for p in pages for ch in p.text if ch.isalpha())
    if item.format == "image" and letters < 40 and "kind" not in item.locked_fields:
        item.kind = ItemKind.PHOTO
        item.save(update_fields=["kind"])
    event_record(item=item, kind=ItemEvent.Kind.OCRED,
                 outcome=ItemEvent.Outcome.WARNING if failed else ItemEvent.Outcome.SUCCESS,
                 detail=_("OCR lỗi ở trang %(pages)s") % {"pages": failed} if failed else "",
                 data={"confidence": confidences, "failed_pages": failed}, agent=_ocr_agent())


def _ocr_agent() -> str:
    return "OCRmyPDF + Tesseract (%s)" % "+".join(_ocr_languages())


def _ocr_languages() -> list[str]:
    from archive.ocr import languages

    return languages()


def step_describe(item: Item) -> str:
    import vntext

    text = "\n\n".join(ItemPage.objects.filter(item=item).order_by("n").values_list("text", flat=True))
    head = text[:1500]
    refs = vntext.find_refs(text) if text else []
    own = None
    if item.kind != ItemKind.WEBPAGE:
        for ref in refs:
            if ref.start > 600:
                break
            if ref.symbol and re.search(r"(?:^|\W)(?:[sS]ố|SỐ)\s*:?\s*$", text[max(0, ref.start - 12):ref.start]):
                own = ref
                break
    if own is not None:
        _fill(item, "symbol", own.symbol)
        _fill(item, "doc_number", own.number or "")
        _fill(item, "doc_type_code", own.type_code or "")
        _fill(item, "doc_type_name", own.type_name or "")
        _fill(item, "issuer_code", own.issuer_code or "")
        _fill(item, "issuer_name", own.issuer_name or own.issuer_label or "")
    if "date_earliest" not in item.locked_fields and not item.date_earliest:
        day_spans = [d for d in vntext.find_dates(head) if d.earliest]
        chosen = (next((d for d in day_spans if d.precision == "day"), None) or (day_spans[0] if day_spans else None))
        if own is not None and own.date:
            item.date_earliest = item.date_latest = dt.date.fromisoformat(own.date)
            # the date as the document writes it ("ngày 18 tháng 8 năm 2022"), the ISO date if not found
            written = next((d.text for d in day_spans if d.earliest == own.date and d.precision == "day"), own.date)
            item.date_precision, item.date_text = "day", written[:255]
        elif chosen is not None:
            item.date_earliest = dt.date.fromisoformat(chosen.earliest)
            item.date_latest = dt.date.fromisoformat(chosen.latest or chosen.earliest)
            item.date_precision = chosen.precision if chosen.precision in {"day", "month", "year", "decade"} \
                else "range"
            item.date_text = chosen.text[:255]
    places: list[dict[str, str]] = []
    seen: set[str] = set()
    for place in vntext.find_places(text[:50000]) if text else []:
        if place.name not in seen:
            seen.add(place.name)
            places.append({"name": place.name, "level": place.level})
    _fill(item, "places", places[:30])
    title, summary = _title_from_text(text)
    if title and (item.kind == ItemKind.DOCUMENT or not item.title or item.title == _default_title(item)):
        _fill(item, "title", title[:1000])
    _fill(item, "summary", summary[:2000])
    _fill(item, "signer", _signer(text))
    item.save()
    _record_refs(item, refs, own.symbol if own else None)
    event_record(item=item, kind=ItemEvent.Kind.DESCRIBED, data={"symbol": item.symbol, "refs": len(refs)},
                 agent="vntext")
    return NEXT


def _default_title(item: Item) -> str:
    return os.path.splitext(item.original_name)[0].strip()


_TYPE_HEADINGS = ("NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHỈ THỊ", "KẾT LUẬN", "THÔNG BÁO", "THÔNG TRI", "HƯỚNG DẪN",
                  "CHƯƠNG TRÌNH", "KẾ HOẠCH", "BÁO CÁO", "BIÊN BẢN", "TỜ TRÌNH", "CÔNG VĂN", "QUY ĐỊNH", "QUY CHẾ",
                  "ĐỀ ÁN", "PHƯƠNG ÁN", "GIẤY MỜI", "CÔNG ĐIỆN")


def _title_from_text(text: str) -> tuple[str, str]:
    """An official document's title: its type heading and the trích yếu lines under it."""
    lines = [line.strip() for line in text[:3000].splitlines()]
    for i, line in enumerate(lines[:40]):
        if line.upper() == line and line in _TYPE_HEADINGS:
            summary_lines = []
            for nxt in lines[i + 1:i + 6]:
                if not nxt or nxt.startswith(("-", "Căn cứ", "Thực hiện", "Kính gửi", "I.", "1.")):
                    if summary_lines:
                        break
                    continue
                summary_lines.append(nxt)
            summary = " ".join(summary_lines).strip(" -")
            if summary:
                heading = line.capitalize()
                return "%s %s" % (heading, summary[0].lower() + summary[1:]), summary
    return "", ""


_SIGNED = re.compile(r"\(\s*đã\s+ký\s*\)\s*\n+\s*([^\n]{3,60})", re.I)


def _signer(text: str) -> str:
    tail = text[-1500:]
    m = _SIGNED.search(tail)
    if m:
        return m.group(1).strip()
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    for line in lines[:-1]:
        if re.match(r"^(?:T/M|TM\.|KT\.|Q\.|PHÓ BÍ THƯ|BÍ THƯ|CHỦ TỊCH|PHÓ CHỦ TỊCH|TRƯỞNG BAN|GIÁM ĐỐC)", line):
            candidate = lines[-1]
            if re.match(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?: [A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}$", candidate):
                return candidate
            break
    return ""


def _record_refs(item: Item, refs: Iterable, own_symbol: str | None) -> None:
    wanted: dict[str, object] = {}
    for ref in refs:
        if ref.symbol and ref.symbol != own_symbol and ref.symbol != item.symbol:
            wanted.setdefault(ref.symbol, ref)
    # One read of the item's references, then one delete, one insert and one update at most (a re-run
    # changes nothing it need not).
    existing = {ref.symbol: ref for ref in ItemReference.objects.filter(source=item)}
    stale = [ref.pk for symbol, ref in existing.items() if symbol not in wanted]
    if stale:
        ItemReference.objects.filter(pk__in=stale).delete()
    targets = dict(
        Item.objects.filter(symbol__in=list(wanted), merged_into__isnull=True)
        .exclude(pk=item.pk).order_by("-id").values_list("symbol", "id")) if wanted else {}
    fields = ("type_code", "type_name", "issuer_code", "date", "target_id")
    new, changed = [], []
    for symbol, ref in wanted.items():
        date = None
        if getattr(ref, "date", None):
            try:
                date = dt.date.fromisoformat(ref.date)
            except ValueError:
                date = None
        values = dict(zip(fields, (ref.type_code or "", ref.type_name or "", ref.issuer_code or "", date,
                                   targets.get(symbol)), strict=True))
        obj = existing.get(symbol)
        if obj is None:
            new.append(ItemReference(source=item, symbol=symbol, **values))
        elif any(getattr(obj, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(obj, key, value)
            changed.append(obj)
    if new:
        ItemReference.objects.bulk_create(new)
    if changed:
        ItemReference.objects.bulk_update(changed, list(fields))
    if item.symbol:
        ItemReference.objects.filter(symbol=item.symbol, target__isnull=True).exclude(source=item).update(target=item)


NUM_PERM = 64
BANDS = 16
NEAR_THRESHOLD = 0.8


_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
_PERMUTATIONS: dict[tuple[int, int], tuple[object, object]] = {}


def _permutations(num_perm: int, seed: int) -> tuple[object, object]:
    import numpy as np

    key = (num_perm, seed)
    if key not in _PERMUTATIONS:
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        _PERMUTATIONS[key] = (a, b)
    return _PERMUTATIONS[key]


def minhash_values(shingles: Iterable[bytes], *, num_perm: int = NUM_PERM, seed: int = 7) -> list[int]:
    """datasketch's ``MinHash(num_perm, seed).update_batch(shingles).hashvalues`` (scheme affine32: sha1 32-bit,
    MurmurHash3 finaliser, odd affine permutations mod 2**32), without importing datasketch.

    Importing datasketch pulls scipy in through its LSH module: 1.5–2.5 s at the start of every ``sulieu
    ingest``. Written out here the signature also no longer changes with the installed datasketch version
    (1.x used another scheme); a test checks it equals datasketch's.
    """
    import hashlib

    import numpy as np

    hv = np.frombuffer(b"".join(hashlib.sha1(s).digest()[:4] for s in shingles), dtype="<u4").astype(np.uint32)
    if not len(hv):
        return [(1 << 32) - 1] * num_perm
    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s3)).reshape(-1, 1)
    a, b = _permutations(num_perm, seed)
    return [int(v) for v in (hv * a + b).min(axis=0)]


def text_signature(text: str) -> list[int] | None:
    import vntext

    folded = re.sub(r"\s+", " ", vntext.fold(text)).strip()
    if len(folded) < 200:
        return None
    shingles = {folded[i:i + 5] for i in range(len(folded) - 4)}
    return minhash_values([s.encode("utf-8") for s in shingles])


def _bands(signature: list[int]) -> list[str]:
    import hashlib

    rows = NUM_PERM // BANDS
    return ["%d:%s" % (b, hashlib.blake2b(",".join(map(str, signature[b * rows:(b + 1) * rows])).encode(),
                                          digest_size=8).hexdigest()) for b in range(BANDS)]


def step_deduplicate(item: Item) -> str:
    text = "\n".join(ItemPage.objects.filter(item=item).order_by("n").values_list("text", flat=True))
    signature = text_signature(text)
    TextBand.objects.filter(item=item).delete()
    item.minhash = signature
    item.save(update_fields=["minhash"])
    found = []
    if signature is not None:
        keys = _bands(signature)
        # Most shared bands first, at most 50 compared: a corpus of look-alike forms must not go quadratic.
        from django.db.models import Count

        candidates = list(TextBand.objects.filter(key__in=keys).exclude(item=item).values("item_id")
                          .annotate(shared=Count("id")).order_by("-shared").values_list("item_id", flat=True)[:50])
        TextBand.objects.bulk_create([TextBand(item=item, key=k) for k in keys], ignore_conflicts=True)
        for other_id, other_minhash in Item.objects.filter(pk__in=candidates, merged_into__isnull=True).values_list(
                "id", "minhash"):
            if not other_minhash:
                continue
            score = sum(a == b for a, b in zip(signature, other_minhash, strict=False)) / NUM_PERM
            if score >= NEAR_THRESHOLD:
                found.append({"item": other_id, "score": score})
        if found:
            # One insert for all pairs (a look-alike corpus matches all 50); pairs recorded by an earlier run
            # keep their score and decision, as get_or_create did: the (item, other) unique constraint makes
            # the insert skip them (INSERT OR IGNORE / ON CONFLICT DO NOTHING), no query needed to find them.
            DuplicateCandidate.objects.bulk_create(
                [DuplicateCandidate(item=item, other_id=f["item"], score=f["score"]) for f in found],
                ignore_conflicts=True)
    event_record(item=item, kind=ItemEvent.Kind.DEDUPLICATED, data={"near": found},
                 outcome=ItemEvent.Outcome.WARNING if found else ItemEvent.Outcome.SUCCESS,
                 detail=_("Có %(n)s tài liệu gần trùng") % {"n": len(found)} if found else "", agent="datasketch")
    return NEXT


def step_index(item: Item) -> str:
    try:
        from search.services import index_items
    except ImportError:
        stage_mark(item, "index", "skipped", detail="search.services.index_items not available")
        return NEXT
    index_items(item_ids=[item.pk])
    event_record(item=item, kind=ItemEvent.Kind.INDEXED, agent="search")
    return NEXT


STEPS: list[Step] = [
    Step("identify", step_identify, "Nhận dạng"),
    Step("extract", step_extract, "Trích văn bản"),
    Step("ocr", step_ocr, "OCR"),
    Step("describe", step_describe, "Mô tả"),
    Step("deduplicate", step_deduplicate, "Kiểm tra trùng"),
    Step("index", step_index, "Lập chỉ mục"),
]
STEP_NAMES = [s.name for s in STEPS]
_BY_NAME = {s.name: s for s in STEPS}


def next_stage(name: str) -> str:
    i = STEP_NAMES.index(name)
    return STEP_NAMES[i + 1] if i + 1 < len(STEP_NAMES) else DONE_STAGE


# --- running ---------------------------------------------------------------------------------------

def stage_mark(item: Item, stage: str, status: str, detail: str = "") -> None:
    stages = dict(item.stages or {})
    stages[stage] = {"status": status, "at": timezone.now().isoformat(timespec="seconds")}
    if detail:
        stages[stage]["detail"] = detail[:500]
    item.stages = stages


def _free_lease_q() -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now())


def _claim(item_id: int, stage: str) -> bool:
    """Lease the item at ``stage``: free or expired leases, and at once a lease whose owner died.

    The owner is ``host:pid``; a process of this host that no longer runs (kill -9 of a worker) cannot
    finish its step, so its lease is taken over without waiting for it to expire. Leases of other hosts
    expire by time only.
    """
    at_stage = Item.objects.filter(pk=item_id, stage=stage, status__in=[ItemStatus.QUEUED, ItemStatus.PROCESSING])
    lease = {"lease_owner": worker_name(), "lease_until": timezone.now() + LEASE, "status": ItemStatus.PROCESSING}
    if at_stage.filter(_free_lease_q()).update(**lease):
        return True
    owner = at_stage.values_list("lease_owner", flat=True).first()
    if owner and _dead(owner):
        log.info("item %s: taking over the lease of %s, which no longer runs", item_id, owner)
        return bool(at_stage.filter(lease_owner=owner).update(**lease))
    return False


def inline_steps() -> bool:
    return bool(getattr(settings, "SULIEU_PIPELINE_INLINE", True))


_INDEX_BATCH: ContextVar[list[int] | None] = ContextVar("archive_index_batch", default=None)
INDEX_BATCH_SIZE = 50


@contextmanager
def index_batched() -> Iterator[list[int]]:
    """Within this block, items whose chain reaches the index step wait there, leased, in the yielded list.

    The caller indexes them together with :func:`run_index_batch` (one search write for many items costs
    a fraction of one per item). Items left in the list when the block ends are released, so anyone may
    index them; a process killed meanwhile leaves leases that :func:`_claim` takes over at once.
    """
    batch: list[int] = []
    token = _INDEX_BATCH.set(batch)
    try:
        yield batch
    finally:
        _INDEX_BATCH.reset(token)
        if batch:
            Item.objects.filter(pk__in=batch, stage="index", lease_owner=worker_name()).update(
                lease_owner="", lease_until=None)
            batch.clear()


def run_index_batch(item_ids: Iterable[int]) -> None:
    """The index step of many items this worker holds at that stage, in one search write and one transaction.

    Does what :func:`step_index` and :func:`run_step` do per item (index, event, stage done, lease freed);
    if the batch fails, each item runs its index step alone, so a failure lands on its own item.
    """
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        return
    me = worker_name()
    try:
        from search.services import index_items
    except ImportError:
        index_items = None
    if index_items is not None:
        try:
            with transaction.atomic():
                rows = list(Item.objects.filter(pk__in=ids, stage="index", lease_owner=me)
                            .values_list("pk", "stages"))
                held = [pk for pk, _stages in rows]
                if held:
                    index_items(item_ids=held)
                    ItemEvent.objects.bulk_create([ItemEvent(item_id=pk, kind=ItemEvent.Kind.INDEXED, agent="search",
                                                             outcome=ItemEvent.Outcome.SUCCESS, data={})
                                                   for pk in held])
                at = timezone.now().isoformat(timespec="seconds")
                for pk, stages in rows:
                    stages = {**(stages or {}), "index": {"status": "done", "at": at}}
                    moved = Item.objects.filter(pk=pk, stage="index", lease_owner=me).update(
                        stage=DONE_STAGE, stages=stages, lease_owner="", lease_until=None, status=ItemStatus.DONE,
                        error="")
                    if not moved:
                        raise RuntimeError("lost the lease on item %s" % pk)
            return
        except Exception:
            log.warning("indexing %d items together failed; one by one", len(ids), exc_info=True)
    for pk in ids:
        run_step(pk, "index", held=True)


def run_step(item_id: int, stage: str, *, held: bool = False) -> str | None:
    """Run ``stage`` of an item if it is there and free; continue with the following cheap steps.

    ``held``: this worker already holds the item's lease at ``stage`` (no claim). Returns the stage the
    item reached, or None when this call had nothing to do.
    """
    reached = None
    holding = held  # the lease carried over from the previous step of this chain
    carried: Item | None = None  # the item object of the previous step, reused when the row did not change
    while stage != DONE_STAGE:
        if not holding and not _claim(item_id, stage):
            return reached
        step = _BY_NAME[stage]
        try:
            with _reference_index_paused(), transaction.atomic():
                items = Item.objects.select_related("original")
                if holding:
                    # The item as the previous step left it, unless someone changed it since (a staff edit
                    # moves updated_at; the steps' own saves keep it equal to the row's).
                    seen = Item.objects.filter(pk=item_id, stage=stage, lease_owner=worker_name()).values_list(
                        "updated_at", flat=True).first()
                    if seen is None:  # deleted, or taken over, between two steps
                        return reached
                    item = carried if carried is not None and carried.updated_at == seen else items.get(pk=item_id)
                else:
                    item = items.get(pk=item_id)
                outcome = step.run(item)
                if outcome == WAIT:
                    Item.objects.filter(pk=item_id).update(lease_owner="", lease_until=None, stages=item.stages)
                    return stage
                if (item.stages or {}).get(stage, {}).get("status") != "skipped":
                    stage_mark(item, stage, "done")
                following = next_stage(stage)
                batch = _INDEX_BATCH.get()
                deferred = batch is not None and following == "index"
                # Going on inline, the item stays claimed for the next step (no release and re-claim); so
                # does an item left for the index batch.
                holding = (inline_steps() or deferred) and following != DONE_STAGE
                moved = Item.objects.filter(pk=item_id, stage=stage, lease_owner=worker_name()).update(
                    stage=following, stages=item.stages, lease_owner=worker_name() if holding else "",
                    lease_until=timezone.now() + LEASE if holding else None,
                    status=ItemStatus.DONE if following == DONE_STAGE else ItemStatus.PROCESSING, error="")
                if not moved:
                    raise RuntimeError("lost the lease on item %s" % item_id)
                item.stage, item.status, item.error = following, ItemStatus.PROCESSING, ""
                carried = item
        except BadInput as exc:
            _fail(item_id, stage, str(exc))
            return stage
        except Exception as exc:
            log.exception("item %s: step %s failed", item_id, stage)
            _fail(item_id, stage, _("Lỗi nội bộ ở bước %(step)s: %(error)s") % {"step": stage, "error": exc})
            return stage
        reached = stage = following
        if deferred:
            batch.append(item_id)
            return stage
        if not inline_steps() and stage != DONE_STAGE:
            transaction.on_commit(lambda s=stage: enqueue_step(item_id, s))
            return stage
    return reached


@contextmanager
def _reference_index_paused() -> Iterator[None]:
    """No Wagtail reference-index task per ``item.save()`` in a step.

    Steps change descriptive fields only, never the relations the reference index records (collection,
    unit, original, merged_into), and each save queued a task row for the worker: four per item. The
    index is still updated when an item is created and when staff edit it.
    """
    try:
        from wagtail.signal_handlers import (
            disable_reference_index_auto_update,
            reference_index_auto_update_disabled,
        )
    except ImportError:
        yield
        return
    if getattr(reference_index_auto_update_disabled, "value", False):
        yield
        return
    with disable_reference_index_auto_update():
        yield


def _fail(item_id: int, stage: str, message: str) -> None:
    with transaction.atomic():
        item = Item.objects.get(pk=item_id)
        stage_mark(item, stage, "failed", detail=message)
        Item.objects.filter(pk=item_id).update(status=ItemStatus.FAILED, error=message, stages=item.stages,
                                               lease_owner="", lease_until=None)
        event_record(item=item, kind=ItemEvent.Kind.FAILED, outcome=ItemEvent.Outcome.FAILURE, detail=message,
                     data={"stage": stage})


def run_ocr_page(item_id: int, n: int) -> None:
    """OCR one page (claimed with a conditional update); the last page done moves the item on."""
    now = timezone.now()
    lease = {"ocr_state": PageState.RUNNING, "lease_owner": worker_name(), "lease_until": now + OCR_LEASE}
    page_q = ItemPage.objects.filter(item_id=item_id, n=n)
    claimed = page_q.filter(
        Q(ocr_state=PageState.PENDING) | Q(ocr_state=PageState.RUNNING, lease_until__lt=now)).update(**lease)
    if not claimed:  # a page leased by a process of this host that died is taken over at once
        owner = page_q.filter(ocr_state=PageState.RUNNING).values_list("lease_owner", flat=True).first()
        if owner and _dead(owner):
            claimed = page_q.filter(ocr_state=PageState.RUNNING, lease_owner=owner).update(**lease)
    if not claimed:
        _maybe_finish_ocr(item_id)
        return
    item = Item.objects.select_related("original").get(pk=item_id)
    page = ItemPage.objects.get(item_id=item_id, n=n)
    try:
        data = _original_bytes(item)
        if item.format == "pdf":
            source, is_pdf, dpi = formats.pdf_page(data, n), True, 300
            preview = formats.render_pdf_page(data, n, dpi=100)
        else:
            source, dpi = formats.image_page_png(data, n)
            is_pdf = False
            preview = source
        from archive.ocr import ocr_page

        result = ocr_page(source, is_pdf=is_pdf, dpi=dpi)
    except Exception as exc:
        log.warning("item %s page %s: OCR failed", item_id, n, exc_info=True)
        ItemPage.objects.filter(pk=page.pk, lease_owner=worker_name()).update(
            ocr_state=PageState.FAILED, error=str(exc)[:2000], lease_owner="", lease_until=None)
        _maybe_finish_ocr(item_id)
        return
    with transaction.atomic():
        pdf_blob = blob_put_bytes(data=result.pdf, mime="application/pdf")
        item_file_set(item=item, role=ItemFile.Role.PAGE_PDF, blob=pdf_blob, page_n=n, name="page-%d.pdf" % n)
        image_blob = blob_put_bytes(data=formats.thumbnail_png(preview, width=1200), mime="image/jpeg")
        item_file_set(item=item, role=ItemFile.Role.PAGE_IMAGE, blob=image_blob, page_n=n,
                      name="page-%d.jpg" % n)
        if n == 1:
            thumb = blob_put_bytes(data=formats.thumbnail_png(preview), mime="image/jpeg")
            item_file_set(item=item, role=ItemFile.Role.THUMBNAIL, blob=thumb, name="thumbnail.jpg")
        page.image = image_blob
        page.save(update_fields=["image"])
        page_text_set(page=page, text=result.text, source=PageTextVersion.Source.OCR, confidence=result.confidence)
        ItemPage.objects.filter(pk=page.pk).update(ocr_state=PageState.DONE, lease_owner="", lease_until=None,
                                                   error="")
    _maybe_finish_ocr(item_id)


def _maybe_finish_ocr(item_id: int) -> None:
    open_pages = ItemPage.objects.filter(item_id=item_id, ocr_state__in=[PageState.PENDING, PageState.RUNNING])
    if not open_pages.exists() and Item.objects.filter(pk=item_id, stage="ocr").exists():
        run_step(item_id, "ocr")


# --- queueing and recovery -------------------------------------------------------------------------

def enqueue_step(item_id: int, stage: str) -> None:
    from archive.tasks import item_step

    item_step.enqueue(item_id=item_id, step=stage)


def enqueue_ocr_page(item_id: int, n: int) -> None:
    from archive.tasks import item_ocr_page

    item_ocr_page.enqueue(item_id=item_id, n=n)


def enqueue_index(item_ids: list[int]) -> None:
    from archive.tasks import items_index

    items_index.enqueue(item_ids=list(item_ids))


def _dead(owner: str) -> bool:
    host, _sep, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    return int(pid) != os.getpid() and not storage._alive(int(pid))


def release_dead_leases(item_ids: Iterable[int] | None = None) -> int:
    """Free leases held by processes of this machine that no longer run (kill -9)."""
    released = 0
    items = Item.objects.exclude(lease_owner="").filter(status__in=[ItemStatus.QUEUED, ItemStatus.PROCESSING])
    pages = ItemPage.objects.filter(ocr_state=PageState.RUNNING)
    if item_ids is not None:
        ids = list(item_ids)
        items = items.filter(pk__in=ids)
        pages = pages.filter(item_id__in=ids)
    for pk, owner in items.values_list("pk", "lease_owner"):
        if _dead(owner):
            released += Item.objects.filter(pk=pk, lease_owner=owner).update(lease_owner="", lease_until=None)
    for pk, owner in pages.values_list("pk", "lease_owner"):
        if _dead(owner):
            released += ItemPage.objects.filter(pk=pk, lease_owner=owner, ocr_state=PageState.RUNNING).update(
                ocr_state=PageState.PENDING, lease_owner="", lease_until=None)
    return released


def _steps_in_queue(item_ids: list[int]) -> set[tuple[int, str]]:
    """(item, step) pairs that already have a task row waiting in the database queue."""
    from django.conf import settings as django_settings

    if "django_tasks_db" not in django_settings.TASKS.get("default", {}).get("BACKEND", ""):
        return set()
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path="archive.tasks.item_step",
                                      args_kwargs__kwargs__item_id__in=item_ids)
    out: set[tuple[int, str]] = set()
    for args_kwargs in rows.values_list("args_kwargs", flat=True):
        kwargs = (args_kwargs or {}).get("kwargs") or {}
        out.add((kwargs.get("item_id"), kwargs.get("step")))
    return out


def resume(item_ids: Iterable[int]) -> int:
    """Queue the current step of every unfinished item among ``item_ids`` whose lease is free.

    A step that already has a task row waiting is not queued twice (ingest queues the first step of
    each item, then ``sulieu ingest`` resumes the batch: that used to double every task row).
    """
    ids = list(item_ids)
    queued = 0
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        release_dead_leases(chunk)
        waiting = _steps_in_queue(chunk)
        stalled = Item.objects.filter(_free_lease_q(), pk__in=chunk,
                                      status__in=[ItemStatus.QUEUED, ItemStatus.PROCESSING])
        for pk, stage in stalled.values_list("pk", "stage"):
            if stage == "ocr":
                pending = list(ItemPage.objects.filter(
                    Q(ocr_state=PageState.PENDING) | Q(ocr_state=PageState.RUNNING, lease_until__lt=timezone.now()),
                    item_id=pk).values_list("n", flat=True))
                running = ItemPage.objects.filter(item_id=pk, ocr_state=PageState.RUNNING).exists()
                for n in pending:
                    enqueue_ocr_page(pk, n)
                    queued += 1
                if pending or running:
                    continue
            if (pk, stage) in waiting:
                continue
            enqueue_step(pk, stage)
            queued += 1
    return queued


def item_retry(*, item: Item, by: object = None) -> None:
    """Run a failed item again from the step that failed."""
    from orgs.policy import ensure_can

    if by is not None:
        ensure_can(by, "archive.ingest", item)
    Item.objects.filter(pk=item.pk, status=ItemStatus.FAILED).update(status=ItemStatus.QUEUED, error="")
    ItemPage.objects.filter(item=item, ocr_state=PageState.FAILED).update(ocr_state=PageState.PENDING)
    transaction.on_commit(lambda: enqueue_step(item.pk, item.stage))
