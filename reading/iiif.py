"""IIIF Presentation 3 manifest of one item (iiif-prezi3), for Mirador, Universal Viewer and the like.

Every image, thumbnail and rendering in it points at the reading room's own access-checked views, so a
manifest never hands out what its asker could not open; it is built for the user who asks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from iiif_prezi3 import Manifest

from archive.models import Item
from reading import images
from reading.access import ItemRights
from reading.selectors import PageRef


def _lang(value: str) -> dict[str, list[str]]:
    return {"vi": [value]}


def build_manifest(item: Item, *, pages: list[PageRef], blobs: dict[int, Any], rights: ItemRights,
                   absolute: Callable[[str], str], urls: dict[str, str], metadata: list[tuple[str, str]],
                   page_image_url: Callable[[int], str]) -> dict[str, Any]:
    """The manifest as a JSON-ready dict: one canvas per page that has an image."""
    manifest = Manifest(
        id=absolute(urls["manifest"]),
        label=_lang(item.title or item.original_name or "#%s" % item.pk),
        metadata=[{"label": _lang(label), "value": _lang(value)} for label, value in metadata if value],
        homepage=[{"id": absolute(urls["page"]), "type": "Text", "label": _lang(item.title or str(item.pk)),
                   "format": "text/html"}],
    )
    if item.summary:
        manifest.summary = _lang(item.summary)
    if item.rights:
        manifest.requiredStatement = {"label": _lang(_("Quyền")), "value": _lang(item.rights)}
    renderings = []
    if rights.searchable_pdf and urls.get("searchable_pdf"):
        renderings.append({"id": absolute(urls["searchable_pdf"]), "type": "Text",
                           "label": _lang(_("PDF có lớp chữ")), "format": "application/pdf"})
    if rights.original and urls.get("original"):
        renderings.append({"id": absolute(urls["original"]), "type": "Text", "label": _lang(_("Bản gốc")),
                           "format": item.mime or "application/octet-stream"})
    if renderings:
        manifest.rendering = renderings
    pdf_sizes = images.pdf_page_sizes(item) if images.renders_pdf(item) else {}
    for ref in pages:
        blob = blobs.get(ref.n)
        if blob is not None:
            width, height = images.image_size(blob)
            mime = blob.mime or "image/jpeg"
        elif ref.n in pdf_sizes:
            width, height = pdf_sizes[ref.n]
            mime = "image/jpeg"
        else:
            continue
        canvas_id = absolute(urls["manifest"]).rsplit("/", 1)[0] + "/canvas/%d" % ref.n
        canvas = manifest.make_canvas(id=canvas_id, label={"none": [_("tr. %(n)s") % {"n": ref.n}]},
                                      width=width, height=height)
        canvas.add_image(image_url=absolute(page_image_url(ref.n)), anno_page_id=canvas_id + "/page",
                         anno_id=canvas_id + "/image", format=mime, width=width, height=height)
    if urls.get("thumbnail"):
        manifest.thumbnail = [{"id": absolute(urls["thumbnail"]), "type": "Image", "format": "image/jpeg"}]
    return json.loads(manifest.jsonld())  # serialised by iiif-prezi3 itself (it holds URL objects)
