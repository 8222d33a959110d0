"""``{% cited_in item %}``: the books, chapters, packs and chronology events citing an archive item."""

from __future__ import annotations

from typing import Any

from django import template

from books.selectors import cited_in as cited_in_selector

register = template.Library()


@register.inclusion_tag("books/_cited_in.html", takes_context=True)
def cited_in(context: Any, item: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"cited": cited_in_selector(user, item.pk)}
