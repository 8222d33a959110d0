from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BooksConfig(AppConfig):
    name = "books"
    verbose_name = _("Biên soạn sách")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from books import services

        # Wagtail's own publish signal is the one moment a chapter's live content changes, whoever publishes
        # (editor, workflow approval, a script): keep the "cited in" table in step with it.
        page_published.connect(services.on_page_published, dispatch_uid="books.citations_sync")
        page_unpublished.connect(services.on_page_unpublished, dispatch_uid="books.citations_drop")
