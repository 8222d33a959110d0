"""Back office: contests' log actions and the organiser's menu entry."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_log_actions")
def register_contest_log_actions(actions: Any) -> None:
    actions.register_action("contests.bank_create", _("Tạo ngân hàng câu hỏi"), _("Đã tạo ngân hàng câu hỏi"))
    actions.register_action("contests.bank_import", _("Nhập câu hỏi"), _("Đã nhập câu hỏi vào ngân hàng"))
    actions.register_action("contests.version_review", _("Thẩm định câu hỏi"), _("Đã thẩm định câu hỏi"))
    actions.register_action("contests.contest_create", _("Tạo hội thi"), _("Đã tạo hội thi"))
    actions.register_action("contests.round_freeze", _("Khóa bộ câu hỏi của vòng"), _("Đã khóa bộ câu hỏi"))
    actions.register_action("contests.round_set_actual", _("Đặt đáp án câu dự đoán"),
                            _("Đã đặt đáp án câu dự đoán"))


@hooks.register("register_admin_menu_item")
def register_contests_menu_item() -> MenuItem:
    return MenuItem(_("Hội thi"), reverse("contests:organiser"), icon_name="trophy", order=260)
