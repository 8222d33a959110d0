from django.urls import path

from portal import views

urlpatterns = [
    path("articles/<int:article_id>", views.api_article, name="portal-api-article"),
    path("articles", views.api_articles, name="portal-api-articles"),
]
