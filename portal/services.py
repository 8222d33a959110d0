"""Writes of the portal: one service per operation, permission checked, audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import vntext
from core.audit import audit
from orgs.policy import can
from portal import cache
from portal import models as pm

MODERATE = "portal.moderate"


def can_moderate(user: Any) -> bool:
    """Editors and leaders (role ``editor`` in orgs, or the portal's back-office groups) moderate comments."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return can(user, MODERATE) or user.has_perm("portal.moderate_comment")


def ensure_can_moderate(user: Any) -> None:
    if not can_moderate(user):
        raise PermissionDenied(MODERATE)


class CommentRefused(ValidationError):
    """The comment was not taken (ban, rate limit, empty text): the message says why, for the reader."""


def _rate_limit() -> tuple[int, int]:
    return (int(getattr(settings, "PORTAL_COMMENT_RATE", 5)),
            int(getattr(settings, "PORTAL_COMMENT_WINDOW_SECONDS", 600)))


def banned_words_in(text: str) -> list[str]:
    folded = " %s " % " ".join(re.findall(r"\w+", vntext.fold(text)))
    found = []
    for word in pm.BannedWord.objects.values_list("word", flat=True):
        key = " ".join(re.findall(r"\w+", vntext.fold(word)))
        if key and " %s " % key in folded:
            found.append(word)
    return found


def comment_post(*, article: Any, user: Any, name: str, email: str, body: str, ip: str | None) -> Any:
    """Take a reader's comment and hold it for moderation (never shown before a moderator approves it)."""
    user = user if getattr(user, "is_authenticated", False) else None
    body = (body or "").strip()
    name = (name or "").strip()[:100]
    if user is not None and not name:
        name = (user.get_full_name() or user.get_username())[:100]
    if not body:
        raise CommentRefused(_("Chưa có nội dung bình luận."))
    if len(body) > 4000:
        raise CommentRefused(_("Bình luận dài quá 4000 ký tự."))
    if not name:
        raise CommentRefused(_("Xin cho biết họ tên."))
    bans = pm.CommentBan.objects.none()
    if user is not None:
        bans = pm.CommentBan.objects.filter(user=user)
    if ip:
        bans = bans | pm.CommentBan.objects.filter(ip=ip)
    if bans.exists():
        raise CommentRefused(_("Bạn không thể gửi bình luận."))
    limit, window = _rate_limit()
    since = timezone.now() - dt.timedelta(seconds=window)
    recent = pm.Comment.objects.filter(created_at__gte=since)
    if (ip and recent.filter(ip=ip).count() >= limit) or (user and recent.filter(user=user).count() >= limit):
        raise CommentRefused(_("Bạn gửi quá nhiều bình luận; xin thử lại sau ít phút."))
    with transaction.atomic():
        comment = pm.Comment.objects.create(page=article, user=user, name=name, email=(email or "").strip()[:254],
                                            body=body, ip=ip or None,
                                            flagged_words=", ".join(banned_words_in(body + " " + name))[:500])
        audit(comment, "portal.comment_post", by=user, data={"page": article.pk})
    return comment


ACTIONS = ("approve", "reject", "ban", "delete")


def comments_moderate(*, comment_ids: Iterable[int], action: str, by: Any) -> int:
    """Approve, reject, delete, or reject and ban the authors (account and IP) of these comments."""
    ensure_can_moderate(by)
    if action not in ACTIONS:
        raise ValidationError(_("Thao tác không hợp lệ: %(action)s") % {"action": action})
    now = timezone.now()
    with transaction.atomic():
        comments = list(pm.Comment.objects.select_for_update().filter(pk__in=list(comment_ids)))
        for comment in comments:
            old = comment.status
            if action == "delete":
                audit(comment, "portal.comment_delete", by=by, data={"page": comment.page_id})
                comment.delete()
                continue
            if action == "ban":
                if comment.user_id and not pm.CommentBan.objects.filter(user_id=comment.user_id).exists():
                    pm.CommentBan.objects.create(user_id=comment.user_id, by=by, reason="comment %s" % comment.pk)
                if comment.ip and not pm.CommentBan.objects.filter(ip=comment.ip).exists():
                    pm.CommentBan.objects.create(ip=comment.ip, by=by, reason="comment %s" % comment.pk)
            comment.status = pm.CommentStatus.APPROVED if action == "approve" else pm.CommentStatus.REJECTED
            comment.moderated_by = by
            comment.moderated_at = now
            comment.save(update_fields=["status", "moderated_by", "moderated_at"])
            audit(comment, "portal.comment_" + action, by=by, changes={"status": [old, comment.status]})
    cache.purge()  # approved comments show, rejected ones leave, on the cached pages too
    return len(comments)


def banned_words_set(*, words: Iterable[str], by: Any) -> list[str]:
    """Replace the banned-word list (comments containing one are flagged for the moderator)."""
    ensure_can_moderate(by)
    wanted = sorted({w.strip()[:100] for w in words if w.strip()})
    with transaction.atomic():
        old = list(pm.BannedWord.objects.values_list("word", flat=True))
        pm.BannedWord.objects.exclude(word__in=wanted).delete()
        for word in wanted:
            pm.BannedWord.objects.get_or_create(word=word)
        if old != wanted and wanted:
            audit(pm.BannedWord.objects.get(word=wanted[0]), "portal.banned_words", by=by,
                  changes={"words": [old, wanted]})
    return wanted
