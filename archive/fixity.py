"""Fixity: re-hash every stored file, report mismatches, missing files and orphans, record events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from archive import storage
from archive.models import Blob, ItemEvent, ItemFile
from archive.records import event_record


@dataclass
class FixityReport:
    checked: int = 0
    ok: int = 0
    mismatched: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # objects in the store with no database row

    @property
    def problems(self) -> int:
        return len(self.mismatched) + len(self.missing)

    def summary(self) -> dict[str, Any]:
        return {"checked": self.checked, "ok": self.ok, "mismatched": self.mismatched, "missing": self.missing,
                "orphans": self.orphans, "problems": self.problems}


def fixity_check(*, by: Any = None) -> FixityReport:
    """Check every blob; one ``fixity_checked`` event per item (failure when one of its files is bad)."""
    if by is not None:
        from orgs.policy import ensure_can

        ensure_can(by, "archive.fixity")
    report = FixityReport()
    bad_blobs: dict[int, str] = {}
    known: set[str] = set()
    for blob in Blob.objects.order_by("pk").iterator(chunk_size=500):
        known.add(blob.sha256)
        report.checked += 1
        path = storage.object_path(blob.sha256)
        if not path.exists():
            bad_blobs[blob.pk] = "missing"
            report.missing.append({"sha256": blob.sha256, "path": str(path)})
            ok = False
        else:
            actual = storage.hash_file(path)
            ok = actual == blob.sha256
            if not ok:
                bad_blobs[blob.pk] = "mismatch"
                report.mismatched.append({"sha256": blob.sha256, "actual": actual, "path": str(path)})
            else:
                report.ok += 1
        Blob.objects.filter(pk=blob.pk).update(last_fixity_at=timezone.now(), fixity_ok=ok)
    for sha, _path in storage.iter_objects():
        if sha not in known:
            report.orphans.append(sha)
    per_item: dict[int, list[dict[str, Any]]] = {}
    for item_id, blob_id, role, sha in ItemFile.objects.values_list("item_id", "blob_id", "role", "blob__sha256"):
        per_item.setdefault(item_id, [])
        if blob_id in bad_blobs:
            per_item[item_id].append({"role": role, "sha256": sha, "problem": bad_blobs[blob_id]})
    from archive.models import Item

    with transaction.atomic():
        for item in Item.objects.filter(pk__in=list(per_item)).only("pk"):
            problems = per_item[item.pk]
            event_record(item=item, kind=ItemEvent.Kind.FIXITY_CHECKED, by=by,
                         outcome=ItemEvent.Outcome.FAILURE if problems else ItemEvent.Outcome.SUCCESS,
                         data={"problems": problems}, agent="sha256")
    for entry in report.mismatched + report.missing:
        entry["items"] = sorted({i for i, probs in per_item.items() for p in probs if p["sha256"] == entry["sha256"]})
    return report
