"""URLs of My Custom Programs and their checkout actions (pre-paid visits, cash back)."""

from django.urls import path

from loyalty.views import custom_programs as views

urlpatterns = [
    path("custom-programs/", views.program_list, name="custom_programs"),
    path("custom-programs/new/<slug:kind>/", views.program_create, name="custom_program_create"),
    path("custom-programs/<int:program_id>/edit/", views.program_edit, name="custom_program_edit"),
    path(
        "custom-programs/<int:program_id>/active/",
        views.program_toggle,
        name="custom_program_toggle",
    ),
    path("custom-programs/preview/", views.program_preview, name="custom_program_preview"),
]
