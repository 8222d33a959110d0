"""The public JSON API of oversight (included at /api/v1/)."""

from django.urls import path

from oversight import views

urlpatterns = [path("reports/<slug:form>/<str:period>/status", views.status_api, name="api-report-status")]
