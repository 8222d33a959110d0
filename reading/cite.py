""""Cite this": the archive reference (fonds, file, item, page) in a Vietnamese citation form, and CSL-JSON.

The Vietnamese form follows the usual way archival documents are cited in Vietnamese historical writing:
issuing body, document type and number-symbol, date, summary; then where it is kept (phông, hồ sơ,
tài liệu, tờ/trang) and the online address with the day it was consulted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from archive.models import Collection, CollectionKind, Item


@dataclass
class ArchiveRef:
    repository: str  # the unit keeping the material
    fonds: Collection | None
    file: Collection | None
    item_number: str
    page: int | None


def archive_ref(item: Item, trail: list[Collection], page: int | None = None) -> ArchiveRef:
    fonds = next((c for c in trail if c.kind == CollectionKind.FONDS), trail[0] if trail else None)
    file = next((c for c in reversed(trail) if c.kind == CollectionKind.FILE), None)
    if file is None and trail and trail[-1] is not fonds:
        file = trail[-1]
    unit = item.org_unit or (fonds.org_unit if fonds is not None else None)
    return ArchiveRef(repository=unit.name if unit is not None else "", fonds=fonds, file=file,
                      item_number=str(item.pk), page=page)


def _vn_date(day: dt.date | None) -> str:
    return "ngày %02d/%02d/%d" % (day.day, day.month, day.year) if day else ""


def _named(code: str, title: str) -> str:
    return " ".join(part for part in (code, "“%s”" % title if title else "") if part)


def location_text(ref: ArchiveRef) -> str:
    parts = []
    if ref.fonds is not None:
        parts.append("Phông %s" % _named(ref.fonds.code, ref.fonds.title))
    if ref.file is not None:
        parts.append("Hồ sơ %s" % _named(ref.file.code, ref.file.title))
    parts.append("tài liệu số %s" % ref.item_number)
    if ref.page:
        parts.append("tr. %d" % ref.page)
    return ", ".join(parts)


def vietnamese_citation(item: Item, ref: ArchiveRef, url: str, *, accessed: dt.date | None = None) -> str:
    """E.g. ``Tỉnh ủy Khánh Hòa, Kế hoạch số 98-KH/TU ngày 18/08/2022 về …, Phông …, Hồ sơ …, tài liệu số 12,
    tr. 2. Lưu trữ tại: Tỉnh ủy Khánh Hòa. <url> (truy cập ngày 01/09/2026).``"""
    accessed = accessed or timezone.localdate()
    head = []
    if item.issuer_name:
        head.append(item.issuer_name)
    doc = " ".join(p for p in (item.doc_type_name, "số %s" % item.symbol if item.symbol else "") if p)
    doc = " ".join(p for p in (doc, _vn_date(item.date_earliest) if item.date_precision == "day" else
                               (item.date_text or (str(item.date_earliest.year) if item.date_earliest else "")))
                   if p)
    title = item.summary if item.doc_type_name and item.summary else item.title
    if doc:
        head.append(doc + (" về %s" % title[0].lower() + title[1:] if title and item.summary and item.doc_type_name
                           else ""))
    if not (item.doc_type_name and item.summary) and title:
        head.append("“%s”" % title)
    text = ", ".join(head + [location_text(ref)]) + "."
    if ref.repository:
        text += " Lưu trữ tại: %s." % ref.repository
    return "%s %s (truy cập %s)." % (text, url, _vn_date(accessed))


def csl_json(item: Item, ref: ArchiveRef, url: str, *, accessed: dt.date | None = None) -> dict[str, Any]:
    """One CSL-JSON item (what Zotero and other reference managers import)."""
    accessed = accessed or timezone.localdate()
    data: dict[str, Any] = {
        "id": "sulieu-item-%s" % item.pk,
        "type": "manuscript",
        "title": item.title or item.original_name or "#%s" % item.pk,
        "language": item.language or "vi",
        "URL": url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "archive_location": location_text(ref),
    }
    if ref.repository:
        data["archive"] = ref.repository
    if item.issuer_name:
        data["author"] = [{"literal": item.issuer_name}]
    if item.symbol:
        data["number"] = item.symbol
    if item.doc_type_name:
        data["genre"] = item.doc_type_name
    if item.summary:
        data["abstract"] = item.summary
    if item.date_earliest:
        d = item.date_earliest
        parts = {"day": [d.year, d.month, d.day], "month": [d.year, d.month]}.get(item.date_precision, [d.year])
        data["issued"] = {"date-parts": [parts]}
    if ref.fonds is not None:
        data["collection-title"] = _named(ref.fonds.code, ref.fonds.title).replace("“", "").replace("”", "")
    if ref.page:
        data["page"] = str(ref.page)
    if item.page_count:
        data["number-of-pages"] = str(item.page_count)
    return data
