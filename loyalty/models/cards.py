"""Cards, their punches (purchases) and the visits that made them (SPEC §3)."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone

from loyalty.contracts.registry import pos_system_choices
from loyalty.errors import DomainError
from loyalty.rules.visits import MULTI_PURCHASE_REASONS

if TYPE_CHECKING:
    from loyalty.models.owners import PetOwner


class CardStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"
    REDEEMED = "redeemed", "Redeemed"
    # Card windows: not completed within the program card's window; punches kept, never redeemed.
    EXPIRED = "expired", "Expired"


def card_number(pk: int) -> str:
    """The card id the cashier, the owner and the POS see: "C0000042"."""
    return f"C{pk:07d}"


class Card(models.Model):
    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey("loyalty.PetOwner", on_delete=models.CASCADE, related_name="cards")
    program_card = models.ForeignKey(
        "loyalty.ProgramCard", on_delete=models.PROTECT, related_name="owner_cards"
    )
    status = models.CharField(max_length=10, choices=CardStatus.choices, default=CardStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Edit Card Notes: e.g. a paper card's original dates, which are never back-dated punches.
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            # One open card per owner and program card; a complete card may sit beside it.
            models.UniqueConstraint(
                fields=["owner", "program_card"],
                condition=Q(status="open"),
                name="one_open_card_per_program_card",
            )
        ]

    def __str__(self) -> str:
        return f"Card {self.card_number}"

    @property
    def card_number(self) -> str:
        return card_number(self.pk)


class VisitState(models.TextChoices):
    OPEN = "open", "Open"
    CHECKED_OUT = "checked_out", "Checked out"
    FINISHED = "finished", "Finished"
    UNDONE = "undone", "Undone"


class Visit(models.Model):
    """One click of the POS button, one API sale, or one manual session at the counter."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        "loyalty.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pos_system = models.CharField(max_length=20, choices=pos_system_choices, blank=True)
    pos_sale_id = models.CharField(max_length=100, blank=True)
    # What the cashier calls the sale (the receipt number) when the POS's id is a UUID.
    pos_sale_number = models.CharField(max_length=40, blank=True)
    owner = models.ForeignKey(
        "loyalty.PetOwner", on_delete=models.CASCADE, null=True, blank=True, related_name="visits"
    )
    cashier = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=15, choices=VisitState.choices, default=VisitState.OPEN)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # The POS customer on the sale: Incorrect Customer removes exactly this link.
    pos_customer_id = models.CharField(max_length=100, blank=True)
    # Where Finished sends the cashier; set by the integration, which validated its host.
    return_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["retailer", "pos_system", "pos_sale_id"])]

    def __str__(self) -> str:
        return f"Visit {self.pk} (sale {self.pos_sale_id or '-'})"

    @property
    def customer(self) -> "PetOwner":
        """The visit's pet owner, for the steps that only run once one is on the sale."""
        if self.owner is None:
            raise DomainError("Choose the pet owner for this sale first.")
        return self.owner


class LineOutcome(models.TextChoices):
    PENDING = "pending", "Not processed yet"
    PUNCHED = "punched", "Card punched"
    UNKNOWN = "unknown", "Unknown Item"
    POSSIBLE_EXISTING = "possible_existing", "Possible Existing Transaction"
    RETURN_PENDING = "return_pending", "Return (not removed yet)"
    RETURNED = "returned", "Removed From Astro FBC"
    REOPEN_REQUESTED = "reopen_requested", "Reopen requested"
    IGNORED = "ignored", "Ignored"


class VisitLine(models.Model):
    """One sale line as Astro saw it, and what became of it."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="lines")
    pos_system = models.CharField(max_length=20, choices=pos_system_choices, blank=True)
    pos_sale_id = models.CharField(max_length=100, blank=True)
    # Blank for a line the cashier added by hand.
    pos_line_id = models.CharField(max_length=100, blank=True)
    codes = models.JSONField(default=list)  # every code the POS gave: UPC, EAN, SKUs
    description = models.CharField(max_length=300, blank=True)
    quantity = models.IntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    item = models.ForeignKey(
        "loyalty.Item", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(
        max_length=20, choices=LineOutcome.choices, default=LineOutcome.PENDING
    )
    reason = models.CharField(max_length=300, blank=True)
    # The card the line punched, or would punch once the store enrolls (the enroll prompt).
    program_card = models.ForeignKey(
        "loyalty.ProgramCard", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Null on the first import of a POS line; later clicks point at it (SPEC §4 step 5).
    first_import = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="repeats"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["retailer", "pos_system", "pos_sale_id", "pos_line_id"],
                condition=Q(first_import__isnull=True) & ~Q(pos_line_id=""),
                name="pos_line_imported_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.description or ', '.join(self.codes)} x{self.quantity}"


class PurchaseState(models.TextChoices):
    ACTIVE = "active", "Active"
    REMOVED = "removed", "Removed"
    RETURNED = "returned", "Returned"
    REOPEN_REQUESTED = "reopen_requested", "Returned after redemption (reopen requested)"


# Purchases that count as punches on their card.
COUNTED_STATES = (PurchaseState.ACTIVE, PurchaseState.REOPEN_REQUESTED)


class Purchase(models.Model):
    """One punch: a line of quantity 3 makes three rows (DESIGN.md: counts stay trivial)."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="purchases")
    item = models.ForeignKey(
        "loyalty.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    visit_line = models.ForeignKey(
        VisitLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="purchases"
    )
    location = models.ForeignKey(
        "loyalty.Location", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cashier = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purchased_at = models.DateTimeField(default=timezone.now)
    multi_purchase_reason = models.CharField(
        max_length=20, choices=MULTI_PURCHASE_REASONS, blank=True
    )
    multi_purchase_note = models.CharField(max_length=200, blank=True)
    exception_reason = models.CharField(max_length=200, blank=True)
    state = models.CharField(
        max_length=20, choices=PurchaseState.choices, default=PurchaseState.ACTIVE
    )
    # Set on a punch converted from a paper card: its provenance is that audited import row.
    paper_import_row = models.ForeignKey(
        "loyalty.PaperImportRow",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchases",
    )

    class Meta:
        ordering = ["purchased_at", "id"]
        indexes = [
            models.Index(fields=["card", "state"]),
            # The retailer's reports read purchases by date range.
            models.Index(fields=["retailer", "purchased_at"]),
        ]

    def __str__(self) -> str:
        return f"Punch on {self.card} ({self.get_state_display()})"
