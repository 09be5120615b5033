"""URLs of paper-card conversion (admins) and Edit Card Notes (everyone of the store)."""

from django.urls import path

from loyalty.views import card_notes, paper_import

urlpatterns = [
    path("paper-cards/", paper_import.paper_import, name="paper_import"),
    path(
        "paper-cards/template.csv",
        paper_import.paper_import_template,
        name="paper_import_template",
    ),
    path("paper-cards/<int:batch_id>/", paper_import.paper_import_batch, name="paper_import_batch"),
    path(
        "paper-cards/<int:batch_id>/import/",
        paper_import.paper_import_run,
        name="paper_import_run",
    ),
    path(
        "paper-cards/<int:batch_id>/undo/", paper_import.paper_import_undo, name="paper_import_undo"
    ),
    path("cards/<int:card_id>/notes/", card_notes.card_notes, name="card_notes"),
]
