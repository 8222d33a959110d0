"""deduplicate: the text's MinHash signature and band keys; look-alike items become duplicate candidates."""

from __future__ import annotations

import json

from django.db import connection
from django.utils.translation import gettext as _

from archive.models import DuplicateCandidate, Item, ItemEvent, Stage, TextBand
from archive.pipeline.base import NEXT, StepResult
from archive.pipeline.neardup import NEAR_THRESHOLD, SCHEME, band_keys, similarities, text_signature
from archive.records import bands_later, batch_of, event_record, item_save, page_texts, rows_insert_many

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
        item.minhash_scheme = SCHEME if signature is not None else None
        item_save(item, ["minhash", "minhash_scheme"])
        found: list[dict[str, float]] = []
        if signature is not None:
            keys = band_keys(signature)  # carry the scheme: only signatures of this scheme are candidates
            # Read before this item's own bands are written.
            others = [(other_id, other_minhash) for other_id, other_minhash in candidates(item, keys) if other_minhash]
            scores = similarities(signature, [other_minhash for _id, other_minhash in others])
            for (other_id, _minhash), score in zip(others, scores, strict=True):
                if score >= NEAR_THRESHOLD:
                    found.append({"item": other_id, "score": score})
            if not bands_later(item, keys, signature):
                TextBand.objects.bulk_create([TextBand(item=item, key=k) for k in keys], ignore_conflicts=True)
            if found:
                # One insert for all pairs; pairs recorded by an earlier run keep their score and decision
                # (the (item, other) unique constraint makes the insert skip them).
                rows_insert_many([DuplicateCandidate(item_id=item.pk, other_id=f["item"], score=f["score"])
                                  for f in found], skip_conflicts=True)
        event_record(item=item, kind=ItemEvent.Kind.DEDUPLICATED, data={"near": found},
                     outcome=ItemEvent.Outcome.WARNING if found else ItemEvent.Outcome.SUCCESS,
                     detail=_("Có %(n)s tài liệu gần trùng") % {"n": len(found)} if found else "",
                     agent="datasketch")
        return NEXT


def candidates(item: Item, keys: list[str]) -> list[tuple[int, list[int] | None]]:
    """The other items sharing most of ``keys`` (at most 50: a corpus of look-alike forms must not go quadratic),
    not merged away, with their signatures: those in the database, and in a batch those of its items done so
    far (their bands are not written yet).

    One statement written out: the ORM built this ``GROUP BY … ORDER BY COUNT(*)`` (and the outer read) anew for
    every document, 3.5 of its 4.5 ms."""
    quote = connection.ops.quote_name
    sql = ("SELECT i.id, i.minhash, c.shared FROM %(item)s i JOIN (SELECT b.item_id, COUNT(*) AS shared "  # noqa: S608
           "FROM %(band)s b WHERE b.%(key)s IN (%(keys)s) AND b.item_id <> %%s GROUP BY b.item_id "
           "ORDER BY shared DESC LIMIT %(limit)d) c ON c.item_id = i.id WHERE i.merged_into_id IS NULL"
           % {"item": quote(Item._meta.db_table), "band": quote(TextBand._meta.db_table), "key": quote("key"),
              "keys": ", ".join(["%s"] * len(keys)), "limit": MAX_COMPARED})
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, item.pk])
        fetched = cursor.fetchall()
    # the signatures stored as JSON text (SQLite) decoded in one call: one json.loads a row cost more
    texts = [minhash for _pk, minhash, _shared in fetched if isinstance(minhash, str)]
    decoded = iter(json.loads("[%s]" % ",".join(texts)) if texts else [])
    rows = [(pk, next(decoded) if isinstance(minhash, str) else minhash, shared) for pk, minhash, shared in fetched]
    batch = batch_of(item)
    if batch is not None and batch.bands:
        shared_in_batch: dict[int, tuple[int, list[int]]] = {}
        for key in keys:
            for other_id, signature in batch.bands.get(key, ()):
                if other_id != item.pk:
                    count, _sig = shared_in_batch.get(other_id, (0, signature))
                    shared_in_batch[other_id] = (count + 1, signature)
        rows.extend((pk, signature, count) for pk, (count, signature) in shared_in_batch.items())
        rows.sort(key=lambda row: -row[2])
        rows = rows[:MAX_COMPARED]
    return [(pk, minhash) for pk, minhash, _shared in rows]


STEP = Deduplicate()
