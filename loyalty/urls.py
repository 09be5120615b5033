"""URLs of the retailer-facing screens."""

from django.urls import path

from .views import owners, settings

urlpatterns = [
    path("", owners.home, name="home"),
    path("owners/", owners.owner_search, name="owner_search"),
    path("owners/<int:owner_id>/", owners.owner_detail, name="owner_detail"),
    path("cards/<int:card_id>/details/", owners.card_details, name="card_details"),
    path("settings/points/", settings.points_settings, name="points_settings"),
]
