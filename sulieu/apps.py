from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class SulieuConfig(AppConfig):
    name = "sulieu"
    verbose_name = _("Sử liệu")

    def ready(self) -> None:
        from django.db import models
        from django.db.models.signals import post_migrate
        from wagtail.actions import action_registry

        from core.audit import AuditedEditAction
        from core.wagtail import ensure_base_rows

        # Every back-office edit of a non-page model records which fields changed.
        action_registry.register(models.Model, AuditedEditAction)
        # Wagtail's root page, locale and collection come back after a flush.  post_migrate is only sent for apps
        # with models (this one has none), so it listens to Wagtail's core app.
        post_migrate.connect(ensure_base_rows, sender=apps.get_app_config("wagtailcore"),
                             dispatch_uid="sulieu-wagtail-base-rows")
