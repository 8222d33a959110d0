"""Item → metadata: the TT 05/2025 field set (one mapping used by OAI-PMH, CSV/XLSX and EAD) and Dublin Core."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from archive.models import Collection, Item
from orgs.access import AccessLevel

# TT 05/2025/TT-BNV item fields: (element name in our XML, column name of the annex, how to read it).
TT05_FIELDS: list[tuple[str, str]] = [
    ("identifier", "Mã định danh tài liệu"),
    ("archivalCode", "Mã lưu trữ tài liệu"),
    ("fileCode", "Mã hồ sơ"),
    ("fondsCode", "Mã phông"),
    ("retention", "Thời hạn lưu trữ"),
    ("docType", "Tên loại tài liệu"),
    ("docNumber", "Số của tài liệu"),
    ("docSymbol", "Ký hiệu của tài liệu"),
    ("date", "Ngày, tháng, năm tài liệu"),
    ("issuer", "Tên cơ quan, tổ chức ban hành tài liệu"),
    ("summary", "Trích yếu nội dung"),
    ("language", "Ngôn ngữ"),
    ("pageCount", "Số lượng trang"),
    ("keywords", "Từ khóa"),
    ("accessLevel", "Mức độ tiếp cận"),
    ("reliability", "Mức độ tin cậy"),
    ("signer", "Người ký"),
    ("note", "Ghi chú"),
    ("title", "Tiêu đề"),
    ("url", "Đường dẫn"),
]

# TT 05/2025 code lists where the model keeps something else.
ACCESS_CODES = {AccessLevel.PUBLIC: "01", AccessLevel.INTERNAL: "02", AccessLevel.RESTRICTED: "03"}
LANGUAGE_CODES = {"vi": "01", "en": "02", "fr": "03", "ru": "04", "zh": "05", "ja": "06", "de": "07", "es": "08",
                  "ar": "09", "ko": "10"}


def base_url() -> str:
    return str(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def item_url(item: Item) -> str:
    return base_url() + reverse("reading:item", args=[item.pk])


def _fonds(collection: Collection | None) -> Collection | None:
    if collection is None:
        return None
    ids = collection.ancestor_ids()
    if not ids:
        return collection
    if ids[0] == collection.pk:
        return collection
    return Collection.objects.filter(pk=ids[0]).first()


def item_tt05(item: Item, *, fonds: Collection | None = None) -> dict[str, str]:
    """The TT 05/2025 fields of an item as strings (empty when unknown)."""
    collection = item.collection
    fonds = fonds if fonds is not None else _fonds(collection)
    date = item.date_earliest.isoformat() if item.date_earliest else ""
    if item.date_earliest and item.date_precision == "year":
        date = str(item.date_earliest.year)
    elif item.date_earliest and item.date_precision == "month":
        date = item.date_earliest.strftime("%Y-%m")
    file_code = collection.code if collection is not None else ""
    return {
        "identifier": str(item.pk),
        "archivalCode": ("%s.%07d" % (file_code, item.pk)) if file_code else "",
        "fileCode": file_code,
        "fondsCode": fonds.code if fonds is not None else "",
        "retention": collection.retention if collection is not None else "",
        "docType": item.doc_type_name,
        "docNumber": item.doc_number,
        "docSymbol": item.symbol,
        "date": date,
        "issuer": item.issuer_name,
        "summary": item.summary,
        "language": item.language,
        "pageCount": str(item.page_count or ""),
        "keywords": "; ".join(str(k) for k in item.keywords or []),
        "accessLevel": ACCESS_CODES.get(item.access, ""),
        "reliability": item.reliability,
        "signer": item.signer,
        "note": item.note,
        "title": item.title,
        "url": item_url(item),
    }


def item_dc(item: Item) -> dict[str, list[str]]:
    """Simple Dublin Core (the 15 elements, repeatable) of an item."""
    dc: dict[str, list[str]] = {}

    def add(name: str, *values: Any) -> None:
        for value in values:
            if value not in (None, ""):
                dc.setdefault(name, []).append(str(value))

    add("title", item.title or item.original_name)
    add("creator", item.issuer_name)
    add("subject", *(item.keywords or []))
    add("description", item.summary)
    add("publisher", item.org_unit.name if item.org_unit_id else "")
    add("contributor", item.signer)
    if item.date_earliest:
        add("date", item.date_earliest.isoformat())
    add("type", item.doc_type_name, item.get_kind_display() and item.kind)
    add("format", item.mime)
    add("identifier", item_url(item), item.symbol)
    add("source", item.source_url)
    add("language", item.language)
    if item.collection_id:
        add("relation", "%s %s" % (item.collection.code, item.collection.title))
    add("coverage", *(p if isinstance(p, str) else p.get("name", "") for p in (item.places or [])))
    add("rights", item.rights)
    return dc
