"""The citation picker: a Wagtail chooser over archive items that searches with the archive search.

The search is ``search.services.search_items`` as the compiler may see (so "dinh lang" finds "đình làng",
a symbol finds its document, and restricted items stay out for those who may not see them).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, When
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from archive.models import Item
from orgs.access import filter_visible
from search.services import search_items

PICKER_LIMIT = 50


def picker_item_ids(user: Any, query: str, *, limit: int = PICKER_LIMIT) -> list[int]:
    """Ids of the items the archive search finds for ``query`` as ``user`` sees them, best first."""
    results = search_items(user=user, query=query, page_size=limit, facets=False)
    seen: list[int] = []
    for hit in results.hits:
        if hit.id not in seen:
            seen.append(hit.id)
    return seen


class ArchiveSearchForm(BaseFilterForm):
    q = forms.CharField(label=_("Tìm trong kho"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Tên, số ký hiệu, nội dung… (có dấu hoặc không dấu)")}))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def filter(self, objects: QuerySet) -> QuerySet:
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        ids = picker_item_ids(self.user, query)
        order = Case(*[When(pk=pk, then=i) for i, pk in enumerate(ids)], output_field=IntegerField())
        return objects.filter(pk__in=ids).order_by(order) if ids else objects.none()


class _PickerMixin:
    def get_object_list(self) -> QuerySet:
        return filter_visible(self.request.user, Item.objects.filter(merged_into__isnull=True))

    def get_filter_form(self) -> ArchiveSearchForm:
        return ArchiveSearchForm(self.request.GET, user=self.request.user)

    def apply_object_list_ordering(self, objects: QuerySet) -> QuerySet:
        return objects.order_by("-date_earliest", "-pk")

    @property
    def columns(self) -> list[Column]:
        return [self.title_column, Column("symbol", label=_("Số, ký hiệu")),
                Column("issuer_name", label=_("Cơ quan ban hành")),
                Column("date_text", label=_("Ngày"), accessor=lambda o: o.date_text or o.date_earliest or "")]


class ItemChooseView(_PickerMixin, ChooseView):
    pass


class ItemChooseResultsView(_PickerMixin, ChooseResultsView):
    pass


class ItemChooserViewSet(ChooserViewSet):
    model = Item
    icon = "doc-full"
    choose_one_text = _("Chọn tài liệu trong kho")
    choose_another_text = _("Chọn tài liệu khác")
    edit_item_text = _("Xem tài liệu")
    choose_view_class = ItemChooseView
    choose_results_view_class = ItemChooseResultsView
    per_page = 20


item_chooser_viewset = ItemChooserViewSet("books_item_chooser", url_prefix="books/item-chooser")
