from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from books.models import BookExport, ChapterPage
from books.tests.factories import make_items, make_shelf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["đình làng", "dinh lang", "98-KH/TU"])
def test_citation_picker_searches_the_archive_with_and_without_diacritics(world: Any, client: Any,
                                                                          query: str) -> None:
    plan, _directive, report, _file = make_items(world)
    client.force_login(world.superuser)
    url = reverse("books_item_chooser:choose_results")
    html = client.get(url, {"q": query}).content.decode()
    assert reverse("books_item_chooser:chosen", args=[plan.pk]) in html


def test_picker_hides_items_the_compiler_may_not_see(world: Any, client: Any) -> None:
    _plan, _directive, report, _file = make_items(world)
    client.force_login(world.other_reader)
    html = client.get(reverse("books_item_chooser:choose_results"), {"q": "báo cáo mật"}).content.decode()
    assert reverse("books_item_chooser:chosen", args=[report.pk]) not in html


def test_chapter_editor_has_the_citation_block(world: Any, client: Any) -> None:
    shelf = make_shelf(world)
    client.force_login(world.superuser)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[shelf.chapters[0].pk])).content.decode()
    assert "/admin/books/item-chooser/" in html and "item_chooser_widget" in html


def test_export_button_runs_a_background_task(world: Any, client: Any, django_capture_on_commit_callbacks: Any,
                                              settings: Any) -> None:
    shelf = make_shelf(world)
    client.force_login(world.superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("books_admin:export", args=[shelf.book.pk]), {"format": "docx"})
    export = BookExport.objects.get()
    assert response.status_code == 302
    # while it runs, the page polls its status row with htmx: the page must load htmx (the back office does not)
    waiting = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "htmx-2.min.js" in waiting
    row = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert row.startswith('<div id="export-status"') and "<html" not in row
    from books.exports import export_run

    export_run(export.pk)  # what the worker does; a second run is a no-op
    assert export_run(export.pk) is None
    export.refresh_from_db()
    assert export.status == "done" and export.progress == 100
    download = client.get(reverse("books_admin:export_download", args=[export.pk]))
    assert b"".join(download.streaming_content)[:2] == b"PK"
    status = client.get(reverse("books_admin:export_status", args=[export.pk])).content.decode()
    assert "export-download" in status


def test_outsider_cannot_export(world: Any, client: Any) -> None:
    shelf = make_shelf(world)
    client.force_login(world.outsider)
    response = client.post(reverse("books_admin:export", args=[shelf.book.pk]), {"format": "docx"})
    assert response.status_code in {302, 403}
    assert not BookExport.objects.exists()


def test_entity_suggestions_and_confirm(world: Any, client: Any) -> None:
    shelf = make_shelf(world)
    client.force_login(world.superuser)
    url = reverse("books_admin:entities", args=[shelf.book.pk])
    html = client.get(url).content.decode()
    assert "Cam Hải Đông" in html
    client.post(url, {"entity": ["place|Cam Hải Đông"]})
    assert shelf.book.entities.filter(name="Cam Hải Đông", confirmed=True).exists()
    assert ChapterPage.objects.count() == 2
