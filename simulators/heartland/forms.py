"""The sandbox register's forms; each `save()` is the one write its register action makes."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import Q

from .models import (
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxStation,
    SandboxTicket,
    SandboxTicketLine,
)

SALE_MODE = "sale"
RETURN_MODE = "return"


def find_item(account: SandboxAccount, code: str) -> SandboxItem | None:
    """The item whose UPC or item number (public_id, any case) is `code`."""
    code = code.strip()
    if not code:
        return None
    items = account.items.order_by("pk")
    return items.filter(upc=code).first() or items.filter(public_id__iexact=code).first()


def touch(ticket: SandboxTicket) -> None:
    """The ticket's updated_at moves with its lines, and a held station keeps it unsaved."""
    ticket.save(update_fields=["updated_at"])


class NewTicketForm(forms.Form):
    station = forms.ModelChoiceField(queryset=SandboxStation.objects.none(), empty_label=None)

    def __init__(self, *args: object, account: SandboxAccount, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["station"].queryset = SandboxStation.objects.filter(
            location__account=account
        ).select_related("location")

    def save(self) -> SandboxTicket:
        station = self.cleaned_data["station"]
        return SandboxTicket.objects.create(
            account=self.account,
            location=station.location,
            station=station,
            saved=not station.hold_sync,
        )


class ScanForm(forms.Form):
    """A barcode scanner types the code and presses Enter, which submits this form."""

    code = forms.CharField(label="Scan or type a UPC or item #", max_length=40)
    mode = forms.ChoiceField(choices=[(SALE_MODE, "Sale"), (RETURN_MODE, "Return")], required=False)

    def __init__(self, *args: object, ticket: SandboxTicket, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        self.item: SandboxItem | None = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        self.item = find_item(self.ticket.account, code)
        if self.item is None:
            raise forms.ValidationError(f"No item has the code {code}. Nothing was added.")
        return code

    def save(self) -> SandboxTicketLine:
        """A new line of 1, or of -1 in Return mode: a return has a negative qty and a
        positive price (notes §4)."""
        assert self.item is not None
        held = bool(self.ticket.station and self.ticket.station.hold_sync)
        with transaction.atomic():
            line = SandboxTicketLine.objects.create(
                ticket=self.ticket,
                item=self.item,
                qty=Decimal(-1 if self.cleaned_data.get("mode") == RETURN_MODE else 1),
                unit_price=self.item.price,
                original_unit_price=self.item.price,
                saved=not held,
            )
            touch(self.ticket)
        return line


class CustomerForm(forms.Form):
    customer = forms.ModelChoiceField(
        queryset=SandboxCustomer.objects.none(),
        label="Customer",
        empty_label="Choose a customer…",
        error_messages={"required": "Choose a customer first."},
    )

    def __init__(self, *args: object, ticket: SandboxTicket, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        self.fields["customer"].queryset = ticket.account.customers.order_by(
            "last_name", "first_name", "pk"
        )
        self.fields["customer"].initial = ticket.customer_id

    def save(self) -> SandboxTicket:
        self.ticket.customer = self.cleaned_data["customer"]
        self.ticket.save(update_fields=["customer", "updated_at"])
        return self.ticket


class QuantityForm(forms.Form):
    """How many (or how much, for goods sold by weight); a return line keeps its sign."""

    qty = forms.DecimalField(
        label="Qty", min_value=Decimal("0.001"), max_value=999, decimal_places=3
    )

    def __init__(self, *args: object, line: SandboxTicketLine, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["qty"].initial = abs(line.qty).normalize()

    def save(self) -> SandboxTicketLine:
        sign = -1 if self.line.qty < 0 else 1
        self.line.qty = sign * self.cleaned_data["qty"]
        with transaction.atomic():
            self.line.save(update_fields=["qty"])
            touch(self.line.ticket)
        return self.line


class ExtensionForm(forms.ModelForm):
    """Settings → Integrations → UI extension: the URL the POS frames (notes §7)."""

    extension_url = forms.URLField(
        label="POS UI extension URL", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = SandboxAccount
        fields = ["extension_url"]


def unsaved_changes(ticket: SandboxTicket) -> int:
    """How many of the ticket's changes the station still holds (the ticket itself counts)."""
    held_lines = ticket.lines.filter(saved=False).count()
    return held_lines + (0 if ticket.saved else 1)


@transaction.atomic
def sync_station(station: SandboxStation) -> int:
    """Send everything the station holds to Heartland; how many rows became visible."""
    tickets = SandboxTicket.objects.filter(station=station)
    count = tickets.filter(saved=False).update(saved=True)
    count += SandboxTicketLine.objects.filter(Q(ticket__station=station), saved=False).update(
        saved=True
    )
    return count
