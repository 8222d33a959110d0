"""OAI-PMH endpoint (GET and POST, as the protocol allows) and the schema of the tt05 format."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from interop import oai

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai_pmh(request: HttpRequest) -> HttpResponse:
    params = oai.request_params(request.POST if request.method == "POST" else request.GET)
    body = oai.respond(request.build_absolute_uri(request.path), params)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def schema(request: HttpRequest, name: str) -> FileResponse:
    if name not in {"tt05.xsd"}:
        raise Http404
    return FileResponse(open(SCHEMAS / name, "rb"), content_type="application/xml")  # noqa: SIM115
