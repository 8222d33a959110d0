"""Make articles from existing web pages: ``sulieu portal import URL|FILE.html …``.

trafilatura finds the article in the page (menus, counters, "Tin khác" and "Văn bản mới" boxes are left
behind); we turn its XML into the article's fields and body blocks.  Idempotent by source URL: the page's
canonical URL (or the URL fetched, or the file's path), so importing the same page again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html
from wagtail.images import get_image_model

import vntext
from core.audit import audit
from orgs.policy import ensure_can
from portal import models as pm

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = 30
STAMP_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?:\s*(SA|CH|AM|PM))?", re.IGNORECASE)


class ImportFailed(Exception):
    """The source could not be read or held no article (the message says which)."""


@dataclass
class ImageRef:
    src: str
    caption: str = ""


@dataclass
class Extracted:
    title: str
    source_url: str
    sapo: str = ""
    author: str = ""
    site_name: str = ""
    published_at: dt.datetime | None = None
    blocks: list[tuple[str, Any]] = field(default_factory=list)  # ("paragraph", html) / ("image", ImageRef)
    lead: ImageRef | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    source: str
    status: str  # created | updated | unchanged | failed
    id: int | None = None
    url: str = ""
    title: str = ""
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "status": self.status, "id": self.id, "url": self.url, "title": self.title,
                "error": self.error}


def read_source(source: str) -> tuple[bytes, str, str]:
    """(bytes, base for relative links, source URL) of a URL or a local HTML file."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        request = urllib.request.Request(source, headers={"User-Agent": "sulieu-portal/0.1"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (http(s) only)
                data = response.read(MAX_BYTES + 1)
                final = response.geturl()
        except (OSError, ValueError) as exc:
            raise ImportFailed(_("Không tải được trang: %(error)s") % {"error": exc}) from exc
        if len(data) > MAX_BYTES:
            raise ImportFailed(_("Trang quá lớn."))
        return data, final, final
    path = Path(source)
    if not path.is_file():
        raise ImportFailed(_("Không có tệp: %(path)s") % {"path": source})
    if path.stat().st_size > MAX_BYTES:
        raise ImportFailed(_("Tệp quá lớn."))
    return path.read_bytes(), path.resolve().as_uri(), path.resolve().as_uri()


def _canonical(doc: Any) -> str:
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = doc.xpath(xpath)
        if found and re.match(r"^https?://", found[0].strip()):
            return found[0].strip()
    return ""


def _parse_stamp(doc: Any, fallback_date: str | None) -> dt.datetime | None:
    tz = timezone.get_current_timezone()
    for value in doc.xpath("//meta[@property='article:published_time']/@content"):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            continue
        if "T" not in value:
            return dt.datetime.combine(parsed.date(), dt.time.min, tzinfo=tz)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    text = " ".join(doc.xpath("//body//text()"))[:20000]
    match = STAMP_RE.search(text)
    if match:
        day, month, year, hour, minute, half = match.groups()
        hour_n = int(hour)
        if half and half.upper() in {"CH", "PM"} and hour_n < 12:
            hour_n += 12
        if half and half.upper() in {"SA", "AM"} and hour_n == 12:
            hour_n = 0
        try:
            return dt.datetime(int(year), int(month), int(day), hour_n, int(minute), tzinfo=tz)
        except ValueError:
            pass
    if fallback_date:
        try:
            return dt.datetime.combine(dt.date.fromisoformat(fallback_date[:10]), dt.time.min, tzinfo=tz)
        except ValueError:
            return None
    return None


def _inline_html(element: Any) -> str:
    """A trafilatura <p>/<item> with its bold and italic kept, everything else as escaped text."""
    parts = [escape(element.text or "")]
    for child in element:
        inner = _inline_html(child)
        if child.tag == "hi" and "#b" in (child.get("rend") or ""):
            inner = "<b>%s</b>" % inner
        elif child.tag == "hi" and "#i" in (child.get("rend") or ""):
            inner = "<i>%s</i>" % inner
        elif child.tag == "lb":
            inner = "<br/>"
        parts.append(inner)
        parts.append(escape(child.tail or ""))
    return "".join(parts).strip()


def _text(element: Any) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def extract(data: bytes, *, base: str, source_url: str) -> Extracted:
    try:
        doc = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise ImportFailed(_("Không đọc được HTML: %(error)s") % {"error": exc}) from exc
    xml = trafilatura.extract(data, url=source_url if source_url.startswith("http") else None, output_format="xml",
                              include_images=True, include_formatting=True, include_comments=False,
                              with_metadata=True, include_tables=False)
    if not xml:
        raise ImportFailed(_("Không tìm thấy bài viết trong trang."))
    root = etree.fromstring(xml.encode("utf-8"))
    title = (root.get("title") or "").strip()
    if not title:
        raise ImportFailed(_("Trang không có tiêu đề."))
    author = (root.get("author") or "").strip()
    canonical = _canonical(doc) or source_url
    result = Extracted(title=title[:255], source_url=canonical, author=author[:200],
                       site_name=(root.get("sitename") or "").strip()[:300],
                       published_at=_parse_stamp(doc, root.get("date")),
                       tags=[t.strip() for t in (root.get("tags") or "").split(",") if t.strip()][:20])
    description = (root.get("description") or "").strip()
    main = root.find("main")
    elements = list(main) if main is not None else []
    blocks: list[tuple[str, Any]] = []
    for el in elements:
        if el.tag == "graphic":
            src = (el.get("src") or "").strip()
            if src:
                blocks.append(("image", ImageRef(src=urllib.parse.urljoin(base, src),
                                                 caption=(el.get("alt") or el.get("title") or "").strip()[:500])))
        elif el.tag == "head":
            blocks.append(("heading", _text(el)))
        elif el.tag == "list":
            items = "".join("<li>%s</li>" % _inline_html(i) for i in el.findall("item") if _text(i))
            if items:
                blocks.append(("paragraph", "<ul>%s</ul>" % items))
        elif el.tag == "quote":
            blocks.append(("quote", _text(el)))
        elif _text(el):
            text = _text(el)
            if blocks and blocks[-1][0] == "image" and text == blocks[-1][1].caption:
                continue  # the figure's caption, already kept with the image
            blocks.append(("paragraph", "<p>%s</p>" % _inline_html(el)))
    # The author's name alone at the end is the by-line, shown apart as the seed pages do.
    while blocks and blocks[-1][0] == "paragraph":
        last = re.sub(r"<[^>]+>", "", blocks[-1][1]).strip()
        if not last or (author and last == author):
            blocks.pop()
        elif not author and len(last.split()) <= 4 and last[:1].isupper() and not last.endswith((".", ":")):
            result.author = last[:200]
            author = result.author
            blocks.pop()
        else:
            break
    first_text = next((re.sub(r"<[^>]+>", "", v) for k, v in blocks if k == "paragraph"), "")
    if description and not first_text.startswith(description[:60]):
        result.sapo = description
    elif blocks and blocks[0][0] == "paragraph" and len(first_text) < 600:
        result.sapo = first_text
        blocks.pop(0)
    if blocks and blocks[0][0] == "image":
        result.lead = blocks.pop(0)[1]
    result.blocks = blocks
    return result


def _image_bytes(src: str) -> bytes | None:
    parsed = urllib.parse.urlsplit(src)
    try:
        if parsed.scheme == "file":
            path = Path(urllib.parse.unquote(parsed.path))
            return path.read_bytes() if path.is_file() and path.stat().st_size <= MAX_BYTES else None
        if parsed.scheme in {"http", "https"}:
            request = urllib.request.Request(src, headers={"User-Agent": "sulieu-portal/0.1"})
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (http(s) only)
                data = response.read(MAX_BYTES + 1)
            return data if len(data) <= MAX_BYTES else None
    except (OSError, ValueError):
        return None
    return None


def _image(ref: ImageRef, *, by: Any) -> Any:
    """A Wagtail image for this picture (the same bytes twice give the same image); None if unreadable."""
    data = _image_bytes(ref.src)
    if not data:
        return None
    Image = get_image_model()
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 (Wagtail's own file_hash is SHA-1)
    existing = Image.objects.filter(file_hash=digest).first()
    if existing is not None:
        return existing
    name = Path(urllib.parse.urlsplit(ref.src).path).name or "anh.jpg"
    try:
        image = Image(title=(ref.caption or name)[:255], uploaded_by_user=by if getattr(by, "pk", None) else None)
        image.file = ImageFile(io.BytesIO(data), name=name)
        image.save()
    except Exception:  # not an image Pillow can read: the article keeps its text
        return None
    if image.file_hash != digest:
        image.file_hash = digest
        image.save(update_fields=["file_hash"])
    return image


def _body(extracted: Extracted, *, by: Any) -> list[dict[str, Any]]:
    body = []
    for kind, value in extracted.blocks:
        if kind == "image":
            image = _image(value, by=by)
            if image is not None:
                body.append({"type": "image", "value": {"image": image.pk, "caption": value.caption, "credit": ""}})
        else:
            body.append({"type": kind, "value": value})
    return body


def article_import(*, source: str, topic: Any, by: Any) -> ImportResult:
    """Import one page as an article under ``topic`` (created, updated, or unchanged when the same)."""
    ensure_can(by, "portal.edit")
    try:
        data, base, fetched = read_source(source)
        extracted = extract(data, base=base, source_url=fetched)
    except ImportFailed as exc:
        return ImportResult(source=source, status="failed", error=str(exc))
    lead = _image(extracted.lead, by=by) if extracted.lead else None
    fields = {
        "title": extracted.title, "sapo": extracted.sapo, "author": extracted.author,
        "source_name": extracted.site_name, "source_url": extracted.source_url[:2000],
        "published_at": extracted.published_at, "lead_image": lead,
        "lead_image_caption": extracted.lead.caption if extracted.lead else "",
    }
    body = _body(extracted, by=by)
    with transaction.atomic():
        existing = pm.ArticlePage.objects.filter(source_url=fields["source_url"]).first()
        if existing is None:
            page = pm.ArticlePage(**fields, body=body, slug=_slug(topic, extracted.title))
            topic.add_child(instance=page)
            status = "created"
        else:
            page = existing.get_latest_revision_as_object()
            before = _fingerprint(page)
            for key, value in fields.items():
                setattr(page, key, value)
            page.body = body
            if _fingerprint(page) == before and existing.live:
                return ImportResult(source=source, status="unchanged", id=existing.pk, url=existing.url or "",
                                    title=existing.title)
            status = "updated"
        if extracted.tags:
            page.tags.add(*extracted.tags)
        revision = page.save_revision(user=by if getattr(by, "pk", None) else None, log_action=True)
        revision.publish(user=by if getattr(by, "pk", None) else None)
        audit(page, "portal.article_import", by=by, data={"source": source, "status": status})
    page.refresh_from_db()
    return ImportResult(source=source, status=status, id=page.pk, url=page.url or "", title=page.title)


def _fingerprint(page: Any) -> str:
    parts = [page.title, page.sapo, page.author, page.source_name, page.source_url,
             page.published_at.timestamp() if page.published_at else "", str(page.lead_image_id or ""),
             page.lead_image_caption,
             [{"type": b.block_type, "value": b.block.get_prep_value(b.value)} for b in page.body]]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _slug(topic: Any, title: str) -> str:
    base = slugify(vntext.fold(title))[:80].rsplit("-", 1)[0].strip("-") or "bai-viet"
    slug, n = base, 2
    while pm.ArticlePage.objects.child_of(topic).filter(slug=slug).exists() or \
            topic.get_children().filter(slug=slug).exists():
        slug = "%s-%d" % (base, n)
        n += 1
    return slug
