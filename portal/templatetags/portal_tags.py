from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from portal.selectors import public_item as _public_item

register = template.Library()


@register.filter
def vn_datetime(value: Any) -> str:
    """ "18/12/2023 02:22 CH", as Vietnamese news sites write it (SA = morning, CH = afternoon)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if local.hour == 0 and local.minute == 0:  # only the day is known (an imported page gave no time)
        return local.strftime("%d/%m/%Y")
    return "%s %s" % (local.strftime("%d/%m/%Y %I:%M"), "SA" if local.hour < 12 else "CH")


@register.filter
def public_item(item: Any) -> Any:
    """The archive item if the anonymous public may see it, else None (cards on cached public pages)."""
    return _public_item(item)
