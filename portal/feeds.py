"""RSS for the whole site and for each topic (public, live articles only)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from portal import selectors


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, *, home: Any, topic: Any = None) -> None:
        super().__init__()
        self.home = home
        self.topic = topic

    def __call__(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return "%s — %s" % (self.topic.title, self.home.title) if self.topic else self.home.title

    def link(self) -> str:
        return (self.topic or self.home).get_url(self.request) or "/"

    def description(self) -> str:
        return (self.topic or self.home).intro or self.title()

    def items(self) -> Any:
        qs = selectors.articles_of(self.topic) if self.topic else selectors.live_articles()
        return qs[:30]

    def item_title(self, item: Any) -> str:
        return item.title

    def item_description(self, item: Any) -> str:
        return item.sapo

    def item_link(self, item: Any) -> str:
        return item.get_url(self.request)

    def item_pubdate(self, item: Any) -> Any:
        return item.display_date

    def item_author_name(self, item: Any) -> str:
        return item.author
