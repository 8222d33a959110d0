"""Question banks, contests, rounds, takers, attempts and answers.

The answer-save path touches two rows by primary key or a unique index (the attempt and one answer), so
the tables are shaped for it: an attempt's answer rows are created when it starts, a save only updates.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Bank(models.Model):
    slug = models.SlugField(_("mã ngân hàng"), max_length=100, unique=True)
    title = models.CharField(_("tên"), max_length=255, blank=True)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("đơn vị"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ngân hàng câu hỏi")
        verbose_name_plural = _("ngân hàng câu hỏi")

    def __str__(self) -> str:
        return self.title or self.slug


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    REVIEW = "review", _("Chờ thẩm định")
    APPROVED = "approved", _("Đã duyệt")
    RETIRED = "retired", _("Ngừng dùng")


class Question(models.Model):
    """A question of a bank; its wording lives in versions, the approved one is ``current``."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(_("mã câu hỏi"), max_length=64, help_text=_("Mã ổn định trong ngân hàng"))
    topic = models.CharField(_("chủ đề"), max_length=255, blank=True)
    period = models.CharField(_("giai đoạn"), max_length=255, blank=True)
    current = models.ForeignKey("QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("phiên bản đang dùng"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        constraints = [models.UniqueConstraint(fields=["bank", "key"], name="contests_question_key")]

    def __str__(self) -> str:
        return "%s/%s" % (self.bank_id, self.key)


class QuestionVersion(models.Model):
    """One wording of a question. ``options`` is ``[{"id": "a", "text": "…", "correct": bool}, …]``.

    A version is never edited once a round has frozen it; a correction is a new version.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"), default=1)
    text = models.TextField(_("nội dung"))
    options = models.JSONField(_("phương án"), default=list)
    multiple = models.BooleanField(_("nhiều đáp án"), default=False)
    status = models.CharField(_("trạng thái thẩm định"), max_length=16, choices=ReviewStatus.choices,
                              default=ReviewStatus.DRAFT)
    source_item = models.ForeignKey("archive.Item", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("tài liệu nguồn"))
    source_page = models.PositiveIntegerField(_("trang"), null=True, blank=True)
    explanation = models.TextField(_("giải thích"), blank=True)
    reviewed_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản câu hỏi")
        verbose_name_plural = _("phiên bản câu hỏi")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="contests_version_number")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def correct_ids(self) -> list[str]:
        return [o["id"] for o in self.options if o.get("correct")]


class Contest(models.Model):
    slug = models.SlugField(_("mã hội thi"), max_length=100, unique=True)
    title = models.CharField(_("tên hội thi"), max_length=500)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="contests")
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("đơn vị tổ chức"))
    questions_per_attempt = models.PositiveIntegerField(_("số câu mỗi lượt"), default=20)
    time_limit_s = models.PositiveIntegerField(_("thời gian làm bài (giây)"), default=1200)
    attempts_per_round = models.PositiveIntegerField(_("số lượt mỗi vòng"), default=3)
    points_per_question = models.PositiveIntegerField(_("điểm mỗi câu"), default=1)
    prediction_question = models.CharField(_("câu hỏi dự đoán"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hội thi")
        verbose_name_plural = _("hội thi")

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("tên vòng"), max_length=100)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    actual_value = models.BigIntegerField(_("đáp án câu dự đoán"), null=True, blank=True)
    # Frozen when the round opens: the pool of question version ids and the SHA-256 of their content.
    version_ids = models.JSONField(default=list, blank=True, editable=False)
    questions_hash = models.CharField(max_length=64, blank=True, editable=False)
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("vòng thi")
        verbose_name_plural = _("vòng thi")
        ordering = ["contest", "opens_at"]
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="contests_round_name")]

    def __str__(self) -> str:
        return "%s — %s" % (self.contest.slug, self.name)


class Taker(models.Model):
    """One identity per contact per contest. Tokens are derived (HMAC of the id), never stored."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="takers")
    name = models.CharField(_("họ và tên"), max_length=255)
    unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_code = models.CharField(_("mã đơn vị"), max_length=64)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    contact = models.CharField(_("liên hệ"), max_length=255)
    contact_key = models.CharField(max_length=255, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thí sinh")
        verbose_name_plural = _("thí sinh")
        constraints = [models.UniqueConstraint(fields=["contest", "contact_key"], name="contests_taker_contact")]

    def __str__(self) -> str:
        return self.name


class Attempt(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attempts")
    taker = models.ForeignKey(Taker, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    # {version_id: [option ids in the order shown]} — the draw and the shuffle of this attempt.
    layout = models.JSONField(default=dict)
    saves = models.PositiveIntegerField(default=0)
    prediction = models.BigIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_ms = models.BigIntegerField(null=True, blank=True, help_text="server time of submission, ms")
    duration_ms = models.BigIntegerField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    score = models.IntegerField(null=True, blank=True)
    correct = models.IntegerField(null=True, blank=True)
    prediction_error = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt thi")
        verbose_name_plural = _("lượt thi")
        constraints = [models.UniqueConstraint(fields=["taker", "round", "number"], name="contests_attempt_number")]
        indexes = [
            models.Index(fields=["round", "-score", "prediction_error", "duration_ms", "submitted_ms"],
                         name="contests_attempt_rank"),
            models.Index(fields=["deadline"], condition=Q(submitted_at__isnull=True), name="contests_attempt_open"),
        ]

    def __str__(self) -> str:
        return "#%s (%s)" % (self.pk, self.number)


class Answer(models.Model):
    """One drawn question of an attempt; ``option_ids`` is None until the taker answers."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    option_ids = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        constraints = [models.UniqueConstraint(fields=["attempt", "version"], name="contests_answer_unique")]

    def __str__(self) -> str:
        return "%s/%s" % (self.attempt_id, self.version_id)


class Flag(models.Model):
    """A reason to look at a taker: implausible speed, a request flood."""

    class Kind(models.TextChoices):
        SPEED = "speed", _("Tốc độ bất thường")
        FLOOD = "flood", _("Gửi yêu cầu dồn dập")

    taker = models.ForeignKey(Taker, on_delete=models.CASCADE, related_name="flags")
    attempt = models.ForeignKey(Attempt, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cleared = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")

    def __str__(self) -> str:
        return self.get_kind_display()
