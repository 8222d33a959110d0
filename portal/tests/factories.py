"""Portal objects for tests: a topic and published articles, made through Wagtail's own page API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

import vntext
from portal import models as pm
from portal import setup


def home() -> Any:
    return setup.home_page()


def make_topic(title: str = "Công tác lịch sử Đảng", slug: str = "lich-su-dang") -> Any:
    found = pm.TopicPage.objects.filter(slug=slug).first()
    if found is not None:
        return found
    topic = home().add_child(instance=pm.TopicPage(title=title, slug=slug))
    topic.save_revision().publish()
    return topic


def make_article(topic: Any, title: str, *, sapo: str = "", body: list[dict[str, Any]] | None = None,
                 tags: list[str] | None = None, published_at: dt.datetime | None = None, live: bool = True,
                 slug: str | None = None, **fields: Any) -> Any:
    page = pm.ArticlePage(title=title, slug=slug or slugify(vntext.fold(title))[:60], sapo=sapo,
                          body=body or [{"type": "paragraph", "value": "<p>%s</p>" % escape(title)}],
                          published_at=published_at, live=live, **fields)
    topic.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def vn_time(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())
