"""View counting and visitor statistics, with no outside service.

``record_hit`` is the one write per counted request: a single INSERT (never a read-modify-write, so concurrent
requests cannot lose an increment).  ``rollup`` moves finished days into per-day rows in one transaction;
every read adds the rolled-up days to the hits not yet rolled up, so totals are exact at any moment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.http import HttpRequest
from django.utils import timezone

from core.http import client_address
from portal import models as pm

ONLINE_WINDOW = dt.timedelta(minutes=5)
# User agents of robots, link previewers and monitors: their requests are not views.
BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|archiver|preview|facebookexternalhit|embedly|monitor|pingdom|uptime|"
    r"lighthouse|python-requests|curl|wget|httpclient|go-http|java/|scrapy|headlesschrome|feedfetcher",
    re.IGNORECASE)
PREFETCH_HEADERS = ("Purpose", "Sec-Purpose", "X-Purpose", "X-Moz")


def is_countable(request: HttpRequest) -> bool:
    """A real reader's page view: GET, not a robot, not a prefetch or prerender, not a preview."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return False
    agent = request.headers.get("User-Agent", "")
    if not agent or BOT_RE.search(agent):
        return False
    for header in PREFETCH_HEADERS:
        value = request.headers.get(header, "").lower()
        if "prefetch" in value or "prerender" in value or "preview" in value:
            return False
    return True


def visitor_key(request: HttpRequest, day: dt.date) -> str:
    """A daily salted hash of address and user agent: distinct visitors, nobody identified."""
    raw = "|".join([settings.SECRET_KEY, day.isoformat(), client_address(request), request.headers.get("User-Agent", "")])
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()[:16]


def _referrer_host(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    if not referer:
        return ""
    host = (urllib.parse.urlsplit(referer).hostname or "")[:255]
    return "" if host == request.get_host().split(":")[0] else host


def record_hit(*, page_id: int, request: HttpRequest) -> bool:
    """Count this request as one view of the page when it is countable; True when counted."""
    if not is_countable(request):
        return False
    now = timezone.now()
    # A plain INSERT without RETURNING: under lock contention SQLite can report an error for an
    # INSERT … RETURNING whose row was nevertheless written, and a failed request must not count.
    table = connection.ops.quote_name(pm.PageHit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO %s (page_id, at, visitor, referrer_host) VALUES (%%s, %%s, %%s, %%s)" % table,
                       [page_id, connection.ops.adapt_datetimefield_value(now),
                        visitor_key(request, timezone.localdate(now)), _referrer_host(request)])
    return True


def page_views(page_ids: Iterable[int]) -> dict[int, int]:
    """Exact view counts: rolled-up days plus hits not rolled up yet."""
    ids = list(page_ids)
    if not ids:
        return {}
    totals: dict[int, int] = dict.fromkeys(ids, 0)
    for row in pm.DailyViews.objects.filter(page_id__in=ids).values("page_id").annotate(n=Sum("views")):
        totals[row["page_id"]] += row["n"] or 0
    for row in pm.PageHit.objects.filter(page_id__in=ids).values("page_id").annotate(n=Count("id")):
        totals[row["page_id"]] += row["n"]
    return totals


def page_views_cached(page_id: int, seconds: int = 5) -> int:
    """The count shown on a page: exact, at most a few seconds old (the API reads it fresh)."""
    key = "portal:views:%s" % page_id
    value = cache.get(key)
    if value is None:
        value = page_views([page_id])[page_id]
        cache.set(key, value, seconds)
    return value


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def site_stats() -> dict[str, int]:
    """"Đang truy cập" (distinct visitors in the last 5 minutes), "hôm nay" and "tổng lượt truy cập"."""
    now = timezone.now()
    today_start = _day_start(timezone.localdate(now))
    online = pm.PageHit.objects.filter(at__gte=now - ONLINE_WINDOW).values("visitor").distinct().count()
    today = pm.PageHit.objects.filter(at__gte=today_start).count()
    today += pm.DailyViews.objects.filter(day=timezone.localdate(now)).aggregate(n=Sum("views"))["n"] or 0
    total = pm.PageHit.objects.count() + (pm.DailyViews.objects.aggregate(n=Sum("views"))["n"] or 0)
    return {"online": online, "today": today, "total": total}


def site_stats_cached(seconds: int = 10) -> dict[str, int]:
    value = cache.get("portal:site-stats")
    if value is None:
        value = site_stats()
        cache.set("portal:site-stats", value, seconds)
    return value


def views_by_page(*, since: dt.date | None = None) -> dict[int, int]:
    """Views per page (all time, or since a day), for the most-read lists and the back-office charts."""
    totals: dict[int, int] = defaultdict(int)
    daily = pm.DailyViews.objects.all()
    hits = pm.PageHit.objects.all()
    if since is not None:
        daily = daily.filter(day__gte=since)
        hits = hits.filter(at__gte=_day_start(since))
    for row in daily.values("page_id").annotate(n=Sum("views")):
        totals[row["page_id"]] += row["n"] or 0
    for row in hits.values("page_id").annotate(n=Count("id")):
        totals[row["page_id"]] += row["n"]
    return dict(totals)


def views_per_day(*, days: int = 30, page_ids: list[int] | None = None) -> list[tuple[dt.date, int]]:
    """(day, views) for the last ``days`` days, oldest first, zeros included."""
    end = timezone.localdate()
    start = end - dt.timedelta(days=days - 1)
    counts: dict[dt.date, int] = defaultdict(int)
    daily = pm.DailyViews.objects.filter(day__gte=start)
    hits = pm.PageHit.objects.filter(at__gte=_day_start(start))
    if page_ids is not None:
        daily = daily.filter(page_id__in=page_ids)
        hits = hits.filter(page_id__in=page_ids)
    for row in daily.values("day").annotate(n=Sum("views")):
        counts[row["day"]] += row["n"] or 0
    for at in hits.values_list("at", flat=True).iterator():
        counts[timezone.localdate(at)] += 1
    return [(start + dt.timedelta(days=i), counts[start + dt.timedelta(days=i)]) for i in range(days)]


def top_referrers(*, days: int = 30, limit: int = 10) -> list[tuple[str, int]]:
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    counts: dict[str, int] = defaultdict(int)
    for row in pm.DailyReferrer.objects.filter(day__gte=since).values("host").annotate(n=Sum("views")):
        counts[row["host"]] += row["n"] or 0
    hits = pm.PageHit.objects.filter(at__gte=_day_start(since)).exclude(referrer_host="")
    for row in hits.values("referrer_host").annotate(n=Count("id")):
        counts[row["referrer_host"]] += row["n"]
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def rollup(*, before: dt.date | None = None) -> int:
    """Fold the hits of every day before ``before`` (default: today) into per-day rows; returns hits folded.

    Idempotent and safe beside live traffic: the hits of a finished day no longer change, and the rows
    folded are exactly the rows deleted, in one transaction.
    """
    before = before or timezone.localdate()
    cutoff = _day_start(before)
    with transaction.atomic():
        ids: list[int] = []
        per_page: dict[tuple[int, dt.date], list[Any]] = defaultdict(lambda: [0, set()])
        per_ref: dict[tuple[dt.date, str], int] = defaultdict(int)
        rows = pm.PageHit.objects.filter(at__lt=cutoff).values_list("id", "page_id", "at", "visitor", "referrer_host")
        for hit_id, page_id, at, visitor, ref in rows.iterator():
            day = timezone.localdate(at)
            ids.append(hit_id)
            entry = per_page[(page_id, day)]
            entry[0] += 1
            entry[1].add(visitor)
            if ref:
                per_ref[(day, ref)] += 1
        for (page_id, day), (views, visitors) in per_page.items():
            row, created = pm.DailyViews.objects.get_or_create(page_id=page_id, day=day,
                                                               defaults={"views": views, "visitors": len(visitors)})
            if not created:
                pm.DailyViews.objects.filter(pk=row.pk).update(views=F("views") + views,
                                                               visitors=F("visitors") + len(visitors))
        for (day, host), views in per_ref.items():
            row, created = pm.DailyReferrer.objects.get_or_create(day=day, host=host, defaults={"views": views})
            if not created:
                pm.DailyReferrer.objects.filter(pk=row.pk).update(views=F("views") + views)
        for start in range(0, len(ids), 500):
            pm.PageHit.objects.filter(pk__in=ids[start:start + 500]).delete()
    return len(ids)
