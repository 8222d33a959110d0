from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve

from portal import views

app_name = "portal"
urlpatterns = [
    path("binh-luan/<int:article_id>/", views.comment_create, name="comment"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    # Wagtail images (article pictures and their renditions) are public by nature; documents are not served here.
    re_path(r"^media/(?P<path>(?:images|original_images)/[^/]+)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
