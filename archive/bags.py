"""BagIt export and import of a collection (or every item): originals + metadata JSON/CSV.

Layout inside ``data/``: ``items.json`` (every item's metadata and page texts), ``items.csv`` (one row
per item), ``collections.json`` and ``originals/<item id>/<original name>``. ``bagit`` writes the
SHA-256 manifests; import validates the bag first and then ingests each original through the normal
path (same SHA-256 = same item, so importing twice adds nothing), restoring its metadata.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import bagit
from django.db import transaction

from archive import storage
from archive.export import item_as_dict
from archive.models import Collection, Item, ItemEvent
from archive.records import event_record
from archive.services import DESCRIPTIVE_FIELDS, IngestOptions, item_ingest_path, page_text_correct

CSV_FIELDS = ("id", "sha256", "original", "title", "symbol", "doc_type_name", "issuer_name", "date_earliest",
              "date_latest", "date_precision", "kind", "access", "collection", "page_count", "source_url")


class BagError(Exception):
    pass


def _safe_name(name: str, fallback: str) -> str:
    cleaned = "".join(ch if ch.isprintable() and ch not in '/\\:*?"<>|' else "_" for ch in name).strip(" .")
    return cleaned[:150] or fallback


def bag_export(*, target: Path, collection: Collection | None = None, by: Any = None) -> dict[str, Any]:
    if by is not None:
        from orgs.policy import ensure_can

        ensure_can(by, "archive.export", collection)
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BagError("target %s exists and is not empty" % target)
    items = Item.objects.select_related("original", "collection", "org_unit").order_by("pk")
    collections = Collection.objects.order_by("path")
    if collection is not None:
        items = items.filter(collection__path__startswith=collection.path)
        collections = collections.filter(path__startswith=collection.path)
    target.mkdir(parents=True, exist_ok=True)
    records = []
    originals = target / "originals"
    for item in items.iterator(chunk_size=200):
        data = item_as_dict(item, pages=True, events=False)
        name = _safe_name(item.original_name, item.original.sha256)
        rel = Path("originals") / str(item.pk) / name
        (originals / str(item.pk)).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(storage.object_path(item.original.sha256), target / rel)
        data["bag_path"] = str(rel)
        records.append(data)
    (target / "items.json").write_text(json.dumps(records, ensure_ascii=False, indent=1, default=str), "utf-8")
    (target / "collections.json").write_text(json.dumps(
        [{"code": c.code, "title": c.title, "kind": c.kind, "parent": c.parent.code if c.parent_id else None,
          "access": c.access, "description": c.description} for c in collections.select_related("parent")],
        ensure_ascii=False, indent=1), "utf-8")
    with open(target / "items.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for record in records:
            writer.writerow({k: record.get(k if k != "original" else "original_name") for k in CSV_FIELDS})
    bagit.make_bag(str(target), {"Source-Organization": "Sử liệu", "External-Description":
                                 collection.title if collection else "sulieu archive"},
                   checksums=["sha256"], processes=1)
    with transaction.atomic():
        for item in items.select_related(None).only("pk"):
            event_record(item=item, kind=ItemEvent.Kind.EXPORTED, by=by, data={"bag": str(target)}, agent="bagit")
    return {"items": len(records), "path": str(target)}


def bag_import(*, source: Path, by: Any = None, access: str | None = None) -> dict[str, Any]:
    """Validate a bag, then ingest its originals and restore their metadata and corrected texts."""
    if by is not None:
        from orgs.policy import ensure_can

        ensure_can(by, "archive.ingest")
    bag = bagit.Bag(str(source))
    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        raise BagError("bag is not valid: %s" % exc) from exc
    data_dir = Path(source) / "data"
    collections_by_code: dict[str, Collection] = {}
    from archive.services import collection_get_or_create

    for entry in json.loads((data_dir / "collections.json").read_text("utf-8")):
        parent = collections_by_code.get(entry["parent"]) if entry.get("parent") else None
        collection, _created = collection_get_or_create(
            by=None, code=entry["code"], title=entry["title"], kind=entry["kind"], parent=parent,
            access=entry["access"], description=entry.get("description", ""))
        collections_by_code[entry["code"]] = collection
    counts = {"imported": 0, "duplicates": 0, "failed": 0}
    results = []
    for record in json.loads((data_dir / "items.json").read_text("utf-8")):
        metadata = {k: record[k] for k in DESCRIPTIVE_FIELDS
                    if k in record and k not in {"collection", "org_unit", "access", "kind"}
                    and record[k] not in (None, "", [])}
        options = IngestOptions(by=by, access=access or record.get("access") or "internal", channel="bag",
                                collection=collections_by_code.get(record.get("collection") or ""),
                                kind=record.get("kind") or "", metadata=metadata)
        result = item_ingest_path(path=data_dir / record["bag_path"], options=options)
        counts[{"imported": "imported", "duplicate": "duplicates"}.get(result.outcome, "failed")] += 1
        results.append((result, record))
    return {**counts, "results": results}


def restore_page_texts(results: list[tuple[Any, dict[str, Any]]], *, by: Any = None) -> int:
    """After processing: pages whose text in the bag differs (a person corrected it) get that text back."""
    restored = 0
    for result, record in results:
        if result.item is None:
            continue
        pages = {p["n"]: p["text"] for p in record.get("pages", [])}
        for page in result.item.pages.all():
            if page.n in pages and pages[page.n] != page.text:
                page_text_correct(page=page, by=by, text=pages[page.n]) if by is not None else _set_text(page,
                                                                                                       pages[page.n])
                restored += 1
    return restored


def _set_text(page: Any, text: str) -> None:
    from archive.models import PageTextVersion

    last = page.versions.order_by("-version").first()
    PageTextVersion.objects.create(page=page, version=(last.version if last else 0) + 1, text=text,
                                   source=PageTextVersion.Source.CORRECTION)
    page.text = text
    page.save(update_fields=["text"])
