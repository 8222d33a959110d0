from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import cache

        cache.connect()
