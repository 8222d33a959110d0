"""The public JSON API of search (included at /api/v1/)."""

from django.urls import path

from search import views

urlpatterns = [path("search", views.search_api, name="api-search")]
