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
    from django.core.exceptions import PermissionDenied
    from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet, SnippetViewSetGroup

    from archive.models import Collection, Item
    from archive.services import DESCRIPTIVE_FIELDS, collection_create, collection_update, item_update

    class CollectionCreateView(CreateView):
        # Through the service: the node gets its tree path, the write is checked and audited.
        def save_instance(self) -> Collection:
            data = {k: v for k, v in self.form.cleaned_data.items() if k not in {"title", "kind", "code", "parent",
                                                                                 "org_unit", "access"}}
            cleaned = self.form.cleaned_data
            return collection_create(by=self.request.user, title=cleaned["title"], kind=cleaned["kind"],
                                     code=cleaned.get("code") or "", parent=cleaned.get("parent"),
                                     org_unit=cleaned.get("org_unit"), access=cleaned["access"], **data)

    class CollectionEditView(EditView):
        def save_instance(self) -> Collection:
            fresh = Collection.objects.get(pk=self.object.pk)
            fields = {name: self.form.cleaned_data[name] for name in self.form.changed_data}
            try:
                return collection_update(collection=fresh, by=self.request.user, fields=fields)
            except PermissionDenied:
                raise
            except ValueError as exc:
                self.form.add_error("parent", str(exc))
                raise

    class ItemCreateView(CreateView):
        # Items come in through ingest (the original is kept and processed), never as an empty form.
        def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            from django.shortcuts import redirect

            return redirect("archive_admin:upload")

    class ItemEditView(EditView):
        # Through item_update: a field a person corrects is locked against later automatic description.
        def save_instance(self) -> Item:
            fresh = Item.objects.get(pk=self.object.pk)
            fields = {name: self.form.cleaned_data[name] for name in self.form.changed_data
                      if name in DESCRIPTIVE_FIELDS}
            return item_update(item=fresh, by=self.request.user, fields=fields)

    class CollectionViewSet(SnippetViewSet):
        model = Collection
        icon = "folder-open-inverse"
        menu_label = _("Phông / hồ sơ")
        list_display = ["code", "title", "kind", "org_unit", "access"]
        list_filter = ["kind", "access"]
        search_fields = ["code", "title"]
        ordering = ["path"]
        add_view_class = CollectionCreateView
        edit_view_class = CollectionEditView

    class ItemViewSet(SnippetViewSet):
        model = Item
        icon = "doc-full"
        menu_label = _("Tài liệu")
        list_display = ["title", "symbol", "kind", "status", "stage", "date_earliest", "access"]
        list_filter = ["status", "kind", "access"]
        search_fields = ["title", "symbol", "original_name"]
        list_per_page = 50
        edit_view_class = ItemEditView
        add_view_class = ItemCreateView
        form_fields = list(DESCRIPTIVE_FIELDS)

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
