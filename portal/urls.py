from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("binh-luan/<int:article_id>/", views.comment_create, name="comment"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
