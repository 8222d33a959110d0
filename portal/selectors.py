"""Reads for the portal. Archive material shown on public pages is always judged as the anonymous public."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, Left, RowNumber
from wagtail.models import PageViewRestriction

import vntext
from archive.models import Item
from archive.selectors import item_list
from orgs.access import can_view
from portal import cache as page_cache
from portal import models as pm
from portal import stats

MOST_READ_SECONDS = 60  # the ranking is recomputed at most once a minute (it reads every hit not rolled up)
# Lists never show the body or the folded search text: not read from the database for them.
LIST_DEFERRED = ("body", "search_text")


def private_paths() -> list[str]:
    """Tree paths of the pages under a view restriction (cached; any restriction change purges the cache)."""
    key = "portal:private-paths:%s" % page_cache.generation()
    paths = cache.get(key)
    if paths is None:
        paths = sorted(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(key, paths, page_cache.PAGE_TTL)
    return paths


def public(qs: QuerySet) -> QuerySet:
    """Wagtail's ``.public()`` without its query of the view restrictions on every call."""
    for path in private_paths():
        qs = qs.exclude(path__startswith=path)
    return qs


def live_articles() -> QuerySet:
    return (public(pm.ArticlePage.objects.live())
            .annotate(shown_at=Coalesce("published_at", "first_published_at"))
            .order_by("-shown_at", "-pk"))


def articles_of(topic: Any) -> QuerySet:
    return live_articles().child_of(topic).select_related("lead_image").defer(*LIST_DEFERRED)


def latest_by_parent(parents: list[Any], per_parent: int) -> dict[int, list[Any]]:
    """The newest ``per_parent`` live public articles under each of ``parents`` (pages of one depth), in one query:
    a row number per parent path, newest first."""
    if not parents:
        return {}
    width = len(parents[0].path) + pm.ArticlePage.steplen
    by_path = {p.path: p.pk for p in parents}
    under = Q()
    for path in by_path:
        under |= Q(path__startswith=path)
    rows = (live_articles().filter(under, depth=parents[0].depth + 1)
            .annotate(parent_path=Left("path", width - pm.ArticlePage.steplen),
                      place=Window(RowNumber(), partition_by=[F("parent_path")],
                                   order_by=[F("shown_at").desc(), F("pk").desc()]))
            .filter(place__lte=per_parent)
            .select_related("lead_image").defer(*LIST_DEFERRED))
    grouped: dict[int, list[Any]] = {pk: [] for pk in by_path.values()}
    for article in rows:
        grouped[by_path[article.parent_path]].append(article)
    return grouped


def topics() -> QuerySet:
    return public(pm.TopicPage.objects.live()).order_by("path")


def topic_by_slug(slug: str) -> Any:
    return topics().filter(slug=slug).first()


def public_item(item: Item | None) -> Item | None:
    """The item when the anonymous public may see it (cards and footnotes on cached public pages)."""
    if item is None or item.merged_into_id or not can_view(None, item):
        return None
    return item


def related_articles(article: Any, *, limit: int = 6) -> list[Any]:
    """Chosen by hand first, then by the number of shared tags, then newest of the same topic."""
    seen = {article.pk}
    live = live_articles().defer(*LIST_DEFERRED)
    by_hand = pm.ArticleRelatedLink.objects.filter(page_id=article.pk, article_id=OuterRef("pk"))
    first_link = by_hand.order_by(F("sort_order").asc(nulls_last=True), "pk")[:1]
    chosen = list(live.filter(Exists(by_hand)).exclude(pk__in=seen)
                  .annotate(hand_order=Subquery(first_link.values("sort_order")),
                            hand_link=Subquery(first_link.values("pk")))
                  .order_by(F("hand_order").asc(nulls_last=True), "hand_link")[:limit])
    seen.update(a.pk for a in chosen)
    if len(chosen) < limit:
        tag_ids = pm.ArticlePageTag.objects.filter(content_object_id=article.pk).values("tag_id")
        shared = (live.exclude(pk__in=seen).filter(tagged_items__tag_id__in=tag_ids)
                  .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True))
                  .order_by("-shared", "-shown_at", "-pk")[: limit - len(chosen)])
        for a in shared:
            chosen.append(a)
            seen.add(a.pk)
    if len(chosen) < limit and article.depth > 1:
        # The same topic: the article's siblings, found by tree path (no query for the parent).
        siblings = live.filter(depth=article.depth, path__startswith=article.path[:-pm.ArticlePage.steplen])
        chosen += list(siblings.exclude(pk__in=seen)[: limit - len(chosen)])
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


def most_read(*, limit: int = 5, since: Any = None, cached: bool = True) -> list[Any]:
    """The most viewed live articles with their ``views``; on public pages the ranking is at most a minute old."""
    key = "portal:most-read:%s:%s:%s" % (limit, since, page_cache.generation())
    ranked = cache.get(key) if cached else None
    if ranked is None:
        totals = stats.views_by_page(since=since)
        candidates = sorted(((pk, n) for pk, n in totals.items() if n), key=lambda kv: (-kv[1], -kv[0]))
        ranked = []
        for start in range(0, len(candidates), 200):  # most viewed first; other pages (home, topics) skipped
            chunk = candidates[start:start + 200]
            live = set(live_articles().filter(pk__in=[pk for pk, _ in chunk]).values_list("pk", flat=True))
            ranked += [kv for kv in chunk if kv[0] in live][: limit - len(ranked)]
            if len(ranked) >= limit:
                break
        if cached:
            cache.set(key, ranked, MOST_READ_SECONDS)
    by_id = {a.pk: a for a in live_articles().defer(*LIST_DEFERRED).filter(pk__in=[pk for pk, _ in ranked])}
    result = []
    for pk, views in ranked:
        if pk in by_id:  # unpublished since the ranking was made
            by_id[pk].views = views
            result.append(by_id[pk])
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
