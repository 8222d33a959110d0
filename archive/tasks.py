"""Background tasks of the archive. Each takes ids, is idempotent and claims its work itself."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="default")
def item_step(item_id: int, step: str) -> str | None:
    """Run one pipeline step of an item (and the cheap steps after it); see archive.pipeline."""
    from archive.pipeline import run_step

    return run_step(item_id, step)


@task(queue_name="ocr")
def item_ocr_page(item_id: int, n: int) -> None:
    """OCR page ``n`` of an item; the last page done moves the item to the next step."""
    from archive.pipeline import run_ocr_page

    run_ocr_page(item_id, n)


@task(queue_name="index")
def items_index(item_ids: list[int]) -> None:
    """Re-index items after a staff edit."""
    try:
        from search.services import index_items
    except ImportError:
        return
    index_items(item_ids=list(item_ids))


@task(queue_name="default")
def fixity_check_task() -> dict:
    """Scheduled fixity check of every stored file; books the next run (archive.schedule)."""
    from archive.fixity import fixity_check
    from archive.schedule import ensure_fixity_scheduled

    summary = fixity_check(by=None).summary()
    ensure_fixity_scheduled()
    return summary
