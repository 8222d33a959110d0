from django.urls import path

from reading import views

app_name = "reading"
urlpatterns = [
    path("luu-tru/", views.home, name="home"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/print/", views.item_print, name="print"),
    path("items/<int:item_id>/related/", views.item_related, name="related"),
    path("items/<int:item_id>/pages/<int:n>/image", views.page_image, name="page-image"),
    path("items/<int:item_id>/thumbnail", views.thumbnail, name="thumbnail"),
    path("items/<int:item_id>/download/<str:kind>", views.download, name="download"),
    path("items/<int:item_id>/cite.json", views.cite_csl, name="cite"),
    path("items/<int:item_id>/manifest.json", views.manifest, name="manifest"),
    path("collections/", views.collections, name="collections"),
    path("collections/children/", views.tree_children, name="tree-root"),
    path("collections/<int:collection_id>/", views.collection_detail, name="collection"),
    path("collections/<int:collection_id>/children/", views.tree_children, name="tree-children"),
    path("timeline/", views.timeline, name="timeline"),
    path("places/", views.places, name="places"),
]
