"""Reads for the portal. Archive material shown on public pages is always judged as the anonymous public."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

import vntext
from archive.models import Item
from archive.selectors import item_list
from orgs.access import can_view
from portal import models as pm
from portal import stats


def live_articles() -> QuerySet:
    return (pm.ArticlePage.objects.live().public()
            .annotate(shown_at=Coalesce("published_at", "first_published_at"))
            .order_by("-shown_at", "-pk"))


def articles_of(topic: Any) -> QuerySet:
    return live_articles().child_of(topic).select_related("lead_image")


def topics() -> QuerySet:
    return pm.TopicPage.objects.live().public().order_by("path")


def topic_by_slug(slug: str) -> Any:
    return topics().filter(slug=slug).first()


def public_item(item: Item | None) -> Item | None:
    """The item when the anonymous public may see it (cards and footnotes on cached public pages)."""
    if item is None or item.merged_into_id or not can_view(None, item):
        return None
    return item


def related_articles(article: Any, *, limit: int = 6) -> list[Any]:
    """Chosen by hand first, then by the number of shared tags, then newest of the same topic."""
    chosen: list[Any] = []
    seen = {article.pk}
    live = live_articles()
    manual_ids = list(article.related_links.order_by("sort_order").values_list("article_id", flat=True))
    by_id = {a.pk: a for a in live.filter(pk__in=manual_ids)}
    for pk in manual_ids:
        if pk in by_id and pk not in seen:
            chosen.append(by_id[pk])
            seen.add(pk)
    tag_ids = list(article.tags.values_list("pk", flat=True))
    if len(chosen) < limit and tag_ids:
        shared = (live.exclude(pk__in=seen).filter(tagged_items__tag_id__in=tag_ids)
                  .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True))
                  .order_by("-shared", "-shown_at", "-pk")[: limit - len(chosen)])
        for a in shared:
            chosen.append(a)
            seen.add(a.pk)
    if len(chosen) < limit:
        parent = article.get_parent()
        if parent is not None:
            chosen += list(live.child_of(parent).exclude(pk__in=seen)[: limit - len(chosen)])
    return chosen


@dataclass
class Footnote:
    n: int
    text: str
    item: Item | None


def footnotes(article: Any) -> list[Footnote]:
    """Footnotes with their archive item: the one chosen, else the public item with that symbol."""
    notes = list(article.footnotes.order_by("sort_order").select_related("item__org_unit"))
    symbols = {n.symbol.strip() for n in notes if n.item is None and n.symbol.strip()}
    by_symbol: dict[str, Item] = {}
    if symbols:
        for item in item_list(None).filter(symbol__in=symbols).order_by("created_at"):
            by_symbol.setdefault(item.symbol, item)
    out = []
    for i, note in enumerate(notes, start=1):
        item = public_item(note.item) if note.item_id else by_symbol.get(note.symbol.strip())
        out.append(Footnote(n=i, text=note.text, item=item))
    return out


def new_documents(*, doc_type: str = "", issuer: str = "") -> QuerySet[Item]:
    """ "Văn bản mới": public archive documents, newest document date first."""
    qs = item_list(None, kind="document", status="done")
    if doc_type:
        qs = qs.filter(doc_type_code=doc_type)
    if issuer:
        qs = qs.filter(Q(issuer_code=issuer) | Q(issuer_name=issuer))
    return qs.order_by(Coalesce("date_earliest", "created_at__date").desc(), "-pk")


def document_filters() -> dict[str, list[tuple[str, str]]]:
    qs = item_list(None, kind="document", status="done")
    types = (qs.exclude(doc_type_code="").values_list("doc_type_code", "doc_type_name").distinct()
             .order_by("doc_type_name"))
    issuers = qs.exclude(issuer_name="").values_list("issuer_name", flat=True).distinct().order_by("issuer_name")
    return {"types": list(dict.fromkeys(types)), "issuers": [(i, i) for i in dict.fromkeys(issuers)]}


def most_read(*, limit: int = 5, since: Any = None) -> list[Any]:
    totals = stats.views_by_page(since=since)
    live = {a.pk: a for a in live_articles().filter(pk__in=list(totals))}
    ranked = sorted((pk for pk in live if totals.get(pk)), key=lambda pk: (-totals[pk], -pk))[:limit]
    result = []
    for pk in ranked:
        live[pk].views = totals[pk]
        result.append(live[pk])
    return result


def search_articles(query: str, *, limit: int = 20) -> list[Any]:
    """Articles whose title, sapo or body contain every word, with or without diacritics."""
    terms = [t for t in vntext.fold(query).split() if t]
    if not terms:
        return []
    qs = live_articles()
    for term in terms[:10]:
        qs = qs.filter(search_text__contains=term)
    return list(qs[:limit])


def approved_comments(article: Any) -> QuerySet:
    return article.comments.filter(status=pm.CommentStatus.APPROVED).order_by("created_at", "pk")


def comment_counts(article_ids: list[int]) -> dict[int, int]:
    rows = (pm.Comment.objects.filter(page_id__in=article_ids, status=pm.CommentStatus.APPROVED)
            .values("page_id").annotate(n=Count("id")))
    counts = dict.fromkeys(article_ids, 0)
    counts.update({r["page_id"]: r["n"] for r in rows})
    return counts
