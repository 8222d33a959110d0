"""Back office: the citation picker, snippets (sources, chronologies, events, packs, index entries), the export
button with its progress, import reports and entity suggestions."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from books.choosers import item_chooser_viewset
from books.models import Chronology, Entity, Event, Source, ThematicPack


@hooks.register("register_admin_viewset")
def register_item_chooser() -> Any:
    return item_chooser_viewset


@hooks.register("register_log_actions")
def register_books_log_actions(actions: Any) -> None:
    for name, label in (("books.book_create", _("Tạo sách")), ("books.export", _("Xuất sách")),
                        ("books.chronology_create", _("Tạo biên niên")), ("books.event_add", _("Thêm sự kiện")),
                        ("books.entity_confirm", _("Xác nhận mục từ chỉ dẫn")),
                        ("books.pack_create", _("Tạo chuyên đề"))):
        actions.register_action(name, label, label)


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = _("Nguồn ngoài kho")
    list_display = ["title", "type", "issued"]
    search_fields = ["title"]


class ChronologyViewSet(SnippetViewSet):
    model = Chronology
    icon = "date"
    menu_label = _("Biên niên")
    list_display = ["title", "book", "access"]


class EventViewSet(SnippetViewSet):
    model = Event
    icon = "time"
    menu_label = _("Sự kiện")
    list_display = ["date_earliest", "text", "place", "chronology"]
    list_filter = ["chronology", "precision"]
    search_fields = ["text"]


class PackViewSet(SnippetViewSet):
    model = ThematicPack
    icon = "doc-empty"
    menu_label = _("Chuyên đề")
    list_display = ["title", "book", "access"]


class EntityViewSet(SnippetViewSet):
    model = Entity
    icon = "tag"
    menu_label = _("Chỉ dẫn")
    list_display = ["name", "kind", "book", "confirmed"]
    list_filter = ["book", "kind", "confirmed"]


class BooksGroup(SnippetViewSetGroup):
    items = (SourceViewSet, ChronologyViewSet, EventViewSet, PackViewSet, EntityViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Biên soạn")
    menu_order = 240


register_snippet(BooksGroup)


def _admin_urls() -> list:
    from books import admin_views

    return [
        path("", admin_views.dashboard, name="dashboard"),
        path("<int:book_id>/export/", admin_views.export_start, name="export"),
        path("exports/<int:export_id>/", admin_views.export_status, name="export_status"),
        path("exports/<int:export_id>/download/", admin_views.export_download, name="export_download"),
        path("<int:book_id>/imports/<int:report_id>/", admin_views.import_report, name="import_report"),
        path("<int:book_id>/entities/", admin_views.entity_suggestions, name="entities"),
        path("chronology/<int:chronology_id>/suggest/", admin_views.chronology_suggest, name="chronology_suggest"),
    ]


@hooks.register("register_admin_urls")
def register_books_admin_urls() -> list:
    return [path("books/", include((_admin_urls(), "books_admin"), namespace="books_admin"))]


@hooks.register("register_admin_menu_item")
def register_books_menu_item() -> MenuItem:
    return MenuItem(_("Sách biên soạn"), reverse("books_admin:dashboard"), icon_name="doc-full-inverse", order=235)
