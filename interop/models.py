"""What the archive has said to the outside world, and what it has taken in from it.

``OaiRecord`` is the provider's record registry: one row per item that has ever been exposed through
OAI-PMH. A row outlives the item's visibility (and the item itself): when an item is withdrawn or
restricted later the row becomes a tombstone (``deleted``), so harvesters are told to drop their copy
(``deletedRecord: persistent``). ``HarvestSource`` and ``HarvestedRecord`` remember, on the harvesting
side, where each catalogue record came from and which version of it was taken.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OaiRecord(models.Model):
    item = models.ForeignKey("archive.Item", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", db_constraint=False)
    item_ref = models.BigIntegerField(unique=True, help_text=_("Mã tài liệu (giữ lại khi tài liệu bị xóa)"))
    datestamp = models.DateTimeField(db_index=True)
    deleted = models.BooleanField(default=False)
    # What the row was computed from: a change of either re-stamps the record.
    item_updated_at = models.DateTimeField(null=True, blank=True)
    collection_path = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("bản ghi OAI-PMH")
        verbose_name_plural = _("bản ghi OAI-PMH")
        indexes = [models.Index(fields=["datestamp", "item_ref"], name="oairecord_stamp_ref")]

    def __str__(self) -> str:
        return "item/%s%s" % (self.item_ref, " (deleted)" if self.deleted else "")


class OaiState(models.Model):
    """A single row: the lock that serialises registry updates between web processes."""

    synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "OAI state"


class HarvestSource(models.Model):
    base_url = models.URLField(max_length=1000)
    set_spec = models.CharField(max_length=500, blank=True)
    metadata_prefix = models.CharField(max_length=64, default="oai_dc")
    collection = models.ForeignKey("archive.Collection", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    repository_name = models.CharField(max_length=500, blank=True)
    granularity = models.CharField(max_length=32, blank=True)
    # The provider's responseDate of the last complete harvest: the next one asks from there.
    last_from = models.CharField(max_length=32, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nguồn thu thập OAI-PMH")
        verbose_name_plural = _("nguồn thu thập OAI-PMH")
        constraints = [models.UniqueConstraint(fields=["base_url", "set_spec", "metadata_prefix"],
                                               name="harvestsource_url_set_prefix")]

    def __str__(self) -> str:
        return "%s %s" % (self.base_url, self.set_spec)


class HarvestedRecord(models.Model):
    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="records")
    identifier = models.CharField(max_length=1000)
    item = models.ForeignKey("archive.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    datestamp = models.CharField(max_length=32, blank=True)
    deleted = models.BooleanField(default=False)
    link = models.URLField(max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản ghi đã thu thập")
        verbose_name_plural = _("bản ghi đã thu thập")
        constraints = [models.UniqueConstraint(fields=["source", "identifier"], name="harvested_source_identifier")]

    def __str__(self) -> str:
        return self.identifier
