"""Back office: comment moderation, visit statistics, and the portal's log actions."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal import admin_views
from portal.fastpath import ARTICLE_ATTR
from portal.services import can_moderate


@hooks.register("register_log_actions")
def register_portal_log_actions(actions: Any) -> None:
    for action, label in [
        ("portal.comment_post", _("Gửi bình luận")), ("portal.comment_approve", _("Duyệt bình luận")),
        ("portal.comment_reject", _("Từ chối bình luận")), ("portal.comment_ban", _("Chặn người bình luận")),
        ("portal.comment_delete", _("Xóa bình luận")), ("portal.banned_words", _("Sửa danh sách từ cấm")),
        ("portal.article_import", _("Nhập bài viết từ trang web")), ("portal.setup", _("Thiết lập cổng thông tin")),
    ]:
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def register_portal_admin_urls() -> list:
    urls = [
        path("comments/", admin_views.comments, name="comments"),
        path("comments/banned-words/", admin_views.banned_words, name="banned_words"),
        path("statistics/", admin_views.statistics, name="statistics"),
    ]
    return [path("portal/", include((urls, "portal_admin"), namespace="portal_admin"))]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_comments_menu_item() -> MenuItem:
    return ModeratorMenuItem(_("Bình luận"), reverse("portal_admin:comments"), icon_name="comment", order=250)


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item() -> MenuItem:
    return ModeratorMenuItem(_("Thống kê truy cập"), reverse("portal_admin:statistics"), icon_name="view", order=260)


@hooks.register("before_serve_page")
def mark_article_for_the_fast_path(page: Any, request: Any, serve_args: Any, serve_kwargs: Any) -> None:
    """Tell portal.fastpath which article this address showed (not its print view)."""
    from portal.models import ArticlePage

    if isinstance(page, ArticlePage) and not serve_kwargs.get("print_view"):
        setattr(request, ARTICLE_ATTR, page.pk)
