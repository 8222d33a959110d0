from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _drop_orphan_index(using: str = "default", **kwargs: object) -> None:
    """An archive without items has an empty index.  `flush` (and the tests' flush between transactional tests)
    empties the item tables and sends post_migrate; the index tables are not Django models, so they are
    emptied here, or searches would return items that no longer exist."""
    from archive.models import Item
    from search.services import backend

    if using != "default" or Item.objects.using(using).exists():
        return
    index = backend()
    if index.count():
        index.clear()


def _index_changed_items(item_ids: list[int]) -> int:
    from search.services import index_items

    return index_items(item_ids=item_ids)


class SearchConfig(AppConfig):
    name = "search"
    label = "sulieu_search"
    verbose_name = _("Tìm kiếm")

    def ready(self) -> None:
        # The archive tells its subscribers when items change (the index step, staff edits); it never
        # imports search.
        from archive import hooks

        hooks.subscribe(_index_changed_items)
        post_migrate.connect(_drop_orphan_index, sender=self)
