"""OAI-PMH 2.0 provider: the six verbs over the record registry (see interop.registry).

Resumption tokens carry the request and the position (datestamp, item id) of the last record sent,
signed with the site key: they need no server-side state, so they survive a restart and work on any
web process. Records come in (datestamp, id) order, so a record changed during a harvest is sent
again later rather than skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from archive.models import Collection, Item
from interop.metadata import TT05_FIELDS, base_url, item_dc, item_tt05
from interop.models import OaiRecord
from interop.registry import registry_sync
from orgs.access import filter_visible

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
TT05_NS = "urn:sulieu:tt05:2025"
ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"

METADATA_FORMATS = {
    "oai_dc": (OAI_DC_NS, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
    "tt05": (TT05_NS, "/oai/schemas/tt05.xsd"),
}
VERB_ARGS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
SAFE_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
TOKEN_SALT = "sulieu.interop.oai"
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def batch_size() -> int:
    """Records per response: settings.SULIEU_OAI_BATCH or $SULIEU_OAI_BATCH, default 100."""
    raw = getattr(settings, "SULIEU_OAI_BATCH", 0) or os.environ.get("SULIEU_OAI_BATCH", "")
    try:
        return max(1, int(raw)) if raw else 100
    except ValueError:
        return 100


def repository_id() -> str:
    configured = getattr(settings, "SULIEU_OAI_REPOSITORY_ID", "")
    if configured:
        return configured
    host = re.sub(r"^[a-z]+://", "", base_url()).split("/")[0].split(":")[0]
    return host if re.search(r"[A-Za-z]", host) else "sulieu.local"


def identifier_for(item_ref: int) -> str:
    return "oai:%s:item/%d" % (repository_id(), item_ref)


def item_ref_from(identifier: str) -> int:
    prefix = "oai:%s:item/" % repository_id()
    if not identifier.startswith(prefix) or not identifier[len(prefix):].isdigit():
        raise OaiError("idDoesNotExist", "No record has the identifier %r." % identifier[:200])
    return int(identifier[len(prefix):])


def stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- sets ----------------------------------------------------------------------------------------

def public_collections() -> dict[int, Collection]:
    return {c.pk: c for c in filter_visible(None, Collection.objects.all()).order_by("path")}


def set_spec(collection: Collection, by_id: dict[int, Collection]) -> str | None:
    """``TU-KH:TU-KH.09``: the codes from the fonds down; None when an ancestor is not public."""
    parts = []
    for pk in collection.ancestor_ids():
        node = by_id.get(pk)
        if node is None:
            return None
        parts.append(node.code if node.code and SAFE_SPEC.match(node.code) else "c%d" % node.pk)
    return ":".join(parts)


def collection_for_spec(spec: str) -> Collection:
    by_id = public_collections()
    for collection in by_id.values():
        if set_spec(collection, by_id) == spec:
            return collection
    raise OaiError("badArgument", "No set has the spec %r." % spec[:200])


def set_specs_for(path: str, by_id: dict[int, Collection]) -> list[str]:
    specs = []
    for part in path.split("."):
        if part and int(part) in by_id:
            spec = set_spec(by_id[int(part)], by_id)
            if spec:
                specs.append(spec)
    return specs


# --- arguments -----------------------------------------------------------------------------------

@dataclass
class ListArgs:
    prefix: str
    from_: dt.datetime | None = None
    until: dt.datetime | None = None
    set_spec: str = ""
    after: tuple[str, int] | None = None  # (datestamp iso, item_ref) of the last record sent

    def token(self, last: OaiRecord) -> str:
        return signing.dumps({
            "m": self.prefix, "s": self.set_spec,
            "f": self.from_.isoformat() if self.from_ else None,
            "u": self.until.isoformat() if self.until else None,
            "d": last.datestamp.isoformat(), "i": last.item_ref}, salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, token: str) -> ListArgs:
        try:
            data = signing.loads(token, salt=TOKEN_SALT)
            return cls(prefix=data["m"], set_spec=data["s"],
                       from_=dt.datetime.fromisoformat(data["f"]) if data["f"] else None,
                       until=dt.datetime.fromisoformat(data["u"]) if data["u"] else None,
                       after=(data["d"], int(data["i"])))
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise OaiError("badResumptionToken", "The resumption token is invalid or has expired.") from None


def parse_date(value: str, *, end: bool) -> tuple[dt.datetime, str]:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
        except ValueError:
            raise OaiError("badArgument", "Not a date: %r." % value[:40]) from None
        return (day + dt.timedelta(days=1) if end else day), "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
        try:
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            raise OaiError("badArgument", "Not a date: %r." % value[:40]) from None
        return (moment + dt.timedelta(seconds=1) if end else moment), "seconds"
    raise OaiError("badArgument", "Dates are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not %r." % value[:40])


def check_args(verb: str, args: dict[str, list[str]]) -> dict[str, str]:
    if verb not in VERB_ARGS:
        raise OaiError("badVerb", "Illegal OAI verb." if verb else "The verb argument is missing.")
    required, optional = VERB_ARGS[verb]
    values: dict[str, str] = {}
    for key, given in args.items():
        if key == "verb":
            continue
        if key not in required | optional:
            raise OaiError("badArgument", "Illegal argument %r for %s." % (key[:40], verb))
        if len(given) != 1:
            raise OaiError("badArgument", "The argument %r is repeated." % key[:40])
        values[key] = given[0]
    if "resumptionToken" in values:
        if len(values) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return values
    missing = required - set(values)
    if missing:
        raise OaiError("badArgument", "Missing argument: %s." % ", ".join(sorted(missing)))
    return values


def list_args(values: dict[str, str]) -> ListArgs:
    if "resumptionToken" in values:
        return ListArgs.from_token(values["resumptionToken"])
    prefix = values["metadataPrefix"]
    if prefix not in METADATA_FORMATS:
        raise OaiError("cannotDisseminateFormat", "The metadata format %r is not supported." % prefix[:40])
    args = ListArgs(prefix=prefix, set_spec=values.get("set", ""))
    granularities = set()
    if "from" in values:
        args.from_, g = parse_date(values["from"], end=False)
        granularities.add(g)
    if "until" in values:
        args.until, g = parse_date(values["until"], end=True)
        granularities.add(g)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if args.from_ and args.until and args.from_ >= args.until:
        raise OaiError("noRecordsMatch", "from is later than until.")
    return args


# --- the response --------------------------------------------------------------------------------

def _el(parent: etree._Element, tag: str, text: str | None = None, ns: str = OAI_NS, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, "{%s}%s" % (ns, tag), **attrs)
    if text is not None:
        node.text = _xml_text(text)
    return node


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _CONTROL.sub("", str(value))


class Response:
    def __init__(self, request_url: str, args: dict[str, str], verb: str) -> None:
        self.root = etree.Element("{%s}OAI-PMH" % OAI_NS, nsmap={None: OAI_NS, "xsi": XSI_NS})
        self.root.set("{%s}schemaLocation" % XSI_NS, "%s %s" % (OAI_NS, OAI_SCHEMA))
        self.response_date = _el(self.root, "responseDate", stamp(timezone.now()))
        self.request = _el(self.root, "request", request_url)
        self.verb = verb
        self.args = args

    def set_request_args(self) -> None:
        if self.verb:
            self.request.set("verb", self.verb)
        for key, value in self.args.items():
            self.request.set(key, _xml_text(value))

    def error(self, exc: OaiError) -> None:
        _el(self.root, "error", exc.message, code=exc.code)

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _header(parent: etree._Element, record: OaiRecord, by_id: dict[int, Collection]) -> None:
    header = _el(parent, "header", **({"status": "deleted"} if record.deleted else {}))
    _el(header, "identifier", identifier_for(record.item_ref))
    _el(header, "datestamp", stamp(record.datestamp))
    for spec in set_specs_for(record.collection_path, by_id):
        _el(header, "setSpec", spec)


def _metadata(parent: etree._Element, prefix: str, item: Item) -> None:
    holder = _el(parent, "metadata")
    if prefix == "oai_dc":
        dc = etree.SubElement(holder, "{%s}dc" % OAI_DC_NS, nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
        dc.set("{%s}schemaLocation" % XSI_NS, "%s %s" % (OAI_DC_NS, METADATA_FORMATS["oai_dc"][1]))
        for name, values in item_dc(item).items():
            for value in values:
                _el(dc, name, value, ns=DC_NS)
        return
    record = etree.SubElement(holder, "{%s}record" % TT05_NS, nsmap={"tt05": TT05_NS, "xsi": XSI_NS})
    record.set("{%s}schemaLocation" % XSI_NS, "%s %s" % (TT05_NS, base_url() + METADATA_FORMATS["tt05"][1]))
    fields = item_tt05(item)
    for name, _label in TT05_FIELDS:
        if fields.get(name):
            _el(record, name, fields[name], ns=TT05_NS)


def _record_items(records: list[OaiRecord]) -> dict[int, Item]:
    ids = [r.item_ref for r in records if not r.deleted]
    return {i.pk: i for i in Item.objects.filter(pk__in=ids).select_related("collection", "org_unit")}


def _live_item(record: OaiRecord, items: dict[int, Item]) -> Item | None:
    return None if record.deleted else items.get(record.item_ref)


def do_identify(resp: Response) -> None:
    node = _el(resp.root, "Identify")
    _el(node, "repositoryName", str(getattr(settings, "WAGTAIL_SITE_NAME", "Sử liệu")))
    _el(node, "baseURL", base_url() + "/oai")
    _el(node, "protocolVersion", "2.0")
    _el(node, "adminEmail", getattr(settings, "SULIEU_OAI_ADMIN_EMAIL", "") or "admin@example.org")
    earliest = OaiRecord.objects.order_by("datestamp").values_list("datestamp", flat=True).first()
    _el(node, "earliestDatestamp", stamp(earliest or timezone.now()))
    _el(node, "deletedRecord", "persistent")
    _el(node, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    desc = _el(node, "description")
    ident = etree.SubElement(desc, "{%s}oai-identifier" % ID_NS, nsmap={None: ID_NS})
    ident.set("{%s}schemaLocation" % XSI_NS, "%s http://www.openarchives.org/OAI/2.0/oai-identifier.xsd" % ID_NS)
    for tag, text in (("scheme", "oai"), ("repositoryIdentifier", repository_id()), ("delimiter", ":"),
                      ("sampleIdentifier", identifier_for(1))):
        _el(ident, tag, text, ns=ID_NS)


def do_list_metadata_formats(resp: Response, values: dict[str, str]) -> None:
    if "identifier" in values:
        ref = item_ref_from(values["identifier"])
        if not OaiRecord.objects.filter(item_ref=ref).exists():
            raise OaiError("idDoesNotExist", "No record has the identifier %r." % values["identifier"][:200])
    node = _el(resp.root, "ListMetadataFormats")
    for prefix, (namespace, schema) in METADATA_FORMATS.items():
        fmt = _el(node, "metadataFormat")
        _el(fmt, "metadataPrefix", prefix)
        _el(fmt, "schema", schema if schema.startswith("http") else base_url() + schema)
        _el(fmt, "metadataNamespace", namespace)


def do_list_sets(resp: Response, values: dict[str, str]) -> None:
    if "resumptionToken" in values:
        raise OaiError("badResumptionToken", "ListSets is answered in one response; no token applies.")
    by_id = public_collections()
    specs = [(set_spec(c, by_id), c) for c in by_id.values()]
    specs = [(s, c) for s, c in specs if s]
    if not specs:
        raise OaiError("noSetHierarchy", "This repository has no public fonds or collections.")
    node = _el(resp.root, "ListSets")
    for spec, collection in specs:
        entry = _el(node, "set")
        _el(entry, "setSpec", spec)
        _el(entry, "setName", collection.title)
        if collection.description:
            desc = _el(entry, "setDescription")
            dc = etree.SubElement(desc, "{%s}dc" % OAI_DC_NS, nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS})
            _el(dc, "description", collection.description, ns=DC_NS)


def do_get_record(resp: Response, values: dict[str, str]) -> None:
    prefix = values["metadataPrefix"]
    ref = item_ref_from(values["identifier"])
    record = OaiRecord.objects.filter(item_ref=ref).first()
    if record is None:
        raise OaiError("idDoesNotExist", "No record has the identifier %r." % values["identifier"][:200])
    if prefix not in METADATA_FORMATS:
        raise OaiError("cannotDisseminateFormat", "The metadata format %r is not supported." % prefix[:40])
    by_id = public_collections()
    items = _record_items([record])
    node = _el(_el(resp.root, "GetRecord"), "record")
    _header(node, record, by_id)
    item = _live_item(record, items)
    if item is not None:
        _metadata(node, prefix, item)


def do_list(resp: Response, values: dict[str, str], *, with_metadata: bool) -> None:
    args = list_args(values)
    qs = OaiRecord.objects.all()
    if args.set_spec:
        qs = qs.filter(collection_path__startswith=collection_for_spec(args.set_spec).path)
    if args.from_:
        qs = qs.filter(datestamp__gte=args.from_)
    if args.until:
        qs = qs.filter(datestamp__lt=args.until)
    total = None
    if args.after is None:
        total = qs.count()
    else:
        after_stamp = dt.datetime.fromisoformat(args.after[0])
        qs = qs.filter(Q(datestamp__gt=after_stamp) | Q(datestamp=after_stamp, item_ref__gt=args.after[1]))
    size = batch_size()
    page = list(qs.order_by("datestamp", "item_ref")[: size + 1])
    if not page:
        if args.after is not None:
            raise OaiError("badResumptionToken", "The resumption token points past the end of the list.")
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    more = len(page) > size
    page = page[:size]
    by_id = public_collections()
    items = _record_items(page) if with_metadata else {}
    node = _el(resp.root, "ListRecords" if with_metadata else "ListIdentifiers")
    for record in page:
        if with_metadata:
            entry = _el(node, "record")
            _header(entry, record, by_id)
            item = _live_item(record, items)
            if item is not None:
                _metadata(entry, args.prefix, item)
        else:
            _header(node, record, by_id)
    if more or args.after is not None:
        attrs = {"completeListSize": str(total)} if total is not None else {}
        _el(node, "resumptionToken", args.token(page[-1]) if more else "", **attrs)


def respond(request_url: str, params: dict[str, list[str]]) -> bytes:
    """The whole OAI-PMH answer (an XML document) to one request."""
    verb_values = params.get("verb", [])
    verb = verb_values[0] if len(verb_values) == 1 else ""
    resp = Response(request_url, {}, verb)
    try:
        values = check_args(verb, params)
        resp.args = values
        resp.set_request_args()
        resp.response_date.text = stamp(registry_sync())
        if verb == "Identify":
            do_identify(resp)
        elif verb == "ListMetadataFormats":
            do_list_metadata_formats(resp, values)
        elif verb == "ListSets":
            do_list_sets(resp, values)
        elif verb == "GetRecord":
            do_get_record(resp, values)
        else:
            do_list(resp, values, with_metadata=verb == "ListRecords")
    except OaiError as exc:
        resp.error(exc)
    return resp.bytes()


def request_params(query: Any) -> dict[str, list[str]]:
    return {key: query.getlist(key) for key in query}
