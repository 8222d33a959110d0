"""Back office: the archive in Wagtail (hierarchy, items, duplicates, upload) and its log actions."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_log_actions")
def register_archive_log_actions(actions: Any) -> None:
    actions.register_action("archive.text_correct", _("Hiệu đính văn bản"), _("Đã hiệu đính văn bản trang"))
    actions.register_action("archive.merge", _("Gộp tài liệu trùng"), _("Đã gộp tài liệu trùng"))
    actions.register_action("archive.duplicate_keep", _("Giữ tài liệu nghi trùng"), _("Đã giữ cả hai tài liệu"))
