"""What the reading room shows of one item, put together once for the page, the print view and the API."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from archive.models import Collection, Item, ItemFile, ItemPage, ItemReference
from archive.selectors import item_referred_by, item_refers_to
from reading import cite, images, selectors
from reading.access import ItemRights, item_rights
from reading.highlight import highlight, word_boxes

log = logging.getLogger("sulieu.reading")
RELATED = 6


@dataclass
class ItemReading:
    item: Item
    rights: ItemRights
    pages: list[selectors.PageRef]
    page: ItemPage | None
    page_n: int
    page_has_image: bool
    text_html: str
    marks: int
    trail: list[Collection]
    files: dict[str, ItemFile]
    refers_to: list[ItemReference] = field(default_factory=list)
    referred_by: list[Item] = field(default_factory=list)
    related: list[Any] = field(default_factory=list)
    boxes: list[list[float]] = field(default_factory=list)  # the query's words on the page image (word_boxes)

    @property
    def boxes_json(self) -> str:
        return json.dumps(self.boxes, separators=(",", ":"))

    @property
    def previous_n(self) -> int | None:
        ns = [p.n for p in self.pages]
        i = ns.index(self.page_n) if self.page_n in ns else -1
        return ns[i - 1] if i > 0 else None

    @property
    def next_n(self) -> int | None:
        ns = [p.n for p in self.pages]
        i = ns.index(self.page_n) if self.page_n in ns else -1
        return ns[i + 1] if 0 <= i < len(ns) - 1 else None


def item_urls(item: Item) -> dict[str, str]:
    pk = item.pk
    return {
        "page": reverse("reading:item", args=[pk]),
        "manifest": reverse("reading:manifest", args=[pk]),
        "thumbnail": reverse("reading:thumbnail", args=[pk]),
        "original": reverse("reading:download", args=[pk, "original"]),
        "searchable_pdf": reverse("reading:download", args=[pk, "pdf"]),
        "print": reverse("reading:print", args=[pk]),
        "csl": reverse("reading:cite", args=[pk]),
        "api": reverse("api-item", args=[pk]),
    }


def page_image_url(item: Item, n: int) -> str:
    return reverse("reading:page-image", args=[item.pk, n])


def item_reading(user: Any, item: Item, *, page_n: int = 1, query: str = "", related: bool = True,
                 links: bool = True) -> ItemReading:
    rights = item_rights(user, item)
    pages = selectors.item_page_refs(item)
    numbers = [p.n for p in pages]
    if page_n not in numbers:
        page_n = numbers[0] if numbers else 1
    page = selectors.item_page(item, page_n) if numbers else None
    ref = next((p for p in pages if p.n == page_n), None)
    has_image = bool(ref and (ref.has_image or images.renders_pdf(item)))
    text_html, marks = highlight(page.text if page else "", query)
    words_wanted = bool(query and has_image and rights.read)
    reading = ItemReading(
        item=item, rights=rights, pages=pages, page=page, page_n=page_n, page_has_image=has_image,
        text_html=text_html, marks=marks, trail=selectors.collection_trail(user, item.collection),
        files=selectors.item_files(item, words_of_page=page_n if words_wanted else None),
    )
    if words_wanted:
        reading.boxes = word_boxes(selectors.page_words(reading.files.get(ItemFile.Role.PAGE_WORDS)), query)
    if links:
        reading.refers_to = item_refers_to(user, item)
        reading.referred_by = list(item_referred_by(user, item)[:50])
    if related:
        reading.related = related_items(user, item)
    return reading


def related_query(item: Item) -> str:
    words = (item.title or "").split()[:10]
    words += [str(k) for k in (item.keywords or [])[:5]]
    return " ".join(words)


def related_items(user: Any, item: Item, *, limit: int = RELATED) -> list[Any]:
    """Items like this one, found by the archive's search (as ``user`` may see), itself left out."""
    from search.services import search_items

    query = related_query(item)
    if not query.strip():
        return []
    try:
        results = search_items(user=user, query=query, page_size=limit + 1, facets=False)
    except Exception:  # a missing or rebuilding index must not take the item page down
        log.warning("related items: search failed for item %s", item.pk, exc_info=True)
        return []
    return [hit for hit in results.hits if hit.id != item.pk][:limit]


def metadata_rows(item: Item) -> list[tuple[str, str]]:
    """Descriptive fields as (label, value) for the page, the manifest and the print view."""
    date = item.date_text or (item.date_earliest.strftime("%d/%m/%Y") if item.date_earliest else "")
    rows = [
        (_("Tiêu đề"), item.title),
        (_("Số, ký hiệu"), item.symbol),
        (_("Loại văn bản"), item.doc_type_name),
        (_("Cơ quan ban hành"), item.issuer_name),
        (_("Ngày tháng"), date),
        (_("Trích yếu"), item.summary),
        (_("Người ký"), item.signer),
        (_("Địa danh"), ", ".join(place_names(item))),
        (_("Từ khóa"), ", ".join(str(k) for k in item.keywords or [])),
        (_("Ngôn ngữ"), item.language),
        (_("Số trang"), str(item.page_count) if item.page_count else ""),
        (_("Loại tài liệu"), item.get_kind_display()),
        (_("Mức độ tin cậy"), item.get_reliability_display() if item.reliability else ""),
        (_("Mức độ tiếp cận"), item.get_access_display()),
        (_("Đơn vị"), item.org_unit.name if item.org_unit else ""),
        (_("Nguồn gốc"), item.provenance),
        (_("URL nguồn"), item.source_url),
        (_("Quyền"), item.rights),
        (_("Ghi chú"), item.note),
    ]
    return [(str(label), value) for label, value in rows if value]


def place_names(item: Item) -> list[str]:
    out = []
    for place in item.places or []:
        name = place.get("name") if isinstance(place, dict) else str(place)
        if name:
            out.append(str(name))
    return out


def citation(item: Item, trail: list[Collection], url: str, page: int | None = None) -> dict[str, Any]:
    ref = cite.archive_ref(item, trail, page)
    return {"text": cite.vietnamese_citation(item, ref, url), "csl": cite.csl_json(item, ref, url),
            "location": cite.location_text(ref)}


def item_payload(user: Any, item: Item, absolute: Any) -> dict[str, Any]:
    """The JSON of ``GET /api/v1/items/<id>``: metadata, page count, usable file links, manifest, references."""
    rights = item_rights(user, item)
    urls = item_urls(item)
    files = selectors.item_files(item)
    links: dict[str, str] = {}
    if rights.original:
        links["original"] = absolute(urls["original"])
    if rights.searchable_pdf and ItemFile.Role.SEARCHABLE_PDF in files:
        links["searchable_pdf"] = absolute(urls["searchable_pdf"])
    if rights.read and ItemFile.Role.THUMBNAIL in files:
        links["thumbnail"] = absolute(urls["thumbnail"])
    trail = selectors.collection_trail(user, item.collection)
    refers = item_refers_to(user, item)
    referred = list(item_referred_by(user, item)[:200])
    return {
        "id": item.pk,
        "url": absolute(urls["page"]),
        "title": item.title,
        "summary": item.summary,
        "symbol": item.symbol,
        "doc_type": {"code": item.doc_type_code, "name": item.doc_type_name},
        "issuer": {"code": item.issuer_code, "name": item.issuer_name},
        "signer": item.signer,
        "date": {"earliest": item.date_earliest.isoformat() if item.date_earliest else None,
                 "latest": item.date_latest.isoformat() if item.date_latest else None,
                 "precision": item.date_precision, "text": item.date_text},
        "kind": item.kind,
        "language": item.language,
        "places": place_names(item),
        "keywords": [str(k) for k in item.keywords or []],
        "access": item.access,
        "org_unit": {"id": item.org_unit.pk, "name": item.org_unit.name} if item.org_unit else None,
        "collections": [{"id": c.pk, "code": c.code, "title": c.title, "kind": c.kind} for c in trail],
        "page_count": item.page_count,
        "files": links,
        "iiif_manifest": absolute(urls["manifest"]),
        "refers_to": [{"symbol": r.symbol, "type": r.type_name, "date": r.date.isoformat() if r.date else None,
                       "item": ({"id": r.target.pk, "title": r.target.title, "url": absolute(
                           reverse("api-item", args=[r.target.pk]))} if r.target else None)} for r in refers],
        "referred_by": [{"id": i.pk, "title": i.title, "symbol": i.symbol,
                         "url": absolute(reverse("api-item", args=[i.pk]))} for i in referred],
        "citation": citation(item, trail, absolute(urls["page"]))["text"],
    }
