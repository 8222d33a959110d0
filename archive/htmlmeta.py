"""The metadata of a web page read from its own tags (title, author, date, URL, site name, description, tags).

Used by :func:`archive.formats.extract_html` on the tree trafilatura parses, instead of trafilatura's full
metadata pass (issue 11, stop 16: half the CPU of a page).
"""

from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger("sulieu.archive.formats")

# <meta> tags (name, property or itemprop, lower case) giving the page's publication date, best first
_DATE_META = ("article:published_time", "og:published_time", "og:article:published_time", "datepublished",
              "pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
              "dcterms.date", "dcterms.created", "dcterms.issued", "citation_publication_date", "sailthru.date",
              "parsely-pub-date", "article.published", "published-date", "release_date", "created", "og:updated_time",
              "article:modified_time", "lastmod", "last-modified", "dcterms.modified", "datemodified")
_JSON_LD_DATES = ("datePublished", "dateCreated", "dateModified")
_ISO_DAY = re.compile(r"((?:1[89]|20)\d\d)-?(\d\d)-?(\d\d)")


def html_metadata(tree: Any) -> dict[str, Any]:
    """Title, author, date, URL, site name, description and tags of a parsed page, from its own tags.

    trafilatura's own readers where they only look at the page's head or title (``examine_meta``: OpenGraph and
    ``<meta>``; JSON-LD; the title from ``<h1>``/``<title>``; the canonical URL; the site name from the title;
    category and tag links), then the date from the ``<meta>`` dates, JSON-LD and ``<time datetime>`` (no search
    through the title or text: the describe step reads the document's dates itself). A one-word ``<meta name=author>`` is dropped, as
    trafilatura drops it; the author is no longer searched for in the body."""
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_catstags,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # trafilatura's JSON-LD reader raises on odd data; the page is read without it
        log.debug("JSON-LD metadata unreadable", exc_info=True)
    if not found.title:
        found.title = extract_title(tree)
    if not found.url:
        found.url = extract_url(tree)
    if not found.sitename:
        found.sitename = extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url and (site := META_URL.match(found.url)):
        found.sitename = site[1]
    if not found.categories:
        found.categories = extract_catstags("category", tree)
    if not found.tags:
        found.tags = extract_catstags("tag", tree)
    found.clean_and_trim()
    values = {"title": found.title, "author": found.author, "date": _html_date(tree), "url": found.url,
              "sitename": found.sitename, "description": found.description}
    meta: dict[str, Any] = {key: value for key, value in values.items() if value}
    tags = found.tags or found.categories
    if tags:
        meta["tags"] = list(tags) if not isinstance(tags, str) else [t.strip() for t in tags.split(",") if t.strip()]
    return meta


def _html_date(tree: Any) -> str:
    """The first plausible ISO day (YYYY-MM-DD) of the page's date ``<meta>`` tags (in :data:`_DATE_META`'s
    order), else of its JSON-LD dates, else of its ``<time datetime>`` elements; "" if none."""
    import datetime as dt

    def day_of(value: str) -> str:
        match = _ISO_DAY.search(value or "")
        if not match:
            return ""
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return ""
        latest = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=1)
        return day.isoformat() if day <= latest else ""

    by_name: dict[str, str] = {}
    for elem in tree.iterfind(".//meta[@content]"):
        name = (elem.get("property") or elem.get("name") or elem.get("itemprop") or "").lower()
        if name in _DATE_META and name not in by_name:
            by_name[name] = elem.get("content", "")
    for name in _DATE_META:
        if name in by_name and (day := day_of(by_name[name])):
            return day
    for script in tree.iterfind(".//script[@type='application/ld+json']"):  # JSON-LD (schema.org)
        for key in _JSON_LD_DATES:
            for value in re.findall(r'"%s"\s*:\s*"([^"]{4,40})"' % key, script.text or ""):
                if day := day_of(value):
                    return day
    for elem in tree.iterfind(".//time[@datetime]"):
        if day := day_of(elem.get("datetime", "")):
            return day
    return ""
