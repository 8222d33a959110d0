"""Back office: the comment moderation queue (bulk actions, bans, banned words) and the visit statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import models as pm
from portal import selectors, services, stats


def comments(request: HttpRequest) -> HttpResponse:
    services.ensure_can_moderate(request.user)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        action = request.POST.get("action", "")
        if not ids:
            messages.warning(request, _("Chưa chọn bình luận nào."))
        else:
            try:
                n = services.comments_moderate(comment_ids=ids, action=action, by=request.user)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, _("Đã xử lý %(n)d bình luận.") % {"n": n})
        return redirect(request.get_full_path())
    status = request.GET.get("status", pm.CommentStatus.PENDING)
    qs = pm.Comment.objects.select_related("page", "user").order_by("-created_at", "-pk")
    if status in pm.CommentStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("flagged"):
        qs = qs.exclude(flagged_words="")
    return render(request, "portal/admin/comments.html", {
        "comments": Paginator(qs, 50).get_page(request.GET.get("page")), "status": status,
        "statuses": pm.CommentStatus.choices, "pending": pm.Comment.objects.filter(status="pending").count(),
    })


def banned_words(request: HttpRequest) -> HttpResponse:
    services.ensure_can_moderate(request.user)
    if request.method == "POST":
        words = services.banned_words_set(words=request.POST.get("words", "").splitlines(), by=request.user)
        messages.success(request, _("Đã lưu %(n)d từ cấm.") % {"n": len(words)})
        return redirect("portal_admin:banned_words")
    words = "\n".join(pm.BannedWord.objects.values_list("word", flat=True))
    bans = pm.CommentBan.objects.select_related("user").order_by("-created_at")[:200]
    return render(request, "portal/admin/banned_words.html", {"words": words, "bans": bans})


def statistics(request: HttpRequest) -> HttpResponse:
    services.ensure_can_moderate(request.user)
    days = stats.views_per_day(days=30)
    peak = max([n for _d, n in days] + [1])
    per_topic = []
    totals = stats.views_by_page()
    for topic in selectors.topics():
        ids = list(selectors.articles_of(topic).values_list("pk", flat=True))
        per_topic.append((topic, sum(totals.get(i, 0) for i in ids)))
    topic_peak = max([n for _t, n in per_topic] + [1])
    return render(request, "portal/admin/statistics.html", {
        "site": stats.site_stats(), "days": [(d, n, round(100 * n / peak)) for d, n in days],
        "per_topic": [(t, n, round(100 * n / topic_peak)) for t, n in per_topic],
        "referrers": stats.top_referrers(), "most_read": selectors.most_read(limit=20, cached=False),
    })
