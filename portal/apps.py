from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from archive import hooks
        from portal import cache

        cache.connect()
        # Cached pages show archive items (cards, footnotes, "Văn bản mới"): an item that changed — above
        # all one restricted or withdrawn — must not stay on a cached public page.
        hooks.subscribe(_purge_on_items_changed)


def _purge_on_items_changed(item_ids: list[int]) -> None:
    from portal import cache

    cache.purge()
