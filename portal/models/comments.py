"""Reader comments: every one is held until a moderator approves it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Từ chối")


class Comment(models.Model):
    page = models.ForeignKey("portal.ArticlePage", on_delete=models.CASCADE, related_name="comments",
                             verbose_name=_("bài viết"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("tài khoản"))
    name = models.CharField(_("họ tên"), max_length=100)
    email = models.EmailField(_("thư điện tử"), blank=True)
    body = models.TextField(_("nội dung"), max_length=4000)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING, db_index=True)
    flagged_words = models.CharField(_("từ bị cấm"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("lúc gửi"), auto_now_add=True, db_index=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bình luận")
        verbose_name_plural = _("bình luận")
        ordering = ["-created_at", "-id"]
        permissions = [("moderate_comment", "Kiểm duyệt bình luận")]

    def __str__(self) -> str:
        return "%s: %s" % (self.name, self.body[:40])


class BannedWord(models.Model):
    word = models.CharField(_("từ"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("từ cấm")
        verbose_name_plural = _("từ cấm")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class CommentBan(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("tài khoản"))
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True, db_index=True)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        verbose_name = _("chặn bình luận")
        verbose_name_plural = _("chặn bình luận")

    def __str__(self) -> str:
        return str(self.user_id or self.ip)
