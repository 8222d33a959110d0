"""Oversight: report forms and reports per unit and period, reminders, directives → tasks, commendations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.access import AccessLevel


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 7/2025)")
    COMMUNE = "commune", _("Cấp xã")


# Org-unit kinds of each reporting level (cấp xã = xã, phường, thị trấn, đặc khu).
LEVEL_KINDS: dict[str, tuple[str, ...]] = {
    "province": ("province",),
    "district": ("district",),
    "commune": ("commune", "ward", "township", "special_zone"),
}


class PeriodType(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF_YEAR = "half-year", _("6 tháng")
    YEAR = "year", _("Năm")


class Cutoff(models.TextChoices):
    CALENDAR = "calendar", _("Theo lịch")
    DECREE_09_2019 = "decree-09-2019", _("Chốt số liệu theo Nghị định 09/2019/NĐ-CP")


class ReportForm(models.Model):
    """A reporting duty (chế độ báo cáo): who reports what, how often, by when."""

    slug = models.SlugField(_("mã biểu mẫu"), max_length=100, unique=True)
    title = models.CharField(_("tên biểu mẫu"), max_length=500)
    root_code = models.CharField(_("mã đơn vị gốc"), max_length=64,
                                 help_text=_("Mã đơn vị; mỗi kỳ dùng đơn vị có hiệu lực trong kỳ đó"))
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="report_forms",
                                 verbose_name=_("đơn vị gốc"))
    level = models.CharField(_("cấp báo cáo"), max_length=16, choices=Level.choices)
    period_type = models.CharField(_("kỳ báo cáo"), max_length=16, choices=PeriodType.choices)
    cutoff = models.CharField(_("cách chốt kỳ"), max_length=16, choices=Cutoff.choices, default=Cutoff.CALENDAR)
    due_days = models.PositiveIntegerField(_("hạn nộp (ngày sau kỳ)"), default=10)
    expiry_days = models.PositiveIntegerField(_("khóa sau hạn (ngày)"), default=30)
    fields = models.JSONField(_("các chỉ tiêu"), default=list)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("chủ biểu mẫu"))
    access = models.CharField(max_length=16, choices=AccessLevel.choices, default=AccessLevel.INTERNAL,
                              editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title


class PeriodOpening(models.Model):
    """A locked period re-opened by the form's owner until a given day."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="openings")
    period_key = models.CharField(max_length=16)
    until = models.DateField(_("mở đến ngày"))
    reason = models.TextField(_("lý do"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "period_key"], name="periodopening_unique")]

    def __str__(self) -> str:
        return f"{self.form_id} {self.period_key} → {self.until}"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Đã duyệt")


class Report(models.Model):
    """One unit's report for one period of a form."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="reports",
                                 verbose_name=_("đơn vị"))
    period_key = models.CharField(_("kỳ"), max_length=16)
    values = models.JSONField(_("số liệu"), default=dict)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ReportStatus.choices,
                              default=ReportStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("nộp lúc"))
    first_submitted_at = models.DateTimeField(_("nộp lần đầu"))
    on_time = models.BooleanField(_("đúng hạn"), default=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    approvals = models.PositiveSmallIntegerField(_("số cấp đã duyệt"), default=0)
    comment = models.TextField(_("ý kiến trả lại"), blank=True)
    access = models.CharField(max_length=16, choices=AccessLevel.choices, default=AccessLevel.INTERNAL,
                              editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [models.UniqueConstraint(fields=["form", "org_unit", "period_key"], name="report_unique")]
        indexes = [models.Index(fields=["form", "period_key"], name="report_form_period")]

    def __str__(self) -> str:
        return f"{self.form.slug} {self.period_key} {self.org_unit}"


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Duyệt")
    RETURN = "return", _("Trả lại")
    REOPEN = "reopen", _("Mở lại")


class ReportReview(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=16, choices=ReviewDecision.choices)
    level_unit = models.ForeignKey("orgs.OrgUnit", null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} {self.at:%Y-%m-%d}"


class ReminderStage(models.TextChoices):
    OPENING = "opening", _("Mở kỳ báo cáo")
    HALFWAY = "halfway", _("Giữa kỳ hạn")
    DAY_BEFORE = "day_before", _("Trước hạn một ngày")
    OVERDUE = "overdue", _("Quá hạn")


class Reminder(models.Model):
    """A reminder sent to a unit; never twice for the same form, period, unit and stage."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="reminders")
    period_key = models.CharField(max_length=16)
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=16, choices=ReminderStage.choices)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "period_key", "org_unit", "stage"],
                                               name="reminder_once_per_stage")]

    def __str__(self) -> str:
        return f"{self.period_key} {self.stage}"


class Notice(models.Model):
    """An in-app notice for a user (reminders, send-backs)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oversight_notices")
    text = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


class Directive(models.Model):
    """A directive or plan (20-CT/TW, 84-KH/TU, 98-KH/TU) to be carried out, usually an archive item."""

    symbol = models.CharField(_("số, ký hiệu"), max_length=128)
    title = models.CharField(_("trích yếu"), max_length=1000)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    item = models.ForeignKey("archive.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("văn bản trong kho lưu trữ"))
    implements = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="plans", verbose_name=_("thực hiện văn bản"))
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("cơ quan ban hành"))
    access = models.CharField(_("mức độ tiếp cận"), max_length=16, choices=AccessLevel.choices,
                              default=AccessLevel.INTERNAL)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chỉ thị, kế hoạch")
        verbose_name_plural = _("chỉ thị, kế hoạch")
        constraints = [models.UniqueConstraint(fields=["symbol"], name="directive_symbol")]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.title}"


class Task(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("nhiệm vụ"), max_length=1000)
    owner_level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    indicator = models.CharField(_("chỉ tiêu"), max_length=500, blank=True)
    target = models.DecimalField(_("mục tiêu"), max_digits=14, decimal_places=2, null=True, blank=True)
    evidence = models.JSONField(_("minh chứng"), default=list, blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["directive", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def org_unit(self) -> Any:  # the unit that judges access: the directive's issuer
        return self.directive.org_unit


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")


class TaskAssignment(models.Model):
    """A task's progress at one owner unit."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("đơn vị"))
    status = models.CharField(_("tình trạng"), max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_STARTED)
    value = models.DecimalField(_("kết quả"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    evidence = models.JSONField(_("minh chứng"), default=list, blank=True)
    access = models.CharField(max_length=16, choices=AccessLevel.choices, default=AccessLevel.INTERNAL,
                              editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "org_unit"], name="taskassignment_unique")]
        ordering = ["task", "org_unit__path"]

    def __str__(self) -> str:
        return f"{self.task} — {self.org_unit}"


class CommendationKind(models.TextChoices):
    AWARD = "award", _("Khen thưởng")
    PRAISE = "praise", _("Biểu dương")
    MODEL = "model", _("Mô hình hay, cách làm tốt")


class Commendation(models.Model):
    kind = models.CharField(_("loại"), max_length=16, choices=CommendationKind.choices,
                            default=CommendationKind.AWARD)
    decision_symbol = models.CharField(_("số quyết định"), max_length=128, blank=True)
    decided_on = models.DateField(_("ngày"), null=True, blank=True)
    recipient = models.CharField(_("tập thể, cá nhân"), max_length=500)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("đơn vị"))
    reason = models.TextField(_("thành tích, lý do"))
    directive = models.ForeignKey(Directive, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="commendations", verbose_name=_("thực hiện văn bản"))
    evidence = models.JSONField(_("minh chứng"), default=list, blank=True)
    access = models.CharField(_("mức độ tiếp cận"), max_length=16, choices=AccessLevel.choices,
                              default=AccessLevel.PUBLIC)

    class Meta:
        verbose_name = _("khen thưởng, mô hình")
        verbose_name_plural = _("khen thưởng, mô hình")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.decision_symbol} {self.recipient}".strip()
