"""The taker API (JSON, ``Authorization: Bearer <token>``); the taker pages use the same endpoints.

Views are glue: parse → token → rate limit → service → JSON. Errors are ``{"error": "…"}`` with 400/401/404/
409/429, and every answer carries ``server_time`` so the client's clock follows the server's.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from contests import ranking, services, tokens
from contests.models import Attempt, Taker
from contests.ratelimit import first_time, limit, over_limit
from contests.views import certificate_code
from orgs.access import can_view


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    data.setdefault("server_time", timezone.now().isoformat(timespec="milliseconds"))
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "-"


def _body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise services.Invalid("the body is not JSON") from None
    if not isinstance(data, dict):
        raise services.Invalid("the body must be a JSON object")
    return data


def endpoint(*methods: str, auth: bool = True) -> Callable:
    """JSON endpoint: method check, per-IP and per-token rate limits, token → ``request.taker_id``,
    ContestError → JSON error."""

    def wrap(view: Callable) -> Callable:
        @csrf_exempt
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
            if request.method not in methods:
                return _json({"error": "method not allowed"}, 405)
            ip = _client_ip(request)
            if over_limit("ip", ip, limit("SULIEU_CONTEST_RATE_IP", 6000)):
                return _json({"error": "too many requests from this address"}, 429)
            request.taker_id = None
            header = request.headers.get("Authorization", "")
            if header.startswith("Bearer "):
                request.taker_id = tokens.verify(header[7:])
                if request.taker_id is None:
                    return _json({"error": "invalid token"}, 401)
            if auth and request.taker_id is None:
                return _json({"error": "Authorization: Bearer <token> required"}, 401)
            if request.taker_id is not None:
                count = over_limit("taker", str(request.taker_id), limit("SULIEU_CONTEST_RATE_TOKEN", 240))
                if count:
                    if first_time("flood:%d" % request.taker_id):
                        services.flag_flood(taker_id=request.taker_id,
                                            detail="%d requests in a minute from %s" % (count, ip))
                    return _json({"error": "too many requests"}, 429)
            try:
                return view(request, *args, **kwargs)
            except services.ContestError as exc:
                return _json({"error": exc.message, **exc.payload}, exc.status)

        return inner

    return wrap


@endpoint("GET", auth=False)
def contest_info(request: HttpRequest, slug: str) -> JsonResponse:
    contest, rounds = services.contest_with_rounds(slug)
    now = timezone.now()
    return _json({
        "slug": contest.slug, "title": contest.title, "questions_per_attempt": contest.questions_per_attempt,
        "time_limit_s": contest.time_limit_s, "attempts_per_round": contest.attempts_per_round,
        "prediction_question": contest.prediction_question,
        "rounds": [{"name": r.name, "opens_at": r.opens_at.isoformat(), "closes_at": r.closes_at.isoformat(),
                    "open": r.opens_at <= now < r.closes_at, "questions_sha256": r.questions_hash or None}
                   for r in rounds],
    })


@endpoint("POST", auth=False)
def register(request: HttpRequest, slug: str) -> JsonResponse:
    contest, _rounds = services.contest_with_rounds(slug)
    data = _body(request)
    taker, created = services.taker_register(contest=contest, name=data.get("name", ""),
                                             unit_code=data.get("unit_code", ""), birth_year=data.get("birth_year"),
                                             contact=data.get("contact", ""), ip=_client_ip(request))
    return _json({"taker_id": taker.pk, "token": tokens.token_for(taker.pk), "name": taker.name,
                  "unit_code": taker.unit_code}, 201 if created else 200)


def _attempt_payload(attempt: Attempt, *, answers: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"attempt_id": attempt.pk, "round": attempt.round.name, "number": attempt.number,
                            "started_at": attempt.started_at.isoformat(timespec="milliseconds"),
                            "deadline": attempt.deadline.isoformat(timespec="milliseconds"),
                            "questions": services.attempt_questions(attempt)}
    if answers:
        data["answers"] = {str(vid): chosen for vid, chosen in
                           attempt.answers.filter(option_ids__isnull=False).values_list("version_id", "option_ids")}
        data["prediction"] = attempt.prediction
    return data


@endpoint("POST")
def start(request: HttpRequest, slug: str) -> JsonResponse:
    attempt, created = services.attempt_start(contest_slug=slug, taker_id=request.taker_id)
    return _json(_attempt_payload(attempt, answers=not created), 201 if created else 200)


@endpoint("GET")
def attempt_detail(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """The attempt as the taker left it; once submitted, the result; once the round has closed, the correct
    options and the archive item that proves each answer."""
    attempt = Attempt.objects.select_related("round__contest").filter(pk=attempt_id,
                                                                      taker_id=request.taker_id).first()
    if attempt is None:
        raise services.NotFound("no such attempt")
    now = timezone.now()
    if attempt.submitted_at is None and attempt.deadline <= now:
        services.finalise_attempt(attempt.pk)
        attempt.refresh_from_db()
    data = _attempt_payload(attempt, answers=True)
    if attempt.submitted_at is not None:
        data["result"] = services.result_of(attempt).as_dict()
        data["certificate_url"] = reverse("contests:certificate", args=[certificate_code(attempt.pk)])
    if attempt.round.closes_at <= now:
        data["review"] = _review(attempt)
    return _json(data)


def _review(attempt: Attempt) -> list[dict[str, Any]]:
    from contests.models import QuestionVersion

    versions = {v.pk: v for v in QuestionVersion.objects.filter(pk__in=[int(k) for k in attempt.layout])
                .select_related("source_item__org_unit")}
    out = []
    for vid, chosen, is_correct in attempt.answers.order_by("position").values_list("version_id", "option_ids",
                                                                                    "is_correct"):
        v = versions[vid]
        source = None
        if v.source_item is not None and can_view(None, v.source_item):
            source = {"item_id": v.source_item_id, "title": v.source_item.title, "page": v.source_page,
                      "url": "/items/%d/%s" % (v.source_item_id, "?page=%d" % v.source_page if v.source_page else "")}
        out.append({"id": vid, "chosen": chosen or [], "correct_options": v.correct_ids, "is_correct": bool(is_correct),
                    "explanation": v.explanation, "source": source})
    return out


@endpoint("PUT")
def save_answer(request: HttpRequest, attempt_id: int, question_id: int) -> JsonResponse:
    data = _body(request)
    services.answer_save(attempt_id=attempt_id, taker_id=request.taker_id, version_id=question_id,
                         option_ids=data.get("option_ids"))
    return _json({"saved": True})


@endpoint("PUT")
def save_prediction(request: HttpRequest, attempt_id: int) -> JsonResponse:
    data = _body(request)
    services.prediction_save(attempt_id=attempt_id, taker_id=request.taker_id, prediction=data.get("prediction"))
    return _json({"saved": True})


@endpoint("POST")
def submit(request: HttpRequest, attempt_id: int) -> JsonResponse:
    data = _body(request)
    result = services.attempt_submit(attempt_id=attempt_id, taker_id=request.taker_id,
                                     prediction=data.get("prediction"))
    return _json({**result.as_dict(),
                  "certificate_url": reverse("contests:certificate", args=[certificate_code(attempt_id)])})


def _limit(request: HttpRequest, default: int = 100) -> int:
    raw = request.GET.get("limit", "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise services.Invalid("limit must be a number from 1 to 1000")
    return int(raw)


@endpoint("GET", auth=False)
def leaderboard(request: HttpRequest, slug: str) -> JsonResponse:
    _contest, rounds = services.contest_with_rounds(slug)
    round_ = services.round_named(rounds, request.GET.get("round"))
    data: dict[str, Any] = {"round": round_.name, "actual_value": round_.actual_value,
                            "results": [e.as_dict() for e in ranking.leaderboard(round_, limit=_limit(request))]}
    if request.taker_id is not None and Taker.objects.filter(pk=request.taker_id, contest_id=round_.contest_id).exists():
        data["me"] = ranking.taker_standing(round_, request.taker_id)
    return _json(data)


@endpoint("GET", auth=False)
def participation(request: HttpRequest, slug: str) -> JsonResponse:
    _contest, rounds = services.contest_with_rounds(slug)
    round_ = services.round_named(rounds, request.GET.get("round"))
    return _json(ranking.participation(round_))
