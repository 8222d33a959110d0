from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = "Liên thông (OAI-PMH, EAD, sao lưu)"
    default_auto_field = "django.db.models.BigAutoField"
