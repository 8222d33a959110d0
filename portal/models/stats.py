"""Visit statistics kept in our own database: one row per counted request, rolled up per day.

A counted request inserts one ``PageHit`` row (an INSERT never loses an increment under concurrency, unlike a
read-modify-write).  ``portal.stats.rollup`` later moves whole days of hits into ``DailyViews`` and
``DailyReferrer`` in one transaction, so ``views`` = rolled-up days + hits not yet rolled up, always.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageHit(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(db_index=True)
    # A salted daily hash of address + user agent: counts distinct visitors without keeping who they are.
    visitor = models.CharField(max_length=16)
    referrer_host = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("lượt truy cập")
        verbose_name_plural = _("lượt truy cập")
        indexes = [models.Index(fields=["page", "at"])]

    def __str__(self) -> str:
        return "%s @ %s" % (self.page_id, self.at)


class DailyViews(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(db_index=True)
    views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lượt xem theo ngày")
        verbose_name_plural = _("lượt xem theo ngày")
        constraints = [models.UniqueConstraint(fields=["page", "day"], name="portal_dailyviews_page_day")]

    def __str__(self) -> str:
        return "%s %s: %s" % (self.page_id, self.day, self.views)


class DailyReferrer(models.Model):
    day = models.DateField(db_index=True)
    host = models.CharField(max_length=255)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "host"], name="portal_dailyreferrer_day_host")]

    def __str__(self) -> str:
        return "%s %s: %s" % (self.day, self.host, self.views)
