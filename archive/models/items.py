"""Items (tài liệu), their pages with text versions, events, references and duplicate candidates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from archive.models.collections import Reliability
from orgs.access import AccessLevel


class ItemKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản")
    PHOTO = "photo", _("Ảnh")
    PUBLICATION = "publication", _("Ấn phẩm")
    AUDIO = "audio", _("Ghi âm")
    VIDEO = "video", _("Phim, video")
    WEBPAGE = "webpage", _("Trang web")


class ItemStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ xử lý")
    PROCESSING = "processing", _("Đang xử lý")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


class Stage(models.TextChoices):
    """The pipeline stages in order (archive.pipeline.STEPS runs them), then done."""

    IDENTIFY = "identify", _("Nhận dạng")
    EXTRACT = "extract", _("Trích văn bản")
    OCR = "ocr", _("OCR")
    DESCRIBE = "describe", _("Mô tả")
    DEDUPLICATE = "deduplicate", _("Kiểm tra trùng")
    INDEX = "index", _("Lập chỉ mục")
    DONE = "done", _("Xong")


class StageState(models.TextChoices):
    """How a stage went, recorded per stage in ``Item.stages``."""

    WAITING = "waiting", _("Đang chờ")
    DONE = "done", _("Xong")
    SKIPPED = "skipped", _("Bỏ qua")
    FAILED = "failed", _("Lỗi")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Ngày")
    MONTH = "month", _("Tháng")
    YEAR = "year", _("Năm")
    DECADE = "decade", _("Thập kỷ")
    RANGE = "range", _("Khoảng")
    UNKNOWN = "", _("Không rõ")


class Item(models.Model):
    collection = models.ForeignKey("archive.Collection", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="items", verbose_name=_("hồ sơ"))
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="archive_items", verbose_name=_("đơn vị"))
    access = models.CharField(_("mức độ tiếp cận"), max_length=16, choices=AccessLevel.choices,
                              default=AccessLevel.INTERNAL)
    kind = models.CharField(_("loại"), max_length=16, choices=ItemKind.choices, default=ItemKind.DOCUMENT)
    title = models.CharField(_("tiêu đề"), max_length=1000, blank=True)
    summary = models.TextField(_("trích yếu"), blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=128, blank=True, db_index=True)
    doc_number = models.CharField(_("số"), max_length=32, blank=True)
    doc_type_code = models.CharField(_("mã loại văn bản"), max_length=16, blank=True)
    doc_type_name = models.CharField(_("tên loại văn bản"), max_length=128, blank=True)
    issuer_code = models.CharField(_("mã cơ quan ban hành"), max_length=64, blank=True)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=500, blank=True)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    date_earliest = models.DateField(_("từ ngày"), null=True, blank=True, db_index=True)
    date_latest = models.DateField(_("đến ngày"), null=True, blank=True)
    date_precision = models.CharField(_("độ chính xác ngày"), max_length=16, choices=DatePrecision.choices,
                                      blank=True)
    date_text = models.CharField(_("ngày (như ghi)"), max_length=255, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=16, default="vi", blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), default=0)
    places = models.JSONField(_("địa danh"), default=list, blank=True)
    keywords = models.JSONField(_("từ khóa"), default=list, blank=True)
    reliability = models.CharField(_("mức độ tin cậy"), max_length=2, choices=Reliability.choices, blank=True)
    source_url = models.URLField(_("URL nguồn"), max_length=2000, blank=True)
    provenance = models.TextField(_("nguồn gốc"), blank=True)
    rights = models.CharField(_("quyền"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Fields a person corrected: the describe step never overwrites them.
    locked_fields = models.JSONField(default=list, blank=True, editable=False)

    # Pipeline state (see archive.pipeline): one stage at a time, claimed with a lease.
    original = models.OneToOneField("archive.Blob", on_delete=models.PROTECT, related_name="original_of",
                                    editable=False)
    original_name = models.CharField(max_length=500, blank=True, editable=False)
    mime = models.CharField(max_length=128, blank=True, editable=False)
    format = models.CharField(_("định dạng"), max_length=32, blank=True, editable=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ItemStatus.choices,
                              default=ItemStatus.QUEUED, db_index=True)
    stage = models.CharField(max_length=32, default=Stage.IDENTIFY.value, editable=False)
    stages = models.JSONField(default=dict, blank=True, editable=False)
    error = models.TextField(_("lỗi"), blank=True, editable=False)
    lease_owner = models.CharField(max_length=128, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    text_source = models.CharField(max_length=16, blank=True, editable=False)
    minhash = models.JSONField(null=True, blank=True, editable=False)
    # how ``minhash`` was computed (archive.pipeline.neardup: 1 datasketch's SHA-1, 2 numpy); None without one
    minhash_scheme = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged_items", editable=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "stage"])]

    def __str__(self) -> str:
        label = self.title or self.original_name or "#%s" % self.pk
        return f"{self.symbol} {label}".strip() if self.symbol else label

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not PLACE_INDEX_FIELDS.isdisjoint(update_fields):
            ItemPlace.sync(self, fresh=adding)

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages.all())


class PageState(models.TextChoices):
    NONE = "none", _("Không cần OCR")
    PENDING = "pending", _("Chờ OCR")
    RUNNING = "running", _("Đang OCR")
    DONE = "done", _("Đã OCR")
    FAILED = "failed", _("OCR lỗi")


class ItemPage(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="pages")
    n = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    ocr_confidence = models.FloatField(null=True, blank=True)
    image = models.ForeignKey("archive.Blob", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ocr_state = models.CharField(max_length=16, choices=PageState.choices, default=PageState.NONE)
    lease_owner = models.CharField(max_length=128, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("trang")
        verbose_name_plural = _("trang")
        ordering = ["item", "n"]
        constraints = [models.UniqueConstraint(fields=["item", "n"], name="itempage_item_n")]

    def __str__(self) -> str:
        return "%s — %s" % (self.item_id, self.n)


class PageTextVersion(models.Model):
    """Every text a page has had: the OCR/extracted original stays, corrections are new versions."""

    class Source(models.TextChoices):
        EXTRACTED = "extracted", _("Trích từ tệp")
        OCR = "ocr", _("OCR")
        CORRECTION = "correction", _("Hiệu đính")

    page = models.ForeignKey(ItemPage, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    confidence = models.FloatField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page", "version"]
        constraints = [models.UniqueConstraint(fields=["page", "version"], name="pagetext_page_version")]

    def __str__(self) -> str:
        return "%s v%s" % (self.page_id, self.version)


class ItemEvent(models.Model):
    """PREMIS-like event: what happened to an item, who did it, when, and how it went."""

    class Kind(models.TextChoices):
        INGESTED = "ingested", _("Nhập")
        IDENTIFIED = "identified", _("Nhận dạng định dạng")
        EXTRACTED = "extracted", _("Trích văn bản")
        OCRED = "ocred", _("OCR")
        DESCRIBED = "described", _("Mô tả")
        DEDUPLICATED = "deduplicated", _("Kiểm tra trùng")
        INDEXED = "indexed", _("Lập chỉ mục")
        EDITED = "edited", _("Sửa")
        TEXT_CORRECTED = "text_corrected", _("Hiệu đính văn bản")
        MERGED = "merged", _("Gộp")
        EXPORTED = "exported", _("Xuất")
        FIXITY_CHECKED = "fixity_checked", _("Kiểm tra toàn vẹn")
        DUPLICATE_RECEIVED = "duplicate_received", _("Nhận bản trùng")
        FAILED = "failed", _("Lỗi")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Thành công")
        WARNING = "warning", _("Cảnh báo")
        FAILURE = "failure", _("Thất bại")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    agent = models.CharField(max_length=255, blank=True, help_text=_("Phần mềm thực hiện"))
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return "%s %s" % (self.kind, self.item_id)


class ItemReference(models.Model):
    """A document cited in an item's text (``Chỉ thị số 20-CT/TW``), linked once that document is here."""

    source = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="references")
    symbol = models.CharField(max_length=128, db_index=True)
    type_code = models.CharField(max_length=16, blank=True)
    type_name = models.CharField(max_length=128, blank=True)
    issuer_code = models.CharField(max_length=64, blank=True)
    date = models.DateField(null=True, blank=True)
    context = models.CharField(max_length=500, blank=True)
    target = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="referenced_by")

    class Meta:
        verbose_name = _("văn bản được dẫn")
        verbose_name_plural = _("văn bản được dẫn")
        ordering = ["source", "symbol"]
        constraints = [models.UniqueConstraint(fields=["source", "symbol"], name="itemref_source_symbol")]

    def __str__(self) -> str:
        return self.symbol


class DuplicateCandidate(models.Model):
    class Kind(models.TextChoices):
        NEAR = "near", _("Gần trùng (nội dung giống)")

    class Decision(models.TextChoices):
        OPEN = "open", _("Chờ xem xét")
        MERGED = "merged", _("Đã gộp")
        KEPT = "kept", _("Giữ cả hai")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="duplicate_candidates")
    other = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NEAR)
    score = models.FloatField()
    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.OPEN, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nghi trùng")
        verbose_name_plural = _("nghi trùng")
        constraints = [models.UniqueConstraint(fields=["item", "other"], name="dupcand_pair")]

    def __str__(self) -> str:
        return "%s ~ %s" % (self.item_id, self.other_id)


class TextBand(models.Model):
    """One LSH band of an item's MinHash signature: items sharing a band are near-duplicate suspects."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="text_bands")
    key = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="textband_item_key")]

    def __str__(self) -> str:
        return self.key


def place_names(places: Any) -> list[str]:
    """The distinct names in an item's ``places`` (dicts with "name", or plain strings), in order."""
    names: dict[str, None] = {}
    for place in places or []:
        name = place.get("name") if isinstance(place, dict) else place
        if isinstance(name, str) and name.strip():
            names[name.strip()[:255]] = None
    return list(names)


# The item columns the place index copies: what "items of one place" orders by and filters on (orgs.access);
# a save of any of them (or of ``places``) re-syncs the item's place rows.
PLACE_INDEX_FIELDS = frozenset({"places", "date_earliest", "access", "org_unit", "org_unit_id", "merged_into",
                                "merged_into_id"})


class ItemPlace(models.Model):
    """One row per place an item names (its ``places``): "items of one place" reads an index, not JSON.

    Each row also carries a copy of the item's order and access columns (:data:`PLACE_INDEX_FIELDS`), so that
    a place's visible items are counted and paged over one index (``itemplace_order``) without reading a
    single item row; only the page's 50 items are then read. Kept in step by :meth:`Item.save` and the
    pipeline's final write (through :meth:`sync`); rows written in bulk (``bulk_create``) need :meth:`sync` too.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="place_rows")
    name = models.CharField(max_length=255)
    date_earliest = models.DateField(null=True, blank=True)
    access = models.CharField(max_length=16, choices=AccessLevel.choices, default=AccessLevel.INTERNAL)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", db_index=False)
    # SET_NULL like Item.merged_into: deleting the item merged into shows the merged one again, here too.
    merged_into = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="itemplace_item_name")]
        indexes = [
            models.Index(fields=["name", "item"], name="itemplace_name_item"),
            # The page order of one place, then every column the access filter reads: counts and pages are
            # read from this index alone (SQLite has no INCLUDE, so they are key columns).
            models.Index(fields=["name", "date_earliest", "item", "access", "org_unit", "merged_into"],
                         name="itemplace_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def copied(item: Item) -> dict[str, Any]:
        return {"date_earliest": item.date_earliest, "access": item.access, "org_unit_id": item.org_unit_id,
                "merged_into_id": item.merged_into_id}

    @classmethod
    def sync(cls, item: Item, *, fresh: bool = False) -> None:
        """Make the rows match ``item.places`` and the copied columns (``fresh``: the item was just created, it
        has none yet): one read of the rows, then only the writes a change needs; nothing at all when
        neither changed since this instance's last sync."""
        wanted = place_names(item.places)
        values = cls.copied(item)
        if getattr(item, "_places_synced", None) == (wanted, values):
            return
        have: dict[str, tuple[Any, ...]] = {} if fresh else {
            row[0]: row[1:] for row in cls.objects.filter(item=item).values_list("name", *values)}
        stale = set(have) - set(wanted)
        if stale:
            cls.objects.filter(item=item, name__in=stale).delete()
        if any(row != tuple(values.values()) for name, row in have.items() if name not in stale):
            cls.objects.filter(item=item).exclude(name__in=stale).update(**values)
        new = [cls(item=item, name=name, **values) for name in wanted if name not in have]
        if new:
            cls.objects.bulk_create(new, ignore_conflicts=True)  # type: ignore[arg-type]
        item._places_synced = (wanted, values)  # type: ignore[attr-defined]
