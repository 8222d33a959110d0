"""Org units (a tree with validity in time) and memberships with roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tree import ancestor_ids


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh / thành phố")
    DISTRICT = "district", _("Huyện / quận / thị xã (trước 7/2025)")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    TOWNSHIP = "township", _("Thị trấn (trước 7/2025)")
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy đảng")
    DEPARTMENT = "department", _("Ban, sở, ngành")
    SCHOOL = "school", _("Trường")
    MASS_ORG = "mass_org", _("Đoàn thể")
    OTHER = "other", _("Khác")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị")
    ARCHIVIST = "archivist", _("Lưu trữ viên")
    COMPILER = "compiler", _("Biên soạn")
    REVIEWER = "reviewer", _("Thẩm định")
    EDITOR = "editor", _("Biên tập")
    REPORTER = "reporter", _("Báo cáo viên")
    READER = "reader", _("Bạn đọc")


class OrgUnit(models.Model):
    """A province, commune, Party committee, department, school… at some period of time.

    ``path`` is a materialised path of zero-padded ids ("000001.000007.") so that "this unit and
    everything under it" is one indexed prefix query; it is kept by orgs.services only.
    """

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(_("đường dẫn cây"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0, editable=False)
    kind = models.CharField(_("loại"), max_length=32, choices=UnitKind.choices)
    code = models.CharField(_("mã"), max_length=64, blank=True, help_text=_("Mã hành chính hoặc mã nội bộ"))
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=255, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces",
        verbose_name=_("được thay bằng"), help_text=_("Đơn vị mới sau sáp nhập / chia tách"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "valid_from"], name="orgunit_kind_code_from",
                                    condition=~models.Q(code="")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def ancestor_ids(self) -> list[int]:
        """Ids of this unit and the units above it, read from the path (no query)."""
        return ancestor_ids(self.path)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("người dùng"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class LoginThrottle(models.Model):
    """Failed logins for one user name (known or not) or one address; `locked_until` set while a lock runs.

    Deleting a row lifts its lock (the back office's "Mở khóa")."""

    class Kind(models.TextChoices):
        NAME = "name", _("tên đăng nhập")
        ADDRESS = "address", _("địa chỉ mạng")

    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    key = models.CharField(_("khóa theo"), max_length=150)  # lower-cased user name, or an IP address
    failures = models.PositiveIntegerField(_("số lần sai"), default=0)
    last_failure_at = models.DateTimeField(_("lần sai cuối"))
    locked_until = models.DateTimeField(_("khóa đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa đăng nhập")
        verbose_name_plural = _("khóa đăng nhập")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_unique")]
        indexes = [models.Index(fields=["locked_until"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"
