from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
