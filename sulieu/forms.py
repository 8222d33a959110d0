from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class SulieuLoginForm(LoginForm):
    """Wagtail's login form with a translatable password label (Wagtail leaves it to the field name)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mật khẩu")
