"""EAD finding aids: export a fonds as EAD3 (or EAD 2002) and import a finding aid as a collection tree.

The official schemas ship in interop/schemas (EAD3 from the django-ead 0.8.1 wheel, EAD 2002 and
xlink from eadator 0.3.4 on PyPI); :func:`validate` checks a document against them offline. Only what
``user`` may see is exported (None = the public finding aid).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from lxml import etree

from archive.models import Collection, CollectionKind, Item
from archive.services import collection_create
from core.audit import audit
from interop.metadata import item_url
from orgs.access import AccessLevel, filter_visible
from orgs.policy import ensure_can

SCHEMAS = Path(__file__).resolve().parent / "schemas"
EAD3_NS = "http://ead3.archivists.org/schema/"
EAD2002_NS = "urn:isbn:1-931666-22-9"
XLINK_NS = "http://www.w3.org/1999/xlink"
LEVELS = {CollectionKind.FONDS: "fonds", CollectionKind.SERIES: "series", CollectionKind.FILE: "file",
          CollectionKind.OTHER: "otherlevel"}
KINDS = {"fonds": CollectionKind.FONDS, "collection": CollectionKind.FONDS, "recordgrp": CollectionKind.FONDS,
         "series": CollectionKind.SERIES, "subseries": CollectionKind.SERIES, "subfonds": CollectionKind.SERIES,
         "file": CollectionKind.FILE}


class EadError(Exception):
    pass


def validate(root: etree._Element, version: str) -> None:
    """Raise EadError with the first schema error when ``root`` is not valid EAD of that version."""
    path = SCHEMAS / ("ead3/ead3.xsd" if version == "ead3" else "ead2002/ead.xsd")
    schema = etree.XMLSchema(etree.parse(str(path)))
    if not schema.validate(root):
        error = schema.error_log.last_error
        raise EadError("not valid %s: line %s: %s" % (version.upper(), error.line, error.message))


def _tree(fonds: Collection, user: Any) -> tuple[list[Collection], dict[int, list[Item]]]:
    nodes = list(filter_visible(user, Collection.objects.filter(path__startswith=fonds.path)).order_by("path"))
    ids = {n.pk for n in nodes}
    items: dict[int, list[Item]] = {}
    for item in (filter_visible(user, Item.objects.filter(collection_id__in=ids, merged_into__isnull=True))
                 .select_related("collection").order_by("date_earliest", "pk")):
        items.setdefault(item.collection_id, []).append(item)
    return nodes, items


def export_ead(fonds: Collection, *, user: Any = None, version: str = "ead3") -> bytes:
    """The finding aid of ``fonds`` and everything under it that ``user`` may see."""
    if version not in {"ead3", "ead2002"}:
        raise EadError("unknown EAD version %r (ead3 or ead2002)" % version)
    nodes, items = _tree(fonds, user)
    if not nodes or nodes[0].pk != fonds.pk:
        raise EadError("the fonds %s is not visible" % fonds.code)
    ns = EAD3_NS if version == "ead3" else EAD2002_NS
    nsmap = {None: ns, "xlink": XLINK_NS} if version == "ead2002" else {None: ns}
    root = etree.Element("{%s}ead" % ns, nsmap=nsmap)

    def el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
        node = etree.SubElement(parent, "{%s}%s" % (ns, tag), **attrs)
        if text is not None:
            node.text = text
        return node

    title = fonds.title
    now = dt.datetime.now(dt.UTC)
    if version == "ead3":
        control = el(root, "control")
        el(control, "recordid", fonds.code or "c%d" % fonds.pk)
        el(el(el(control, "filedesc"), "titlestmt"), "titleproper", title)
        el(control, "maintenancestatus", value="derived")
        el(el(control, "maintenanceagency"), "agencyname",
           fonds.org_unit.name if fonds.org_unit_id else "Sử liệu")
        event = el(el(control, "maintenancehistory"), "maintenanceevent")
        el(event, "eventtype", value="derived")
        el(event, "eventdatetime", now.strftime("%d/%m/%Y"), standarddatetime=now.isoformat(timespec="seconds"))
        el(event, "agenttype", value="machine")
        el(event, "agent", "sulieu")
    else:
        header = el(root, "eadheader")
        el(header, "eadid", fonds.code or "c%d" % fonds.pk)
        el(el(el(header, "filedesc"), "titlestmt"), "titleproper", title)

    def did(parent: etree._Element, unitid: str, unittitle: str, start: Any, end: Any, text_date: str = "") -> None:
        node = el(parent, "did")
        if unitid:
            el(node, "unitid", unitid)
        el(node, "unittitle", unittitle or "—")
        if start or text_date:
            label = text_date or (start.isoformat() + ("/" + end.isoformat() if end and end != start else ""))
            normal = start.isoformat() + ("/" + end.isoformat() if end and end != start else "") if start else None
            el(node, "unitdate", label, **({"normal": normal} if normal else {}))

    def describe(node: etree._Element, collection: Collection) -> None:
        did(node, collection.code, collection.title, collection.date_start, collection.date_end)
        if collection.history:
            el(el(node, "bioghist"), "p", collection.history)
        if collection.description:
            el(el(node, "scopecontent"), "p", collection.description)

    archdesc = el(root, "archdesc", level=LEVELS.get(fonds.kind, "fonds"))
    if archdesc.get("level") == "otherlevel":
        archdesc.set("otherlevel", "other")
    describe(archdesc, fonds)
    children: dict[int, list[Collection]] = {}
    for node in nodes[1:]:
        children.setdefault(node.parent_id, []).append(node)

    def components(parent: etree._Element, collection: Collection) -> None:
        for child in children.get(collection.pk, []):
            c = el(parent, "c", level=LEVELS.get(child.kind, "otherlevel"))
            if c.get("level") == "otherlevel":
                c.set("otherlevel", "other")
            describe(c, child)
            components(c, child)
        for item in items.get(collection.pk, []):
            c = el(parent, "c", level="item")
            did(c, item.symbol or str(item.pk), item.title or item.original_name, item.date_earliest,
                item.date_latest, item.date_text)
            if version == "ead3":
                el(c.find("{%s}did" % ns), "dao", daotype="derived", href=item_url(item))
            else:
                el(c.find("{%s}did" % ns), "dao", **{"{%s}href" % XLINK_NS: item_url(item)})
            if item.summary:
                el(el(c, "scopecontent"), "p", item.summary)

    if children.get(fonds.pk) or items.get(fonds.pk):
        components(el(archdesc, "dsc"), fonds)
    validate(root, version)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass
class EadImport:
    collections: int = 0
    skipped_items: int = 0
    root: Collection | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"collections": self.collections, "skipped_items": self.skipped_items,
                "root": self.root.code if self.root else None, "root_id": self.root.pk if self.root else None}


def import_ead(data: bytes, *, by: Any, parent: Collection | None = None,
               access: str = AccessLevel.INTERNAL) -> EadImport:
    """Make the collection tree of a finding aid (archdesc and its non-item components)."""
    ensure_can(by, "archive.describe", parent)
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                             huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise EadError("not well-formed XML: %s" % exc) from None
    ns = etree.QName(root).namespace
    if etree.QName(root).localname != "ead" or ns not in {EAD3_NS, EAD2002_NS, None}:
        raise EadError("not an EAD document (root element %s)" % etree.QName(root).localname)
    if ns is not None:
        validate(root, "ead3" if ns == EAD3_NS else "ead2002")
    q = (lambda tag: "{%s}%s" % (ns, tag)) if ns else (lambda tag: tag)
    archdesc = root.find(q("archdesc"))
    if archdesc is None:
        raise EadError("the finding aid has no archdesc")
    result = EadImport()

    def text_of(node: etree._Element | None) -> str:
        return " ".join("".join(node.itertext()).split()) if node is not None else ""

    def make(node: etree._Element, under: Collection | None) -> Collection:
        d = node.find(q("did"))
        level = node.get("level", "")
        kind = KINDS.get(level, CollectionKind.OTHER if under is not None else CollectionKind.FONDS)
        notes = [text_of(p) for p in node.iterfind("%s/%s" % (q("scopecontent"), q("p")))]
        history = [text_of(p) for p in node.iterfind("%s/%s" % (q("bioghist"), q("p")))]
        collection = collection_create(
            by=by, parent=under, org_unit=None if under else getattr(parent, "org_unit", None), access=access,
            kind=kind, code=text_of(d.find(q("unitid")) if d is not None else None)[:128],
            title=(text_of(d.find(q("unittitle")) if d is not None else None) or "—")[:500],
            description="\n\n".join(n for n in notes if n), history="\n\n".join(h for h in history if h))
        result.collections += 1
        dsc = node.find(q("dsc"))
        for child in (dsc if dsc is not None else node).iterchildren(q("c"), *[q("c%02d" % i) for i in range(1, 13)]):
            if child.get("level") == "item":
                result.skipped_items += 1
                continue
            make(child, collection)
        return collection

    with transaction.atomic():
        result.root = make(archdesc, parent)
        audit(result.root, "interop.import", by=by, data=result.as_dict())
    return result
