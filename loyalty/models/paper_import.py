"""Paper-card conversion: an uploaded batch of paper cards and its rows (seed 002, S43)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class PaperImportState(models.TextChoices):
    PREVIEWED = "previewed", "Previewed"
    IMPORTED = "imported", "Imported"
    UNDONE = "undone", "Undone"


class PaperImport(models.Model):
    """One uploaded CSV of paper cards: previewed, imported in one transaction, or undone."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    # The file as uploaded (decoded): the import re-reads it, so nothing unseen slips in.
    content = models.TextField()
    content_sha256 = models.CharField(max_length=64)
    create_owners = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=PaperImportState.choices, default=PaperImportState.PREVIEWED
    )
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_rows = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)
    # The touched cards as they were before and right after the import, and the owners it
    # created: what Undo restores, and what it checks nothing changed since.
    undo_snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same file cannot stand imported twice: the punches would count double.
            models.UniqueConstraint(
                fields=["retailer", "content_sha256"],
                condition=Q(state="imported"),
                name="paper_file_imported_once",
            )
        ]

    def __str__(self) -> str:
        return f"Paper card import {self.pk} ({self.filename})"


class PaperImportRow(models.Model):
    """One line of an imported file: what it created, or why it was skipped."""

    batch = models.ForeignKey(PaperImport, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()  # the line in the file, the header being line 1
    owner = models.ForeignKey(
        "loyalty.PetOwner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True)
    owner_created = models.BooleanField(default=False)
    program_card = models.ForeignKey(
        "loyalty.ProgramCard", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    punches = models.PositiveSmallIntegerField(default=0)
    original_dates = models.JSONField(default=list, blank=True)  # ISO dates, as on the paper
    skipped_reason = models.CharField(max_length=300, blank=True)  # blank: imported

    class Meta:
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="one_row_per_line")
        ]

    def __str__(self) -> str:
        return f"Row {self.row_number} of import {self.batch_id}"
