"""The public JSON API of the reading room (included at /api/v1/ beside the search API)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from reading.access import access_reading_item
from reading.services import item_payload


@require_GET
def item_api(request: HttpRequest, item_id: int) -> JsonResponse:
    """``GET /api/v1/items/<id>`` → metadata, page count, file links the asker may use, IIIF manifest, references.

    An item the asker may not see answers 404, as the pages do.
    """
    item = access_reading_item(request.user, item_id)
    return JsonResponse(item_payload(request.user, item, request.build_absolute_uri),
                        json_dumps_params={"ensure_ascii": False})
