from django.urls import path

from oversight import views

app_name = "oversight_admin"
urlpatterns = [
    path("", views.forms_index, name="index"),
    path("<slug:slug>/<str:key>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/<str:key>/summary.docx", views.summary_download, name="summary"),
    path("<slug:slug>/<str:key>/remind/", views.remind, name="remind"),
    path("<slug:slug>/<str:key>/unit/<int:unit_id>/", views.report_page, name="report"),
]
