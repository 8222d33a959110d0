"""Citations through CSL: CSL-JSON for archive items and outside sources, notes rendered by pandoc's citeproc.

The style is ``books/csl/vi-note.csl`` (a Vietnamese note style: the first note in full, later notes short
with "Sđd" for books and "Tlđd" for documents, "Sđd, tr. 5" / "Tlđd, tr. 5" right after the same source;
archival documents with fonds, file and item; names in Vietnamese order). pandoc's citeproc is a complete
CSL 1.0.2 processor (positions ibid / subsequent included), which citeproc-py is not.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from archive.models import Collection, CollectionKind, Item, ItemKind
from books.models import Source, SourceKind

STYLE = Path(__file__).resolve().parent / "csl" / "vi-note.csl"
PANDOC = "pandoc"


class PandocError(RuntimeError):
    pass


def run_pandoc(args: list[str], *, input_text: str | None = None, timeout: int = 600) -> str:
    try:
        proc = subprocess.run([PANDOC, *args], input=input_text, capture_output=True, text=True,  # noqa: S603
                              timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise PandocError("pandoc is not installed (Debian package 'pandoc')") from exc
    if proc.returncode != 0:
        raise PandocError((proc.stderr or "pandoc failed").strip().splitlines()[-1])
    return proc.stdout


def item_key(item_id: int) -> str:
    return "item-%d" % item_id


def source_key(source_id: int) -> str:
    return "source-%d" % source_id


def _trail(item: Item) -> list[Collection]:
    if item.collection is None:
        return []
    from core.tree import ancestor_ids

    ids = ancestor_ids(item.collection.path)
    found = {c.pk: c for c in Collection.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def item_kind(item: Item) -> str:
    if item.kind == ItemKind.WEBPAGE:
        return SourceKind.PRESS
    if item.kind == ItemKind.PUBLICATION:
        return SourceKind.PUBLISHED
    if item.kind in {ItemKind.AUDIO, ItemKind.VIDEO}:
        return SourceKind.ORAL
    return SourceKind.ARCHIVAL


def item_csl(item: Item, *, trail: list[Collection] | None = None) -> dict[str, Any]:
    """CSL-JSON for an archive item, with ``archive``, ``archive_location`` and ``archive-place``."""
    trail = _trail(item) if trail is None else trail
    fonds = next((c for c in trail if c.kind == CollectionKind.FONDS), trail[0] if trail else None)
    file = next((c for c in reversed(trail) if c.kind == CollectionKind.FILE), None)
    location = []
    if fonds is not None:
        location.append("Phông %s" % (fonds.code or fonds.title))
    if file is not None:
        location.append("Hồ sơ %s" % (file.code or file.title))
    location.append("tài liệu số %s" % item.pk)
    unit = item.org_unit or (fonds.org_unit if fonds is not None else None)
    kind = item_kind(item)
    data: dict[str, Any] = {
        "id": item_key(item.pk),
        "type": {SourceKind.PRESS: "article-newspaper", SourceKind.PUBLISHED: "book",
                 SourceKind.ORAL: "interview"}.get(kind, "manuscript"),
        "title": item.summary if (item.symbol and item.summary) else (item.title or item.original_name or "#%s" % item.pk),
        "language": item.language or "vi",
        "archive_location": ", ".join(location),
        "note": "sulieu-kind:%s" % kind,
    }
    if unit is not None:
        data["archive"] = unit.name
    if item.issuer_name:
        data["author"] = [{"literal": item.issuer_name}]
    if item.symbol:
        data["number"] = item.symbol
    if item.doc_type_name:
        data["genre"] = item.doc_type_name
    if item.source_url:
        data["URL"] = item.source_url
    if kind == SourceKind.PRESS and item.provenance:
        data["container-title"] = item.provenance[:200]
    if item.date_earliest:
        d = item.date_earliest
        parts = {"day": [d.year, d.month, d.day], "month": [d.year, d.month]}.get(item.date_precision, [d.year])
        data["issued"] = {"date-parts": [parts]}
    return data


def source_csl(source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {"id": source_key(source.pk), "type": source.type, "title": source.title,
                            "language": "vi", "note": "sulieu-kind:%s" % source.kind}
    names = []
    for person in source.authors or []:
        if isinstance(person, dict) and (person.get("family") or person.get("literal")):
            names.append({k: v for k, v in person.items() if k in {"family", "given", "literal"}})
        elif isinstance(person, str) and person.strip():
            names.append({"literal": person.strip()})
    if names:
        data["author"] = names
    for field, key in (("container_title", "container-title"), ("publisher", "publisher"),
                       ("publisher_place", "publisher-place"), ("issue", "issue"),
                       ("archive_location", "archive_location"), ("url", "URL")):
        if getattr(source, field):
            data[key] = getattr(source, field)
    if source.issued:
        parts = [int(p) for p in re.findall(r"\d+", source.issued)[:3]]
        if parts:
            data["issued"] = {"date-parts": [parts]}
    return data


def hidden_csl(key: str, text: str) -> dict[str, Any]:
    """An entry for an item the reader may not see: only the citation text the compiler wrote."""
    return {"id": key, "type": "manuscript", "title": text or "Tài liệu lưu trữ",
            "note": "sulieu-kind:%s" % SourceKind.ARCHIVAL}


def entry_kind(entry: dict[str, Any]) -> str:
    note = entry.get("note", "")
    return note.split(":", 1)[1] if note.startswith("sulieu-kind:") else SourceKind.PUBLISHED


@dataclass
class Cite:
    """One note's citation: a CSL id and a locator (``page`` or ``folio``), or no id for a text-only note."""

    key: str | None
    locator: str = ""
    locator_kind: str = "page"


_LOCATOR_LABEL = {"page": "tr.", "folio": "tờ"}


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>@$^~|\"])", r"\\\1", text)


def render(cites: list[Cite], entries: dict[str, dict[str, Any]]) -> tuple[list[str], dict[str, str]]:
    """Rendered notes (HTML, one per cite, in order; "" for text-only cites) and the bibliography by key."""
    keyed = [(i, c) for i, c in enumerate(cites) if c.key and c.key in entries]
    notes = [""] * len(cites)
    if not entries:
        return notes, {}
    lines = []
    for _i, cite in keyed:
        locator = re.sub(r"[^\w\s–\-,./]", "", cite.locator or "").strip()
        if locator:
            lines.append("[@%s, %s %s]" % (cite.key, _LOCATOR_LABEL.get(cite.locator_kind, "tr."), locator))
        else:
            lines.append("[@%s]" % cite.key)
    meta = {"nocite": "@*", "lang": "vi-VN"}
    with tempfile.TemporaryDirectory(prefix="sulieu-csl-") as tmp:
        bib = Path(tmp) / "refs.json"
        bib.write_text(json.dumps(list(entries.values()), ensure_ascii=False), encoding="utf-8")
        args = ["-f", "markdown", "-t", "html", "--citeproc", "--csl", str(STYLE), "--bibliography", str(bib),
                "--wrap=none"]
        for key, value in meta.items():
            args += ["-M", "%s=%s" % (key, value)]
        out = run_pandoc(args, input_text="\n\n".join(lines) + "\n")
    tree = lxml_html.fromstring("<div>%s</div>" % out)
    rendered = []
    for li in tree.xpath('//*[contains(concat(" ", @class, " "), " footnotes ")]//li'):
        for back in li.xpath('.//a[contains(@class, "footnote-back")]'):
            back.drop_tree()
        rendered.append(_inner_html(li).strip())
    for (index, _cite), text in zip(keyed, rendered, strict=False):
        notes[index] = text
    bibliography: dict[str, str] = {}
    for div in tree.xpath('//div[starts-with(@id, "ref-")]'):
        bibliography[div.get("id")[4:]] = _inner_html(div).strip()
    return notes, bibliography


def _inner_html(node: Any) -> str:
    text = html.escape(node.text or "", quote=False)
    parts = [text] + [lxml_html.tostring(child, encoding="unicode") for child in node]
    inner = "".join(parts)
    # pandoc wraps a note in <p>; a note is inline text for our writers.
    inner = re.sub(r"^\s*<p>(.*)</p>\s*$", r"\1", inner, flags=re.S)
    return inner.replace('<div class="csl-entry">', "").replace("</div>", "").strip()
