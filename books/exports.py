"""Export runs from the back office: a BookExport row claimed by one worker, its progress, its file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from books.document import build_book
from books.models import BookExport
from books.writers import write


def export_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "book-exports"


def export_run(export_id: int) -> str | None:
    claimed = BookExport.objects.filter(pk=export_id, status=BookExport.Status.QUEUED).update(
        status=BookExport.Status.RUNNING, progress=5)
    if not claimed:
        return None  # done already, or another worker has it
    export = BookExport.objects.select_related("book", "by").get(pk=export_id)

    def progress(message: str) -> None:
        step = 30 if message.startswith("book:") else 50 if message.startswith("citations") else 70
        BookExport.objects.filter(pk=export_id).update(progress=step)

    try:
        doc = build_book(export.book, user=export.by, progress=progress)
        out = export_dir() / ("%s-%d.%s" % (export.book.slug, export.pk, export.format))
        write(doc, export.format, out)
    except Exception as exc:  # noqa: BLE001 - the failure is recorded for the person who asked
        BookExport.objects.filter(pk=export_id).update(status=BookExport.Status.FAILED, error=str(exc)[:2000])
        raise
    BookExport.objects.filter(pk=export_id).update(status=BookExport.Status.DONE, progress=100, path=str(out))
    return str(out)
