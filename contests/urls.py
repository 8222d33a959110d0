from django.urls import path

from contests import views

app_name = "contests"
urlpatterns = [
    path("", views.organiser_home, name="organiser"),
]
