"""An item as plain data (for ``sulieu show --json``, BagIt metadata and the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from archive.models import Item, ItemReference

ITEM_FIELDS = (
    "id", "title", "summary", "kind", "status", "stage", "error", "symbol", "doc_number", "doc_type_code",
    "doc_type_name", "issuer_code", "issuer_name", "signer", "date_earliest", "date_latest", "date_precision",
    "date_text", "language", "page_count", "places", "keywords", "reliability", "source_url", "provenance",
    "rights", "note", "access", "format", "mime", "original_name", "locked_fields", "stages",
)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def item_as_dict(item: Item, *, pages: bool = True, events: bool = True) -> dict[str, Any]:
    data = {name: _plain(getattr(item, name)) for name in ITEM_FIELDS}
    data.update({
        "sha256": item.original.sha256,
        "size": item.original.size,
        "collection": item.collection.code if item.collection_id else None,
        "collection_id": item.collection_id,
        "org_unit": item.org_unit.name if item.org_unit_id else None,
        "org_unit_id": item.org_unit_id,
        "merged_into": item.merged_into_id,
        "created_at": _plain(item.created_at),
        "files": [{"role": f.role, "page": f.page_n, "sha256": f.blob.sha256, "size": f.blob.size, "name": f.name}
                  for f in item.files.select_related("blob").order_by("role", "page_n")],
        "refers_to": [{"symbol": r.symbol, "type": r.type_name, "date": _plain(r.date), "target": r.target_id}
                      for r in ItemReference.objects.filter(source=item).order_by("symbol")],
        "referred_by": [{"id": r.source_id, "symbol": r.symbol}
                        for r in ItemReference.objects.filter(target=item).order_by("source_id")],
        "duplicates": [{"other": d.other_id, "score": d.score, "decision": d.decision}
                       for d in item.duplicate_candidates.all()],
    })
    if pages:
        data["pages"] = [{"n": p.n, "text": p.text, "ocr_confidence": p.ocr_confidence,
                          "versions": p.versions.count()} for p in item.pages.order_by("n")]
    if events:
        data["events"] = [{"kind": e.kind, "outcome": e.outcome, "at": e.at.isoformat(), "detail": e.detail,
                           "by": e.by.get_username() if e.by_id else None, "agent": e.agent, "data": e.data}
                          for e in item.events.select_related("by").order_by("at", "id")]
    return data
