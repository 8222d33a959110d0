"""Where the portal's server time goes: queries and time per page, through Django (no HTTP server).

    .venv/bin/python bench/portal/pages.py [--articles 60] [--documents 40] [--repeat 30] [--profile PAGE]
    scripts/with-postgres.sh .venv/bin/python bench/portal/pages.py      # the same on PostgreSQL

Builds a throwaway site (SQLite in a temporary data directory, or the empty database of $DATABASE_URL): the
portal set up, the two seed pages imported, ``--articles`` more articles over three topics with tags,
footnotes, related links and archive cards, ``--documents`` public archive documents for "Văn bản mới", and
views spread over the articles (for "Đọc nhiều nhất"). Then, for each page, as the anonymous public with a
browser's user agent: the number of SQL queries and the server time (p50/p95/max over ``--repeat`` requests)
of home, topic, article uncached (a query string skips the page cache), article from the cache, the print
view, "Văn bản mới", search, RSS and the articles API. ``--profile article|home|topic`` prints the top of a
cProfile of that page (cumulative time) to stderr.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
SEEDS = Path(__file__).resolve().parents[2] / "portal" / "demo_data"


def build(n_articles: int, n_documents: int) -> dict:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal import models as pm
    from portal import setup
    from portal.importer import article_import
    from portal.tests.factories import make_article, make_topic
    from reading.tests.factories import make_text_item

    admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password-2026")
    setup.portal_setup(by=admin)
    topics = [make_topic("Công tác lịch sử Đảng", "lich-su-dang"), make_topic("Tin tức sự kiện", "tin-tuc"),
              make_topic("Nhân vật lịch sử", "nhan-vat")]
    seeds = [article_import(source=str(SEEDS / name), topic=topics[0], by=admin).id
             for name in ("lam-dong-lich-su-dang.html", "khanh-hoa-so-ket-20-ct-tw.html")]
    documents = [make_text_item("Kế hoạch số %d-KH/TU về công tác lịch sử Đảng năm %d." % (n, 2000 + n % 25),
                                name="kh-%d.txt" % n, access="public", title="Kế hoạch %d-KH/TU" % n,
                                symbol="%d-KH/TU" % n, kind="document", doc_type_code="KH",
                                issuer_name="Tỉnh ủy Khánh Hòa") for n in range(1, n_documents + 1)]
    tags = ["Chỉ thị 20-CT/TW", "Lịch sử Đảng", "Kháng chiến", "Đổi mới", "Nhân vật", "Địa phương"]
    start = timezone.now() - dt.timedelta(days=n_articles)
    articles = []
    for n in range(n_articles):
        body = [{"type": "paragraph", "value": "<p>Đoạn %d của bài %d về lịch sử Đảng bộ địa phương.</p>" % (k, n)}
                for k in range(8)]
        body += [{"type": "archive_item", "value": {"item": documents[(n + k) % len(documents)].pk, "note": ""}}
                 for k in range(2)]
        article = make_article(topics[n % 3], "Bài viết số %d về lịch sử địa phương" % n, sapo="Sapo bài %d." % n,
                               body=body, tags=[tags[n % 6], tags[(n + 1) % 6]],
                               published_at=start + dt.timedelta(days=n), author="Tác giả %d" % n)
        articles.append(article)
    for n, article in enumerate(articles):
        page = article.get_latest_revision_as_object()
        for k in range(3):
            page.footnotes.add(pm.ArticleFootnote(text="Kế hoạch số %d-KH/TU." % (k + 1),
                                                  symbol="%d-KH/TU" % (k + 1), sort_order=k))
        page.related_links.add(pm.ArticleRelatedLink(article=articles[(n + 7) % len(articles)], sort_order=0))
        page.save_revision(user=admin).publish(user=admin)
    now = timezone.now()
    pm.PageHit.objects.bulk_create([pm.PageHit(page_id=a.pk, at=now - dt.timedelta(minutes=n % 600),
                                               visitor="v%d" % (n % 97)) for n, a in
                                    enumerate(a for i, a in enumerate(articles) for _ in range(i % 13 + 1))])
    pm.Comment.objects.bulk_create([pm.Comment(page_id=articles[-1].pk, name="Bạn đọc %d" % n, body="Bình luận %d" % n,
                                               status=pm.CommentStatus.APPROVED) for n in range(5)])
    return {"article": articles[-1], "topic": topics[0], "seeds": seeds, "articles": articles}


def existing() -> dict | None:
    """The site a previous run built in --data-dir, if any."""
    from portal import models as pm

    articles = list(pm.ArticlePage.objects.live().filter(title__startswith="Bài viết số").order_by("pk"))
    if not articles:
        return None
    return {"article": articles[-1], "topic": pm.TopicPage.objects.get(slug="lich-su-dang"), "articles": articles}


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a full log (9000 entries) would capture nothing
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_USER_AGENT=UA)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(ctx.captured_queries)  # read now: the next requests reset the connection's query log
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url, HTTP_USER_AGENT=UA)
        times.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    times.sort()
    return {"queries": queries, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", choices=["article", "home", "topic"])
    parser.add_argument("--queries", choices=["article", "cached", "home", "topic"],
                        help="print the SQL of that page to stderr")
    parser.add_argument("--data-dir", help="keep the site in this directory and reuse it on the next run (SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sulieu-bench-portal-pages-") as tmp:
        os.environ["SULIEU_DATA_DIR"] = args.data_dir or tmp
        os.environ["SULIEU_OCR_ENGINE"] = "reading.tests.factories.fake_ocr"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        settings.DEBUG = False
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        world = existing() if args.data_dir else None
        world = world or build(args.articles, args.documents)
        build_s = time.perf_counter() - started
        article, topic = world["article"], world["topic"]
        client = Client()
        warm = ["/", topic.url, article.url, article.url + "?x=1", article.url + "in/", "/van-ban-moi/",
                "/tim-kiem/?q=lich+su", "/rss/", "/api/v1/articles/%s" % article.pk]
        for url in warm:
            client.get(url, HTTP_USER_AGENT=UA)
        pages = {
            "home": "/",
            "topic": topic.url,
            "article (uncached)": article.url + "?khong-cache=1",
            "article (from cache)": article.url,
            "print view": article.url + "in/",
            "van ban moi": "/van-ban-moi/",
            "search": "/tim-kiem/?q=lich+su+dang",
            "rss": "/rss/",
            "api article": "/api/v1/articles/%s" % article.pk,
            "api topic list": "/api/v1/articles?topic=lich-su-dang",
        }
        results = {name: measure(client, url, args.repeat) for name, url in pages.items()}
        if args.queries:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            url = {"article": article.url + "?q=1", "cached": article.url, "home": "/", "topic": topic.url}
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                client.get(url[args.queries], HTTP_USER_AGENT=UA)
            for q in ctx.captured_queries:
                print(q["sql"][:400], file=sys.stderr)
        if args.profile:
            url = {"article": article.url + "?p=1", "home": "/", "topic": topic.url}[args.profile]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                client.get(url, HTTP_USER_AGENT=UA)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"portal/|orgs/|archive/|wagtail/(models|blocks|templatetags)", 40)
            print(out.getvalue(), file=sys.stderr)
        print(json.dumps({"database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                          "articles": args.articles + 2, "documents": args.documents, "build_s": round(build_s, 1),
                          "load": os.getloadavg()[0], "pages": results,
                          "note": "server time through Django's test client (routing, middleware, templates), "
                                  "anonymous reader; goals: article <= 50 ms cached, <= 200 ms uncached"},
                         ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
