from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SulieuConfig(AppConfig):
    name = "sulieu"
    verbose_name = _("Sử liệu")

    def ready(self) -> None:
        from django.db import models
        from wagtail.actions import action_registry

        from core.audit import AuditedEditAction

        # Every back-office edit of a non-page model records which fields changed.
        action_registry.register(models.Model, AuditedEditAction)
