from django.urls import path

from books import views

app_name = "books"
urlpatterns = [
    path("", views.book_list, name="list"),
    path("chronology/<int:pk>/", views.chronology_detail, name="chronology"),
    path("packs/<slug:slug>/", views.pack_detail, name="pack"),
    path("packs/<slug:slug>/<str:fmt>/", views.pack_download, name="pack-download"),
    path("<slug:slug>/", views.book_detail, name="book"),
    path("<slug:slug>/index/", views.book_index, name="index"),
    path("<slug:slug>/csl.json", views.book_csl, name="csl"),
    path("<slug:slug>/<slug:chapter>/", views.chapter_detail, name="chapter"),
]
