"""Queries per public page: bounded, and the same whatever the number of articles (an N+1 fails here).

Each page is asked twice and the second answer is counted: the first fills the small caches every page
shares (view restrictions, the most-read ranking, visitor statistics).  The article is asked with a query
string, which skips the page cache: these are the queries of a full render.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import models as pm
from portal.tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# Upper bounds, as measured on SQLite and PostgreSQL; about half of a page's queries are Wagtail's own routing
# (site, tree levels, aliases, view restrictions).  The home page asks once for all topics' newest articles.
MAX_QUERIES = {"home": 14, "topic": 12, "article": 21, "cached article": 1}


def _articles(topics: list, item, start: int, count: int) -> list:
    made = []
    for n in range(start, start + count):
        article = make_article(topics[n % len(topics)], "Bài số %d" % n, sapo="Sapo %d" % n, tags=["Thẻ %d" % (n % 3), "Chung"],
                               body=[{"type": "paragraph", "value": "<p>Đoạn văn %d.</p>" % n},
                                     {"type": "archive_item", "value": {"item": item.pk, "note": ""}},
                                     {"type": "archive_item", "value": {"item": item.pk, "note": "lần nữa"}}])
        page = article.get_latest_revision_as_object()
        page.footnotes.add(pm.ArticleFootnote(text="Kế hoạch 98-KH/TU.", symbol="98-KH/TU", sort_order=0))
        page.footnotes.add(pm.ArticleFootnote(text="Văn bản đã chọn.", item=item, sort_order=1))
        if made:
            page.related_links.add(pm.ArticleRelatedLink(article=made[-1], sort_order=0))
        page.save_revision().publish()
        pm.Comment.objects.create(page=article, name="Bạn đọc", body="Hay", status=pm.CommentStatus.APPROVED)
        made.append(article)
    return made


def _queries(client, url: str) -> int:
    assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _counts(client, topic, article) -> dict[str, int]:
    from django.core.cache import cache

    cache.clear()  # the most-read ranking made before the hits above would be empty for a minute
    return {"home": _queries(client, "/"), "topic": _queries(client, topic.url),
            "article": _queries(client, article.url + "?tu=tim-kiem"), "cached article": _queries(client, article.url)}


def test_public_pages_make_a_bounded_number_of_queries_whatever_the_number_of_articles(client, topic, world):
    from reading.tests.factories import make_text_item

    item = make_text_item("Kế hoạch số 98-KH/TU.", name="kh98.txt", access="public", title="Kế hoạch 98-KH/TU",
                          symbol="98-KH/TU", kind="document")
    topics = [topic, make_topic("Nhân vật lịch sử", "nhan-vat")]
    few = _articles(topics, item, 0, 4)
    for n, article in enumerate(few):  # hits, so that "Đọc nhiều nhất" lists them
        for k in range(n + 1):
            client.get(article.url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.0.0.%d" % k)
    before = _counts(client, topic, few[-1])
    topics.append(make_topic("Di tích", "di-tich"))  # one more topic on the home page: still the same queries
    more = _articles(topics, item, 4, 8)
    for article in more:
        client.get(article.url, HTTP_USER_AGENT=BROWSER)
    after = _counts(client, topic, more[-1])
    # Never more with more articles (fewer happens: six related articles found by tags skip the topic query).
    assert all(after[page] <= before[page] for page in before), "an N+1: %s → %s" % (before, after)
    home = client.get("/", HTTP_USER_AGENT=BROWSER).content.decode()
    assert all(t.title in home for t in topics)
    for page, count in after.items():
        assert count <= MAX_QUERIES[page], (page, count, MAX_QUERIES[page])
    page = client.get(more[-1].url + "?x=1", HTTP_USER_AGENT=BROWSER).content.decode()
    assert page.count('class="archive-card"') == 2 and "Bài số %d" % more[-2].pk not in page


def test_cached_article_is_answered_without_page_routing_and_still_counted(client, topic):
    article = make_article(topic, "Bài đọc từ bộ nhớ đệm")
    first = client.get(article.url, HTTP_USER_AGENT=BROWSER).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(article.url, HTTP_USER_AGENT=BROWSER)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any("wagtailcore_page" in q or "wagtailcore_site" in q for q in sql), sql
    assert any(q.startswith("INSERT") and "portal_pagehit" in q for q in sql)
    assert second.status_code == 200 and "⟦" not in second.content.decode()
    assert first.split("data-stat=\"views\">")[0] == second.content.decode().split("data-stat=\"views\">")[0]
    assert pm.PageHit.objects.filter(page=article).count() == 2
    assert 'name="csrfmiddlewaretoken" value="' in second.content.decode() and "csrftoken" in second.cookies


def test_tracking_parameters_still_get_the_cached_page_and_other_parameters_do_not(client, topic):
    article = make_article(topic, "Bài được chia sẻ trên Zalo")
    client.get(article.url, HTTP_USER_AGENT=BROWSER)
    for query in ("?utm_source=zalo&utm_medium=social", "?fbclid=IwAR0abc", "?zarsrc=30&utm_campaign=20-CT"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(article.url + query, HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 200 and "Bài được chia sẻ trên Zalo" in response.content.decode()
        sql = [q["sql"] for q in ctx.captured_queries]
        assert not any("wagtailcore_page" in q for q in sql), (query, sql)
    with CaptureQueriesContext(connection) as ctx:
        client.get(article.url + "?utm_source=zalo&trang=2", HTTP_USER_AGENT=BROWSER)
    assert any("wagtailcore_page" in q["sql"] for q in ctx.captured_queries)  # not only tracking: rendered
    assert pm.PageHit.objects.filter(page=article).count() == 5
