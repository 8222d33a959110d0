"""Back-office views (Wagtail admin): upload with per-file progress, page text editor, duplicates."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import safepaths
from archive.models import DuplicateCandidate, ItemPage
from archive.selectors import access_item, item_pages
from archive.services import IngestOptions, duplicate_decide, item_ingest_path, page_text_correct
from orgs.access import AccessLevel, filter_visible
from orgs.policy import ensure_can


def upload(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "archive.ingest")
    return render(request, "archive/admin/upload.html", {"access_levels": AccessLevel.choices})


@require_POST
def upload_file(request: HttpRequest) -> JsonResponse:
    """One file per request (the page sends them one by one and shows each one's progress)."""
    ensure_can(request.user, "archive.ingest")
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": _("Không có tệp.")}, status=400)
    access = request.POST.get("access") or AccessLevel.INTERNAL
    if access not in AccessLevel.values:
        return JsonResponse({"error": _("Mức độ tiếp cận không hợp lệ.")}, status=400)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="sulieu-upload-") as tmp:
        # The same rule as every import (archive.safepaths): a plain name, a regular file inside the root.
        target = Path(tmp) / safepaths.upload_name(upload.name)
        with open(target, "xb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        result = item_ingest_path(path=target, root=Path(tmp), options=IngestOptions(by=request.user, access=access,
                                                                                     channel="upload"))
    return JsonResponse({"name": upload.name, "outcome": result.outcome, "error": result.error,
                         "id": result.item.pk if result.item else None})


def page_edit(request: HttpRequest, item_id: int, n: int) -> HttpResponse:
    item = access_item(request.user, item_id)
    page = get_object_or_404(ItemPage, item=item, n=n)
    if request.method == "POST":
        page_text_correct(page=page, by=request.user, text=request.POST.get("text", ""))
        messages.success(request, _("Đã lưu bản hiệu đính trang %(n)s (bản OCR gốc vẫn được giữ).") % {"n": n})
        return redirect("archive_admin:page_edit", item_id=item.pk, n=n)
    return render(request, "archive/admin/page_edit.html", {
        "item": item, "page": page, "pages": item_pages(item), "versions": page.versions.select_related("by")})


def duplicates(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "archive.merge")
    candidates = filter_visible(request.user, DuplicateCandidate.objects.filter(decision="open")
                                .select_related("item", "other"), access_field="item__access",
                                unit_field="item__org_unit")
    return render(request, "archive/admin/duplicates.html", {"candidates": candidates[:200]})


@require_POST
def duplicate_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(DuplicateCandidate.objects.select_related("item", "other"), pk=pk)
    access_item(request.user, candidate.item_id)
    duplicate_decide(candidate=candidate, by=request.user, decision=request.POST.get("decision", ""))
    return redirect("archive_admin:duplicates")
