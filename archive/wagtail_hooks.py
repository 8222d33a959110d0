"""Back office: the archive in Wagtail (hierarchy, items, duplicates, upload) and its log actions."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_log_actions")
def register_archive_log_actions(actions: Any) -> None:
    actions.register_action("archive.text_correct", _("Hiệu đính văn bản"), _("Đã hiệu đính văn bản trang"))
    actions.register_action("archive.merge", _("Gộp tài liệu trùng"), _("Đã gộp tài liệu trùng"))
    actions.register_action("archive.duplicate_keep", _("Giữ tài liệu nghi trùng"), _("Đã giữ cả hai tài liệu"))


def _admin_urls() -> list:
    from archive import admin_views

    return [
        path("upload/", admin_views.upload, name="upload"),
        path("upload/file/", admin_views.upload_file, name="upload_file"),
        path("items/<int:item_id>/pages/<int:n>/", admin_views.page_edit, name="page_edit"),
        path("duplicates/", admin_views.duplicates, name="duplicates"),
        path("duplicates/<int:pk>/decide/", admin_views.duplicate_decide_view, name="duplicate_decide"),
    ]


@hooks.register("register_admin_urls")
def register_archive_admin_urls() -> list:
    return [path("archive/", include((_admin_urls(), "archive_admin"), namespace="archive_admin"))]


@hooks.register("register_admin_menu_item")
def register_upload_menu_item() -> MenuItem:
    return MenuItem(_("Nhập tài liệu"), reverse("archive_admin:upload"), icon_name="upload", order=210)


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item() -> MenuItem:
    return MenuItem(_("Nghi trùng"), reverse("archive_admin:duplicates"), icon_name="copy", order=230)


def _viewsets() -> Any:
    from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

    from archive.models import Collection, Item

    class CollectionViewSet(SnippetViewSet):
        model = Collection
        icon = "folder-open-inverse"
        menu_label = _("Phông / hồ sơ")
        list_display = ["code", "title", "kind", "org_unit", "access"]
        list_filter = ["kind", "access"]
        search_fields = ["code", "title"]
        ordering = ["path"]

    class ItemViewSet(SnippetViewSet):
        model = Item
        icon = "doc-full"
        menu_label = _("Tài liệu")
        list_display = ["title", "symbol", "kind", "status", "stage", "date_earliest", "access"]
        list_filter = ["status", "kind", "access"]
        search_fields = ["title", "symbol", "original_name"]
        list_per_page = 50

    class ArchiveGroup(SnippetViewSetGroup):
        items = (CollectionViewSet, ItemViewSet)
        menu_icon = "folder-inverse"
        menu_label = _("Kho lưu trữ")
        menu_order = 200

    return ArchiveGroup


def _register_viewsets() -> None:
    from wagtail.snippets.models import register_snippet

    register_snippet(_viewsets())


_register_viewsets()
