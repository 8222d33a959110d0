from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm


class SulieuLoginForm(LoginForm):
    """Wagtail's login form with a translatable password label and a message that says when a lock ends."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mật khẩu")

    def get_invalid_login_error(self) -> forms.ValidationError:
        lock = getattr(self.request, "login_lock", None)
        if lock is None:
            return super().get_invalid_login_error()
        return forms.ValidationError(
            ngettext("Đăng nhập sai quá nhiều lần: tạm khóa, hãy thử lại sau %(minutes)d phút.",
                     "Đăng nhập sai quá nhiều lần: tạm khóa, hãy thử lại sau %(minutes)d phút.", lock.minutes),
            code="locked", params={"minutes": lock.minutes})
