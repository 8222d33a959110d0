from django.urls import path

from interop import views

app_name = "interop"
urlpatterns = [
    path("oai", views.oai_pmh, name="oai"),
    path("oai/schemas/<str:name>", views.schema, name="schema"),
]
