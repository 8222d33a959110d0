from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_groups(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    from orgs.roles import sync_role_groups

    sync_role_groups()


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Đơn vị và người dùng")

    def ready(self) -> None:
        # Groups need every app's permissions, which exist only after migrate.
        post_migrate.connect(_sync_groups, dispatch_uid="orgs-sync-role-groups")
