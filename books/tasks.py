"""Background tasks of the books app (ids in, idempotent, claimed with a conditional update)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="default")
def run_export(export_id: int) -> str | None:
    """Export a book for the back-office button; progress is written to the BookExport row."""
    from books.exports import export_run

    return export_run(export_id)
