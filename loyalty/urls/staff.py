"""URLs of Users and locations, loyalty points settings, pet owner administration."""

from django.urls import path

from loyalty.views import owner_admin, settings, staff

urlpatterns = [
    path("users/", staff.users, name="users"),
    path("users/new/", staff.user_create, name="user_create"),
    path("users/<int:user_id>/password/", staff.user_password, name="user_password"),
    path("users/<int:user_id>/active/", staff.user_toggle, name="user_toggle"),
    path("locations/", staff.locations, name="locations"),
    path("locations/new/", staff.location_create, name="location_create"),
    path("locations/<int:location_id>/edit/", staff.location_edit, name="location_edit"),
    path("settings/points/rewards/new/", settings.point_reward_create, name="point_reward_create"),
    path(
        "settings/points/rewards/<int:reward_id>/edit/",
        settings.point_reward_edit,
        name="point_reward_edit",
    ),
    path("owners/<int:owner_id>/edit/", owner_admin.owner_edit, name="owner_edit"),
    path("owners/<int:owner_id>/merge/", owner_admin.owner_merge, name="owner_merge"),
    path("owners/<int:owner_id>/history/", owner_admin.owner_history, name="owner_history"),
    path(
        "owners/<int:owner_id>/history/rewards/<int:redemption_id>/<slug:action>/",
        owner_admin.history_correct,
        name="history_correct",
    ),
]
