"""describe: the document's own number, type, issuer, date, places, title, summary and signer, and its references."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

import vntext
from archive.models import Item, ItemEvent, ItemKind, ItemReference, Stage
from archive.pipeline.base import NEXT, StepResult
from archive.records import event_record, field_fill, first_run, item_save, page_texts, references_later
from vntext.heading import own_ref, signer, title_from_text

DATE_PRECISIONS = {"day", "month", "year", "decade"}


class Describe:
    name = Stage.DESCRIBE.value

    def applies(self, item: Item) -> bool:
        return True

    def run(self, item: Item) -> StepResult:
        text = "\n\n".join(page_texts(item))
        refs = vntext.find_refs(text) if text else []
        own = own_ref(text, refs) if item.kind != ItemKind.WEBPAGE else None
        if own is not None:
            field_fill(item, "symbol", own.symbol)
            field_fill(item, "doc_number", own.number or "")
            field_fill(item, "doc_type_code", own.type_code or "")
            field_fill(item, "doc_type_name", own.type_name or "")
            field_fill(item, "issuer_code", own.issuer_code or "")
            field_fill(item, "issuer_name", own.issuer_name or own.issuer_label or "")
        _date_fill(item, text[:1500], own)
        places: list[dict[str, str]] = []
        seen: set[str] = set()
        for place in vntext.find_places(text[:50000]) if text else []:
            if place.name not in seen:
                seen.add(place.name)
                places.append({"name": place.name, "level": place.level})
        field_fill(item, "places", places[:30])
        title, summary = title_from_text(text)
        if title and (item.kind == ItemKind.DOCUMENT or not item.title or item.title == _default_title(item)):
            field_fill(item, "title", title[:1000])
        field_fill(item, "summary", summary[:2000])
        field_fill(item, "signer", signer(text))
        item_save(item)
        _refs_save(item, refs, own.symbol if own else None)
        event_record(item=item, kind=ItemEvent.Kind.DESCRIBED, data={"symbol": item.symbol, "refs": len(refs)},
                     agent="vntext")
        return NEXT


def _date_fill(item: Item, head: str, own: vntext.DocRef | None) -> None:
    if "date_earliest" in item.locked_fields or item.date_earliest:
        return
    day_spans = [d for d in vntext.find_dates(head) if d.earliest]
    chosen = next((d for d in day_spans if d.precision == "day"), None) or (day_spans[0] if day_spans else None)
    if own is not None and own.date:
        item.date_earliest = item.date_latest = dt.date.fromisoformat(own.date)
        # the date as the document writes it ("ngày 18 tháng 8 năm 2022"), the ISO date if not found
        written = next((d.text for d in day_spans if d.earliest == own.date and d.precision == "day"), own.date)
        item.date_precision, item.date_text = "day", written[:255]
    elif chosen is not None and chosen.earliest:
        item.date_earliest = dt.date.fromisoformat(chosen.earliest)
        item.date_latest = dt.date.fromisoformat(chosen.latest or chosen.earliest)
        item.date_precision = chosen.precision if chosen.precision in DATE_PRECISIONS else "range"
        item.date_text = chosen.text[:255]


def _default_title(item: Item) -> str:
    return os.path.splitext(item.original_name)[0].strip()


def _refs_save(item: Item, refs: Iterable[vntext.DocRef], own_symbol: str | None) -> None:
    """One read of the item's references (none on its first description), then one delete, one insert and one
    update at most. In a batch, a first description's references wait for the batch's end, where their targets
    are looked up and the references waiting for this item's symbol are pointed at it, for the whole batch at
    once (:func:`archive.pipeline.engine.run_chains`)."""
    wanted: dict[str, vntext.DocRef] = {}
    for ref in refs:
        if ref.symbol and ref.symbol != own_symbol and ref.symbol != item.symbol:
            wanted.setdefault(ref.symbol, ref)
    first = first_run(item, Stage.DESCRIBE)
    if first and references_later(item, [ItemReference(source=item, symbol=symbol, **_ref_values(ref, None))
                                          for symbol, ref in wanted.items()]):
        return
    existing = {} if first else {ref.symbol: ref for ref in ItemReference.objects.filter(source=item)}
    stale = [ref.pk for symbol, ref in existing.items() if symbol not in wanted]
    if stale:
        ItemReference.objects.filter(pk__in=stale).delete()
    targets = dict(
        Item.objects.filter(symbol__in=list(wanted), merged_into__isnull=True)
        .exclude(pk=item.pk).order_by("-id").values_list("symbol", "id")) if wanted else {}
    new, changed = [], []
    for symbol, ref in wanted.items():
        values = _ref_values(ref, targets.get(symbol))
        obj = existing.get(symbol)
        if obj is None:
            new.append(ItemReference(source=item, symbol=symbol, **values))
        elif any(getattr(obj, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(obj, key, value)
            changed.append(obj)
    if new:
        ItemReference.objects.bulk_create(new)
    if changed:
        ItemReference.objects.bulk_update(changed, list(REF_FIELDS))
    if item.symbol:
        ItemReference.objects.filter(symbol=item.symbol, target__isnull=True).exclude(source=item).update(target=item)


REF_FIELDS = ("type_code", "type_name", "issuer_code", "date", "target_id")


def _ref_values(ref: vntext.DocRef, target_id: int | None) -> dict[str, object]:
    date = None
    if getattr(ref, "date", None):
        try:
            date = dt.date.fromisoformat(ref.date or "")
        except ValueError:
            date = None
    return dict(zip(REF_FIELDS, (ref.type_code or "", ref.type_name or "", ref.issuer_code or "", date, target_id),
                    strict=True))


STEP = Describe()
