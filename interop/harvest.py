"""Harvesting another archive over OAI-PMH (another sulieu, AtoM, DSpace…) into catalogue records here.

Each harvested record becomes an item whose original is a short text of its description (so the
central instance's search finds it), whose fields are filled from the record (oai_dc, or the richer
``tt05`` format when the provider offers it) and whose ``source_url`` points back to the record at its
source. The next run asks only for what changed since the provider's responseDate of the last
complete run; a record announced deleted is withdrawn here (restricted, kept, audited), and comes
back if the source publishes it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from lxml import etree
from sickle import Sickle
from sickle.models import Identify
from sickle.oaiexceptions import NoRecordsMatch, OAIError

from archive.models import Collection, Item
from archive.services import IngestOptions, collection_create, item_ingest_bytes, item_update
from core.audit import audit
from interop.models import HarvestedRecord, HarvestSource
from interop.oai import DC_NS, TT05_NS
from orgs.access import AccessLevel
from orgs.policy import ensure_can

log = logging.getLogger("sulieu.interop")
TIMEOUT = 60


class HarvestError(Exception):
    """The source cannot be harvested at all (bad URL, not an OAI-PMH provider, unreachable)."""


@dataclass
class HarvestReport:
    seen: int = 0
    imported: int = 0
    updated: int = 0
    deleted: int = 0
    failed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"seen": self.seen, "imported": self.imported, "updated": self.updated, "deleted": self.deleted,
                "failed": self.failed, "unchanged": self.unchanged, "errors": self.errors[:20]}


def _texts(metadata: etree._Element | None, ns: str, name: str) -> list[str]:
    if metadata is None:
        return []
    return [" ".join(node.text.split()) for node in metadata.iter("{%s}%s" % (ns, name))
            if node.text and node.text.strip()]


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _date(value: str) -> tuple[dt.date | None, str]:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    if not match:
        return None, ""
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        if day:
            return dt.date(int(year), int(month), int(day)), "day"
        if month:
            return dt.date(int(year), int(month), 1), "month"
        return dt.date(int(year), 1, 1), "year"
    except ValueError:
        return None, ""


def record_fields(metadata: etree._Element | None, prefix: str) -> tuple[dict[str, Any], str]:
    """Descriptive fields of the record and the link back to the described object at its source."""
    if prefix == "tt05":
        def get(name: str) -> str:
            return _first(_texts(metadata, TT05_NS, name))

        date, precision = _date(get("date"))
        fields = {
            "title": get("title"), "summary": get("summary"), "symbol": get("docSymbol"),
            "doc_number": get("docNumber"), "doc_type_name": get("docType"), "issuer_name": get("issuer"),
            "signer": get("signer"), "language": get("language")[:16], "note": get("note"),
            "keywords": [k.strip() for k in get("keywords").split(";") if k.strip()],
            "date_earliest": date, "date_precision": precision, "date_text": get("date"),
        }
        link = get("url")
    else:
        def all_(name: str) -> list[str]:
            return _texts(metadata, DC_NS, name)

        dates = all_("date")
        # DSpace lists accession and availability stamps first; the issue date is the one without a time.
        date_value = next((d for d in dates if "T" not in d), _first(dates))
        date, precision = _date(date_value)
        fields = {
            "title": _first(all_("title")), "summary": "\n".join(all_("description")),
            "issuer_name": _first(all_("creator")), "keywords": all_("subject"),
            "language": _first(all_("language"))[:16], "rights": _first(all_("rights")),
            "date_earliest": date, "date_precision": precision, "date_text": date_value,
            "doc_type_name": _first(all_("type")),
        }
        link = next((v for v in all_("identifier") if v.startswith(("http://", "https://"))), "")
    fields = {k: v for k, v in fields.items() if v not in (None, "", [])}
    fields["title"] = (fields.get("title") or "")[:1000]
    return fields, link[:2000]


def _document_text(identifier: str, fields: dict[str, Any], link: str, source: str) -> bytes:
    lines = [fields.get("title", ""), fields.get("symbol", ""), fields.get("issuer_name", ""),
             fields.get("date_text", ""), "", fields.get("summary", ""), "",
             "; ".join(fields.get("keywords", [])), "", "Nguồn: %s" % (link or source), "OAI-PMH: %s" % identifier]
    return "\n".join(str(line) for line in lines).encode("utf-8")


def _collection_for(code: str | None, base_url: str, name: str, by: Any) -> Collection:
    host = urllib.parse.urlsplit(base_url).netloc or "oai"
    code = code or "OAI-%s" % re.sub(r"[^A-Za-z0-9.\-]", "-", host)
    existing = Collection.objects.filter(code=code).order_by("pk").first()
    if existing is not None:
        return existing
    return collection_create(by=by, title=name or host, kind="fonds", code=code, access=AccessLevel.PUBLIC,
                             description="Thu thập qua OAI-PMH từ %s" % base_url)


def _sickle(url: str) -> Sickle:
    return Sickle(url, timeout=TIMEOUT, max_retries=2, retry_status_codes=(503,), default_retry_after=2)


def harvest(*, url: str, by: Any, set_spec: str = "", collection_code: str | None = None,
            progress: Callable[[HarvestReport], None] | None = None) -> HarvestReport:
    """Harvest ``url`` (an OAI-PMH base URL) incrementally; one bad record never stops the run."""
    ensure_can(by, "archive.ingest")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise HarvestError("not an http(s) URL: %r" % url[:200])
    client = _sickle(url)
    try:
        answer = client.harvest(verb="Identify")
        identify = Identify(answer)
        response_date = answer.xml.findtext("{http://www.openarchives.org/OAI/2.0/}responseDate") or ""
        formats = {f.metadataPrefix for f in client.ListMetadataFormats()}
    except (OSError, OAIError, etree.XMLSyntaxError, AttributeError, ValueError) as exc:
        raise HarvestError("%s is not a reachable OAI-PMH provider: %s" % (url, exc)) from None
    except Exception as exc:  # requests' errors (HTTP 404, connection refused) are not OSError
        raise HarvestError("%s is not a reachable OAI-PMH provider: %s" % (url, exc)) from None
    prefix = "tt05" if "tt05" in formats else "oai_dc"
    granularity = getattr(identify, "granularity", "") or ""
    collection = _collection_for(collection_code, url, getattr(identify, "repositoryName", ""), by)
    source, _created = HarvestSource.objects.get_or_create(
        base_url=url, set_spec=set_spec, metadata_prefix=prefix,
        defaults={"collection": collection, "repository_name": getattr(identify, "repositoryName", "")[:500],
                  "granularity": granularity})
    if source.collection_id != collection.pk and collection_code:
        source.collection = collection
        source.save(update_fields=["collection"])
    params = {"metadataPrefix": prefix, "ignore_deleted": False}
    if set_spec:
        params["set"] = set_spec
    if source.last_from:
        params["from"] = source.last_from if "T" in granularity else source.last_from[:10]
    report = HarvestReport()
    try:
        records = client.ListRecords(**params)
        for record in records:
            report.seen += 1
            try:
                _take(source, record, prefix, by, report)
            except Exception as exc:  # one bad record is reported, the rest go on
                report.failed += 1
                report.errors.append("%s: %s" % (getattr(record.header, "identifier", "?"), exc))
                log.warning("harvest of a record failed", exc_info=True)
            if progress is not None and report.seen % 50 == 0:
                progress(report)
    except NoRecordsMatch:
        pass
    except OAIError as exc:
        raise HarvestError("%s answered an error: %s" % (url, exc)) from None
    source.last_from = response_date
    source.last_run_at = timezone.now()
    source.save(update_fields=["last_from", "last_run_at"])
    audit(collection, "interop.harvest", by=by, data={"url": url, "set": set_spec, **report.as_dict()})
    return report


def _take(source: HarvestSource, record: Any, prefix: str, by: Any, report: HarvestReport) -> None:
    header = record.header
    identifier, datestamp = header.identifier, header.datestamp or ""
    known = HarvestedRecord.objects.filter(source=source, identifier=identifier).select_related("item").first()
    if header.deleted:
        if known is not None and not known.deleted:
            with transaction.atomic():
                if known.item is not None and known.item.access != AccessLevel.RESTRICTED:
                    item_update(item=known.item, by=by, fields={"access": AccessLevel.RESTRICTED})
                known.deleted, known.datestamp = True, datestamp
                known.save(update_fields=["deleted", "datestamp", "updated_at"])
            report.deleted += 1
        return
    fields, link = record_fields(_metadata(record), prefix)
    if not fields.get("title"):
        fields["title"] = identifier[:1000]
    fields["source_url"] = link or ""
    fields["provenance"] = "OAI-PMH %s — %s" % (source.base_url, identifier)
    if known is not None and known.item is not None:
        if known.datestamp == datestamp and not known.deleted:
            report.unchanged += 1
            return
        with transaction.atomic():
            changes = {k: v for k, v in fields.items() if getattr(known.item, k) != v}
            if known.item.access != AccessLevel.PUBLIC:
                changes["access"] = AccessLevel.PUBLIC
            if changes:
                item_update(item=known.item, by=by, fields=changes)
            known.datestamp, known.deleted, known.link = datestamp, False, link
            known.save(update_fields=["datestamp", "deleted", "link", "updated_at"])
        report.updated += 1
        return
    data = _document_text(identifier, fields, link, source.base_url)
    options = IngestOptions(by=by, collection=source.collection, access=AccessLevel.PUBLIC, channel="oai",
                            metadata=fields)
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", identifier)[-150:] + ".txt"
    result = item_ingest_bytes(data=data, name=safe_name, source=identifier, options=options,
                               source_url=fields["source_url"])
    if result.item is None:
        raise ValueError(result.error or "not stored")
    HarvestedRecord.objects.update_or_create(source=source, identifier=identifier, defaults={
        "item": result.item, "datestamp": datestamp, "deleted": False, "link": link})
    report.imported += 1


def _metadata(record: Any) -> etree._Element | None:
    """The metadata element's child (the format's root) of a Sickle record."""
    found = record.xml.find("{http://www.openarchives.org/OAI/2.0/}metadata")
    if found is None or len(found) == 0:
        return None
    return found[0]


def harvested_items(source: HarvestSource) -> list[Item]:
    return [r.item for r in source.records.select_related("item") if r.item is not None]
