"""URLs of the pet owner's card page (no login) and the staff's actions on its link."""

from django.urls import path

from loyalty.views import card_page as views

urlpatterns = [
    path("card/<str:token>/", views.card_page, name="card_page"),
    path("owners/<int:owner_id>/card-link/new/", views.rotate_link, name="card_link_rotate"),
    path("owners/<int:owner_id>/card-link/off/", views.revoke_link, name="card_link_revoke"),
    path("settings/card-page/", views.store_logo, name="store_logo"),
]
