"""BagIt export and import of a collection (or every item): originals + metadata JSON/CSV.

Layout inside ``data/``: ``items.json`` (every item's metadata and page texts), ``items.csv`` (one row
per item), ``collections.json`` and ``originals/<item id>/<original name>``. ``bagit`` writes the
SHA-256 manifests; import validates the bag first and then ingests each original through the normal
path (same SHA-256 = same item, so importing twice adds nothing), restoring its metadata.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

import bagit
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from archive import safepaths, storage
from archive.export import item_as_dict
from archive.ingest import ingest_entry
from archive.models import Collection, Item, ItemEvent
from archive.records import event_record
from archive.services import (
    DESCRIPTIVE_FIELDS,
    IngestOptions,
    collection_get_or_create,
    item_ingest_path,
    page_text_correct,
)
from orgs.access import AccessLevel
from orgs.policy import ensure_can

CSV_FIELDS = ("id", "sha256", "original", "title", "symbol", "doc_type_name", "issuer_name", "date_earliest",
              "date_latest", "date_precision", "kind", "access", "collection", "page_count", "source_url")


class BagError(Exception):
    pass


def _safe_name(name: str, fallback: str) -> str:
    cleaned = "".join(ch if ch.isprintable() and ch not in '/\\:*?"<>|' else "_" for ch in name).strip(" .")
    return cleaned[:150] or fallback


def bag_export(*, target: Path, collection: Collection | None = None, by: Any = None) -> dict[str, Any]:
    if by is not None:
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


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:500] or type(exc).__name__


def _read_json(data_dir: Path, name: str, manifest: dict[str, str]) -> Any:
    if "data/" + name not in manifest:
        raise BagError("%s is not listed in the bag's manifest" % name)
    try:
        with safepaths.open_regular(data_dir / name, root=data_dir) as stream:
            raw = stream.read()
    except (safepaths.Refusal, OSError) as exc:
        raise BagError("cannot read %s: %s" % (name, _one_line(exc))) from exc
    if hashlib.sha256(raw).hexdigest() != manifest["data/" + name]:
        raise BagError("%s does not match its checksum in the manifest" % name)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BagError("%s is not valid JSON: %s" % (name, _one_line(exc))) from exc


def open_bag(source: Path) -> tuple[Path, dict[str, str]]:
    """Check and validate a bag; return its ``data/`` folder and the SHA-256 manifest (``data/…`` → hash).

    Nothing outside the bag is read: a bag holding a link or a special file is refused before bagit
    reads it. Every problem is a :class:`BagError` with a one-line message.
    """
    source = Path(source)
    if not source.is_dir() or source.is_symlink():
        raise BagError("%s is not a folder" % safepaths.display_path(source))
    data_dir = source / "data"
    if data_dir.is_symlink() or not data_dir.is_dir():
        raise BagError("%s has no data/ folder" % safepaths.display_path(source))
    for entry in safepaths.walk(source):
        if isinstance(entry, safepaths.Refused):
            raise BagError("bag is not valid: %s: %s" % (safepaths.display_path(entry.shown), entry.reason))
    try:
        bag = bagit.Bag(str(source))
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        details = "; ".join(_one_line(d) for d in getattr(exc, "details", [])[:3])
        raise BagError("bag is not valid: %s%s" % (_one_line(exc), (" (" + details + ")") if details else "")) \
            from exc
    except (bagit.BagError, OSError, UnicodeError, ValueError) as exc:
        raise BagError("bag is not valid: %s" % _one_line(exc)) from exc
    if "sha256" not in bag.algorithms:
        raise BagError("bag has no SHA-256 manifest (manifest-sha256.txt)")
    manifest = {str(PurePosixPath(*Path(path).parts)): digests["sha256"].lower()
                for path, digests in bag.payload_entries().items() if "sha256" in digests}
    return data_dir, manifest


def bag_member(bag_path: Any, manifest: dict[str, str]) -> tuple[PurePosixPath, str]:
    """A ``bag_path`` from items.json as a path inside ``data/`` listed in the manifest, with its SHA-256."""
    if not isinstance(bag_path, str) or not bag_path.strip():
        raise safepaths.Refusal(_("bag_path trống hoặc không phải chuỗi: bỏ qua"))
    relative = PurePosixPath(bag_path.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or bag_path.startswith("~"):
        raise safepaths.Refusal(_("đường dẫn trong items.json ra ngoài data/ của túi: bỏ qua"))
    key = "data/" + relative.as_posix()
    if key not in manifest:
        raise safepaths.Refusal(_("tệp không có trong manifest của túi: bỏ qua"))
    return relative, manifest[key]


def bag_import(*, source: Path, by: Any = None, access: str | None = None) -> dict[str, Any]:
    """Validate a bag, then ingest its originals and restore their metadata and corrected texts.

    Each original named in items.json must be inside the bag's ``data/``, listed in its SHA-256
    manifest and match that checksum; others are refused one by one (the rest of the bag goes on).
    """
    if by is not None:
        ensure_can(by, "archive.ingest")
    data_dir, manifest = open_bag(Path(source))
    collections = _read_json(data_dir, "collections.json", manifest)
    records = _read_json(data_dir, "items.json", manifest)
    if not isinstance(collections, list) or not isinstance(records, list) \
            or not all(isinstance(r, dict) for r in [*collections, *records]):
        raise BagError("items.json and collections.json must be lists of objects")
    collections_by_code: dict[str, Collection] = {}
    try:
        for entry in collections:
            parent = collections_by_code.get(entry["parent"]) if entry.get("parent") else None
            collection, _created = collection_get_or_create(
                by=None, code=str(entry["code"]), title=str(entry["title"]), kind=entry["kind"], parent=parent,
                access=entry["access"], description=entry.get("description") or "")
            collections_by_code[entry["code"]] = collection
    except (KeyError, TypeError, ValueError) as exc:
        raise BagError("collections.json: bad entry (%s)" % _one_line(exc)) from exc
    counts = {"imported": 0, "duplicates": 0, "failed": 0}
    results = []
    for record in records:
        metadata = {k: record[k] for k in DESCRIPTIVE_FIELDS
                    if k in record and k not in {"collection", "org_unit", "access", "kind"}
                    and record[k] not in (None, "", [])}
        record_access = access or record.get("access") or "internal"
        options = IngestOptions(by=by, access=record_access if record_access in AccessLevel.values else "internal",
                                channel="bag", collection=collections_by_code.get(str(record.get("collection") or "")),
                                kind=str(record.get("kind") or ""), metadata=metadata)
        try:
            relative, sha256 = bag_member(record.get("bag_path"), manifest)
        except safepaths.Refusal as exc:
            shown = Path(safepaths.display_path(str(record.get("bag_path"))))
            result = ingest_entry(safepaths.Refused(shown=shown, reason=str(exc)), options=options)
        else:
            try:
                result = item_ingest_path(path=data_dir / relative, root=data_dir, options=options,
                                          expect_sha256=sha256)
            except (ValidationError, ValueError, TypeError, DatabaseError) as exc:
                reason = _("metadata của tệp trong items.json không hợp lệ: %(error)s") % {"error": _one_line(exc)}
                result = ingest_entry(safepaths.Refused(shown=Path(relative), reason=reason), options=options)
        counts[{"imported": "imported", "duplicate": "duplicates"}.get(result.outcome, "failed")] += 1
        results.append((result, record))
    return {**counts, "results": results}


def restore_page_texts(results: list[tuple[Any, dict[str, Any]]], *, by: Any = None) -> int:
    """After processing: pages whose text in the bag differs (a person corrected it) get that text back."""
    restored = 0
    for result, record in results:
        if result.item is None:
            continue
        pages = {p["n"]: p["text"] for p in (record.get("pages") or [])
                 if isinstance(p, dict) and isinstance(p.get("n"), int) and isinstance(p.get("text"), str)}
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
