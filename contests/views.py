from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def organiser_home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
