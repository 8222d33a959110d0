"""Reading-room routes of the public JSON API (included at /api/v1/)."""

from django.urls import path

from reading import api

urlpatterns = [path("items/<int:item_id>", api.item_api, name="api-item")]
