"""The text of a DOCX file read straight from its XML with lxml: the same text python-docx gives, ~10× cheaper.

python-docx builds its object tree for every part of the package (styles, numbering, settings, theme…, each
element a custom Python class) before one paragraph is read: ~20 ms a document on the benchmark corpus, the
largest single cost of born-digital ingest. Here only the main document and the core properties are parsed
(plain lxml elements) and walked once. The text is what ``archive.formats`` built from python-docx, character
for character (a test compares both on every kind of DOCX it can make):

- the body's own paragraphs (``w:body/w:p``), in order; a paragraph is its runs and its hyperlinks' runs (not
  runs inside ``w:ins``, ``w:smartTag``, ``w:sdt`` or fields: python-docx leaves those out too); a run is its
  ``w:t`` text, ``w:tab``/``w:ptab`` as a tab, ``w:br`` (line breaks only; page and column breaks are empty)
  and ``w:cr`` as a newline, ``w:noBreakHyphen`` as "-";
- then the body's own tables, one line a row: the cells joined with " | ", a cell spanning *n* grid columns
  repeated *n* times, a vertically merged cell given the text of the cell it continues; a cell's text is its
  own paragraphs joined by newlines (tables nested in a cell are left out, as python-docx does);
- title and author from ``docProps/core.xml`` (``dc:title``, ``dc:creator``). One deliberate difference: a
  package without core properties has no title (python-docx makes up "Word Document").
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "/officeDocument"
CORE_PROPERTIES = "/metadata/core-properties"

_P, _R, _T, _HYPERLINK = W + "p", W + "r", W + "t", W + "hyperlink"
_TBL, _TR, _TC, _TCPR, _TRPR = W + "tbl", W + "tr", W + "tc", W + "tcPr", W + "trPr"
_BR, _TYPE, _VAL = W + "br", W + "type", W + "val"
_RUN_TEXT = {W + "tab": "\t", W + "ptab": "\t", W + "cr": "\n", W + "noBreakHyphen": "-"}


class DocxError(ValueError):
    """The package or its XML cannot be read (the caller turns it into a message for people)."""


@dataclass
class DocxText:
    lines: list[str]
    metadata: dict[str, str] = field(default_factory=dict)


def _parser() -> etree.XMLParser:
    # No entities resolved, nothing fetched, no huge trees: a DOCX is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _run_text(run: etree._Element) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag == _BR:
            if child.get(_TYPE, "textWrapping") == "textWrapping":
                out.append("\n")
        else:
            text = _RUN_TEXT.get(tag)
            if text:
                out.append(text)
    return "".join(out)


def paragraph_text(p: etree._Element) -> str:
    out = []
    for child in p:
        if child.tag == _R:
            out.append(_run_text(child))
        elif child.tag == _HYPERLINK:
            out.extend(_run_text(r) for r in child if r.tag == _R)
    return "".join(out)


def _int_val(parent: etree._Element | None, tag: str, default: int) -> int:
    if parent is None:
        return default
    element = parent.find(W + tag)
    if element is None:
        return default
    try:
        return int(element.get(_VAL, default))
    except ValueError as exc:
        raise DocxError("bad %s value" % tag) from exc


def _table_lines(tbl: etree._Element) -> list[str]:
    lines = []
    above: dict[int, str] = {}  # grid offset -> the text of the cell occupying it in the previous row
    for tr in tbl:
        if tr.tag != _TR:
            continue
        offset = _int_val(tr.find(_TRPR), "gridBefore", 0)
        row: list[str] = []
        current: dict[int, str] = {}
        for tc in tr:
            if tc.tag != _TC:
                continue
            tcpr = tc.find(_TCPR)
            span = _int_val(tcpr, "gridSpan", 1)
            merge = tcpr.find(W + "vMerge") if tcpr is not None else None
            if merge is not None and merge.get(_VAL, "continue") == "continue":
                if offset not in above:
                    raise DocxError("a merged cell continues nothing")
                text = above[offset]
            else:
                text = "\n".join(paragraph_text(p) for p in tc if p.tag == _P)
            row.extend([text] * span)
            current[offset] = text
            offset += span
        above = current
        lines.append(" | ".join(row))
    return lines


def _targets(archive: zipfile.ZipFile) -> dict[str, str]:
    """The package relationships' targets by type suffix (the main document, the core properties)."""
    try:
        root = etree.fromstring(archive.read("_rels/.rels"), _parser())
    except KeyError:
        return {}
    out: dict[str, str] = {}
    for rel in root.iter(REL + "Relationship"):
        kind = rel.get("Type", "")
        for suffix in (OFFICE_DOCUMENT, CORE_PROPERTIES):
            if kind.endswith(suffix):
                out.setdefault(suffix, posixpath.normpath(rel.get("Target", "").lstrip("/")))
    return out


def docx_text(data: bytes) -> DocxText:
    """The lines and core properties of a DOCX (see the module's docstring); :class:`DocxError` if unreadable."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        targets = _targets(archive)
        body_xml = archive.read(targets.get(OFFICE_DOCUMENT, "word/document.xml"))
        core_name = targets.get(CORE_PROPERTIES, "docProps/core.xml")
        core_xml = archive.read(core_name) if core_name in archive.NameToInfo else None
        root = etree.fromstring(body_xml, _parser())
        core = etree.fromstring(core_xml, _parser()) if core_xml else None
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError, ValueError, EOFError) as exc:
        raise DocxError(str(exc) or exc.__class__.__name__) from exc
    body = root.find(W + "body")
    if root.tag != W + "document" or body is None:
        raise DocxError("no document body")
    lines = [paragraph_text(p) for p in body if p.tag == _P]
    for tbl in body:
        if tbl.tag == _TBL:
            lines.extend(_table_lines(tbl))
    metadata = {}
    if core is not None:
        for key, tag in (("title", "title"), ("author", "creator")):
            element = core.find(DC + tag)
            if element is not None and element.text:
                metadata[key] = element.text
    return DocxText(lines, metadata)
