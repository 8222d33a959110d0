"""Taker pages (one page over the JSON API), the public leaderboard, certificates, the organiser dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from contests import exports, ranking, services
from contests.models import Attempt, Contest, Flag
from orgs.policy import can

_CERT_SALT = "sulieu.contests.certificate"


def certificate_code(attempt_id: int) -> str:
    return signing.Signer(salt=_CERT_SALT).sign(str(attempt_id)).replace(":", "-")


def _attempt_for_code(code: str) -> Attempt:
    try:
        value = signing.Signer(salt=_CERT_SALT).unsign(code.replace("-", ":", 1))
    except signing.BadSignature:
        raise Http404 from None
    return get_object_or_404(Attempt.objects.select_related("taker", "round__contest"), pk=int(value),
                             submitted_at__isnull=False)


def take(request: HttpRequest, slug: str) -> HttpResponse:
    contest, rounds = services.contest_with_rounds(slug) if Contest.objects.filter(slug=slug).exists() else (None, [])
    if contest is None:
        raise Http404
    now = timezone.now()
    return render(request, "contests/take.html", {"contest": contest, "rounds": rounds, "now": now,
                                                  "open_round": next((r for r in rounds if r.opens_at <= now
                                                                      < r.closes_at), None)})


def leaderboard_page(request: HttpRequest, slug: str) -> HttpResponse:
    contest = get_object_or_404(Contest, slug=slug)
    _c, rounds = services.contest_with_rounds(slug)
    try:
        round_ = services.round_named(rounds, request.GET.get("round"))
    except services.NotFound:
        raise Http404 from None
    return render(request, "contests/leaderboard.html", {
        "contest": contest, "rounds": rounds, "round": round_,
        "entries": [e.as_dict() for e in ranking.leaderboard(round_, limit=100)]})


def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """The printable certificate; its QR code leads back here, which is the verification."""
    import segno

    attempt = _attempt_for_code(code)
    standing = ranking.taker_standing(attempt.round, attempt.taker_id)
    url = request.build_absolute_uri(reverse("contests:certificate", args=[code]))
    qr = segno.make(url, error="m").svg_inline(scale=4, dark="#1d1d1f")
    return render(request, "contests/certificate.html", {
        "attempt": attempt, "taker": attempt.taker, "round": attempt.round, "contest": attempt.round.contest,
        "standing": standing, "qr_svg": qr, "url": url,
        "best": standing is not None and standing["submitted_at"] == attempt.submitted_at.isoformat(
            timespec="milliseconds")})


def _organiser(request: HttpRequest, contest: Contest | None = None) -> None:
    if not can(request.user, services.MANAGE, contest):
        raise PermissionDenied


@login_required
def organiser_home(request: HttpRequest) -> HttpResponse:
    _organiser(request)
    return render(request, "contests/organiser.html", {"contests": Contest.objects.order_by("-created_at")})


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    contest = get_object_or_404(Contest, slug=slug)
    _organiser(request, contest)
    _c, rounds = services.contest_with_rounds(slug, fresh=True)
    try:
        round_ = services.round_named(rounds, request.GET.get("round"))
    except services.NotFound:
        raise Http404 from None
    context = {"contest": contest, "rounds": rounds, "round": round_, "participation": ranking.participation(round_),
               "top": [e.as_dict() for e in ranking.leaderboard(round_, limit=10)],
               "flags": Flag.objects.filter(taker__contest=contest, cleared=False).select_related("taker")
               .order_by("-created_at")[:50],
               "verified": services.round_verify(round_=round_) if round_.frozen_at else None}
    template = "contests/_participation.html" if request.htmx else "contests/dashboard.html"
    return render(request, template, context)


@login_required
def export_view(request: HttpRequest, slug: str, round_name: str, what: str, fmt: str) -> HttpResponse:
    contest = get_object_or_404(Contest, slug=slug)
    _organiser(request, contest)
    round_ = get_object_or_404(contest.rounds, name=round_name)
    if what not in {"results", "answers"} or fmt not in {"csv", "xlsx"}:
        raise Http404
    data = exports.export(round_, what=what, fmt=fmt)
    kind = "text/csv; charset=utf-8" if fmt == "csv" else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = 'attachment; filename="%s-%s-%s.%s"' % (contest.slug, round_.pk, what, fmt)
    return response
