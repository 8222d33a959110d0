"""deduplicate: the text's MinHash signature and band keys; look-alike items become duplicate candidates."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from archive.models import DuplicateCandidate, Item, ItemEvent, Stage, TextBand
from archive.pipeline.base import NEXT, StepResult
from archive.pipeline.neardup import NEAR_THRESHOLD, band_keys, similarity, text_signature
from archive.records import event_record, item_save, page_texts

MAX_COMPARED = 50


class Deduplicate:
    name = Stage.DEDUPLICATE.value

    def applies(self, item: Item) -> bool:
        return True

    def run(self, item: Item) -> StepResult:
        text = "\n".join(page_texts(item))
        signature = text_signature(text)
        if item.minhash is not None:  # bands are only ever written with a signature
            TextBand.objects.filter(item=item).delete()
        item.minhash = signature
        item_save(item, ["minhash"])
        found: list[dict[str, float]] = []
        if signature is not None:
            keys = band_keys(signature)
            # Most shared bands first, at most 50 compared: a corpus of look-alike forms must not go quadratic.
            # Read with their signatures in one statement (the candidates as a subquery), before this item's
            # own bands are written.
            candidates = (TextBand.objects.filter(key__in=keys).exclude(item=item).values("item_id")
                          .annotate(shared=Count("id")).order_by("-shared")
                          .values_list("item_id", flat=True)[:MAX_COMPARED])
            others = list(Item.objects.filter(pk__in=candidates, merged_into__isnull=True)
                          .values_list("id", "minhash"))
            TextBand.objects.bulk_create([TextBand(item=item, key=k) for k in keys], ignore_conflicts=True)
            for other_id, other_minhash in others:
                if other_minhash:
                    score = similarity(signature, other_minhash)
                    if score >= NEAR_THRESHOLD:
                        found.append({"item": other_id, "score": score})
            if found:
                # One insert for all pairs; pairs recorded by an earlier run keep their score and decision
                # (the (item, other) unique constraint makes the insert skip them).
                DuplicateCandidate.objects.bulk_create(
                    [DuplicateCandidate(item=item, other_id=f["item"], score=f["score"]) for f in found],
                    ignore_conflicts=True)
        event_record(item=item, kind=ItemEvent.Kind.DEDUPLICATED, data={"near": found},
                     outcome=ItemEvent.Outcome.WARNING if found else ItemEvent.Outcome.SUCCESS,
                     detail=_("Có %(n)s tài liệu gần trùng") % {"n": len(found)} if found else "",
                     agent="datasketch")
        return NEXT


STEP = Deduplicate()
