from django.urls import path

from contests import views

app_name = "contests"
urlpatterns = [
    path("", views.organiser_home, name="organiser"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("<slug:slug>/", views.take, name="take"),
    path("<slug:slug>/leaderboard/", views.leaderboard_page, name="leaderboard"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/export/<str:round_name>/<str:what>.<str:fmt>", views.export_view, name="export"),
]
