from django.conf import settings
from django.conf.urls.static import static
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from sulieu import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    # browsers ask for /favicon.ico whatever the page says: the site's icon, not a 404 in every log
    path("favicon.ico", RedirectView.as_view(url=static_url("sulieu/favicon.svg"), permanent=True)),
    path("archive/", include("archive.urls")),
    path("search/", include("search.urls")),
    path("api/v1/", include("search.api_urls")),
    path("api/v1/", include("reading.api_urls")),
    path("", include("interop.urls")),
    path("api/v1/", include("oversight.api_urls")),
    path("api/v1/", include("contests.api_urls")),
    path("contests/", include("contests.urls")),
    path("books/", include("books.urls")),
    path("api/v1/", include("portal.api_urls")),
    path("", include("portal.urls")),
    path("", include("reading.urls")),  # the reading room (its home at /luu-tru/)
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
# Wagtail pages (the portal: its home is the Site root, at /) answer whatever the routes above do not.
urlpatterns += [path("", include(wagtail_urls))]
