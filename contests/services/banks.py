"""Question banks: import (new questions, new versions of changed ones) and review."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from archive.models import Item
from contests.importers import Parsed, QuestionRow
from contests.models import (
    Bank,
    Question,
    QuestionVersion,
    ReviewStatus,
)
from contests.services.common import MANAGE, Invalid
from core.audit import audit
from orgs.models import OrgUnit
from orgs.policy import ensure_can


@dataclass
class ImportReport:
    bank: str
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"bank": self.bank, "imported": self.created + self.new_versions, "created": self.created,
                "new_versions": self.new_versions, "unchanged": self.unchanged, "failed": len(self.errors),
                "errors": self.errors}


def _question_key(row: QuestionRow) -> str:
    if row.key:
        return row.key[:64]
    folded = " ".join(row.text.lower().split())
    return "q-" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]  # noqa: S324 (an id, not security)


def bank_get_or_create(*, slug: str, by: Any, title: str = "", org_unit: OrgUnit | None = None) -> Bank:
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug or ""):
        raise Invalid("bank slug %r: use letters, digits, - and _" % slug)
    if by is not None:
        ensure_can(by, MANAGE)
    bank, created = Bank.objects.get_or_create(slug=slug, defaults={"title": title or slug, "org_unit": org_unit})
    if created:
        audit(bank, "contests.bank_create", by=by, data={"slug": slug})
    return bank


def bank_import(*, bank_slug: str, parsed: Parsed, by: Any, status: str = ReviewStatus.APPROVED,
                source_name: str = "") -> ImportReport:
    """Add the parsed questions to a bank (created if missing): new questions, or a new version of a
    question whose wording changed; unchanged questions are left as they are, so re-importing is harmless.
    Rows whose source item does not exist are reported with their line and skipped."""
    if status not in ReviewStatus.values:
        raise Invalid("unknown review status %r" % status)
    bank = bank_get_or_create(slug=bank_slug, by=by)
    report = ImportReport(bank=bank.slug)
    report.errors = [{"line": e.line, "error": e.error} for e in parsed.errors]
    item_ids = {r.source_item for r in parsed.rows if r.source_item}
    existing_items = set(Item.objects.filter(pk__in=item_ids).values_list("pk", flat=True))
    seen: dict[str, int] = {}
    with transaction.atomic():
        for row in parsed.rows:
            if row.source_item and row.source_item not in existing_items:
                report.errors.append({"line": row.line, "error": "source item %d does not exist" % row.source_item})
                continue
            key = _question_key(row)
            if key in seen:
                report.errors.append({"line": row.line, "error": "same question as line %d" % seen[key]})
                continue
            seen[key] = row.line
            multiple = row.multiple if row.multiple is not None else sum(o["correct"] for o in row.options) > 1
            content = {"text": row.text, "options": row.options, "multiple": multiple,
                       "source_item_id": row.source_item, "source_page": row.source_page,
                       "explanation": row.explanation}
            question, created = Question.objects.get_or_create(bank=bank, key=key,
                                                               defaults={"topic": row.topic, "period": row.period})
            last = question.versions.order_by("-number").first()
            if last is not None and all(getattr(last, k) == v for k, v in content.items()):
                report.unchanged += 1
                continue
            version = QuestionVersion.objects.create(question=question, number=(last.number + 1) if last else 1,
                                                     status=status, **content)
            question.topic, question.period = row.topic or question.topic, row.period or question.period
            if status == ReviewStatus.APPROVED:
                question.current = version
            question.save()
            if created:
                report.created += 1
            else:
                report.new_versions += 1
        audit(bank, "contests.bank_import", by=by,
              data={"file": source_name, **{k: v for k, v in report.as_dict().items() if k != "errors"}})
    return report


def version_review(*, version: QuestionVersion, by: Any, status: str) -> QuestionVersion:
    """Set the review status of a version; an approved version becomes the one new rounds draw."""
    if by is not None:
        ensure_can(by, MANAGE)
    if status not in ReviewStatus.values:
        raise Invalid("unknown review status %r" % status)
    with transaction.atomic():
        old = version.status
        version.status = status
        version.reviewed_by = by if getattr(by, "is_authenticated", False) else None
        version.save(update_fields=["status", "reviewed_by"])
        question = version.question
        if status == ReviewStatus.APPROVED:
            question.current = version
        elif question.current_id == version.pk:
            question.current = None
        question.save(update_fields=["current"])
        audit(version, "contests.version_review", by=by, changes={"status": [old, status]})
    return version
