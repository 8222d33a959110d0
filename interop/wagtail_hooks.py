"""Log actions of the interoperability app (audit entries of harvests, imports and exports)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_interop_log_actions(actions: Any) -> None:
    actions.register_action("interop.harvest", _("Thu thập OAI-PMH"), _("Đã thu thập bản ghi qua OAI-PMH"))
    actions.register_action("interop.import", _("Nhập siêu dữ liệu"), _("Đã nhập siêu dữ liệu (EAD/CSV/XLSX)"))
