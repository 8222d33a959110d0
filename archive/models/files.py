"""Stored files: one content-addressed blob per SHA-256, linked to items by role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Blob(models.Model):
    """Bytes kept once under ``FILES_ROOT/objects/<aa>/<bb>/<sha256>`` (see archive.storage)."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    mime = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fixity_at = models.DateTimeField(null=True, blank=True)
    fixity_ok = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("tệp lưu trữ")
        verbose_name_plural = _("tệp lưu trữ")

    def __str__(self) -> str:
        return self.sha256


class ItemFile(models.Model):
    class Role(models.TextChoices):
        ORIGINAL = "original", _("Bản gốc")
        SEARCHABLE_PDF = "searchable_pdf", _("PDF có lớp chữ")
        PAGE_PDF = "page_pdf", _("PDF trang (OCR)")
        PAGE_IMAGE = "page_image", _("Ảnh trang")
        THUMBNAIL = "thumbnail", _("Ảnh thu nhỏ")
        CONVERTED = "converted", _("Bản chuyển đổi")
        PAGE_WORDS = "page_words", _("Vị trí chữ trên ảnh trang (OCR)")

    item = models.ForeignKey("archive.Item", on_delete=models.CASCADE, related_name="files")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="item_files")
    role = models.CharField(max_length=32, choices=Role.choices)
    page_n = models.PositiveIntegerField(null=True, blank=True)
    name = models.CharField(max_length=500, blank=True)
    mime = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp của tài liệu")
        verbose_name_plural = _("tệp của tài liệu")
        constraints = [
            models.UniqueConstraint(fields=["item", "role", "page_n"], name="itemfile_role_page",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return "%s %s" % (self.role, self.blob_id)


class IngestRecord(models.Model):
    """One file or URL handed to ingest: where it came from and what became of it.

    An exact duplicate (same SHA-256) is not lost: its record links it to the item that already
    holds those bytes.
    """

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Đã nhập")
        DUPLICATE = "duplicate", _("Trùng (đã có)")
        FAILED = "failed", _("Lỗi")

    item = models.ForeignKey("archive.Item", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="ingest_records")
    blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="ingest_records")
    channel = models.CharField(max_length=32, default="cli")
    source = models.TextField(blank=True, help_text=_("Đường dẫn hoặc URL gốc"))
    name = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    error = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt nhập")
        verbose_name_plural = _("lượt nhập")
        ordering = ["-at"]

    def __str__(self) -> str:
        return "%s: %s" % (self.outcome, self.source)
