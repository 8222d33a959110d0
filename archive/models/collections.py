"""The archival hierarchy: phông (fonds) → series → hồ sơ (file), any depth."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.access import AccessLevel


class CollectionKind(models.TextChoices):
    FONDS = "fonds", _("Phông")
    SERIES = "series", _("Loạt / nhóm tài liệu")
    FILE = "file", _("Hồ sơ")
    OTHER = "other", _("Khác")


class Retention(models.TextChoices):
    """Thời hạn lưu trữ (TT 05/2025 code list)."""

    PERMANENT = "01", _("Vĩnh viễn")
    Y70 = "02", _("70 năm")
    Y50 = "03", _("50 năm")
    Y30 = "04", _("30 năm")
    Y20 = "05", _("20 năm")
    Y10 = "06", _("10 năm")


class Reliability(models.TextChoices):
    """Mức độ tin cậy (TT 05/2025)."""

    BORN_DIGITAL = "01", _("Gốc điện tử")
    DIGITISED = "02", _("Số hóa")
    MIXED = "03", _("Hỗn hợp")


class Collection(models.Model):
    """A node of the hierarchy. ``path`` is a materialised path of zero-padded ids, kept by services."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("thuộc"))
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    kind = models.CharField(_("cấp"), max_length=16, choices=CollectionKind.choices, default=CollectionKind.FILE)
    code = models.CharField(_("mã phông / mã hồ sơ"), max_length=128, blank=True, db_index=True)
    title = models.CharField(_("tiêu đề"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="collections", verbose_name=_("đơn vị"))
    access = models.CharField(_("mức độ tiếp cận"), max_length=16, choices=AccessLevel.choices,
                              default=AccessLevel.INTERNAL)
    date_start = models.DateField(_("thời gian bắt đầu"), null=True, blank=True)
    date_end = models.DateField(_("thời gian kết thúc"), null=True, blank=True)
    retention = models.CharField(_("thời hạn lưu trữ"), max_length=2, choices=Retention.choices, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=16, default="vi", blank=True)
    keywords = models.JSONField(_("từ khóa"), default=list, blank=True)
    reliability = models.CharField(_("mức độ tin cậy"), max_length=2, choices=Reliability.choices, blank=True)
    physical_condition = models.CharField(_("tình trạng vật lý"), max_length=64, blank=True)
    is_open = models.BooleanField(_("đang mở"), default=True, help_text=_("Phông/hồ sơ còn bổ sung tài liệu"))
    history = models.TextField(_("lịch sử đơn vị hình thành phông"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phông / hồ sơ")
        verbose_name_plural = _("phông / hồ sơ")
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.split(".") if part]
