"""The sandbox register's forms; each `save()` is the one write its register action makes."""

from __future__ import annotations

import re

from django import forms
from django.db import transaction

from .models import (
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxSale,
    SandboxSaleLine,
    SandboxShop,
)

SALE_MODE = "sale"
REFUND_MODE = "refund"
# shapes.item_json renders systemSku as "2100" + the item id in 8 digits: the label barcode.
_SYSTEM_SKU = re.compile(r"^2100(\d{8})$")


def find_item(account: SandboxAccount, code: str) -> SandboxItem | None:
    """The account's item whose UPC, EAN, custom SKU or system SKU is `code`.

    R-Series' itemCode query matches UPC or EAN (reference §2.4); the register also rings up
    custom SKUs (the store's own items have no barcode) and the system SKU on shelf labels.
    """
    code = code.strip()
    if not code:
        return None
    items = account.items.order_by("pk")
    found = (
        items.filter(upc=code).first()
        or items.filter(ean=code).first()
        or items.filter(custom_sku__iexact=code).first()
    )
    system_sku = _SYSTEM_SKU.match(code)
    if found is None and system_sku:
        found = items.filter(pk=int(system_sku.group(1))).first()
    return found


def earlier_purchase(sale: SandboxSale, item: SandboxItem) -> SandboxSaleLine | None:
    """The customer's most recent completed purchase line of `item` on another sale."""
    if sale.customer_id is None:
        return None
    return (
        SandboxSaleLine.objects.filter(
            sale__customer_id=sale.customer_id,
            sale__completed=True,
            sale__voided=False,
            item=item,
            unit_quantity__gt=0,
        )
        .exclude(sale=sale)
        .order_by("-sale__created_at", "-pk")
        .first()
    )


class NewSaleForm(forms.Form):
    shop = forms.ChoiceField(label="Shop")

    def __init__(self, *args: object, account: SandboxAccount, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        shops = [
            (shop.shop_id, f"{shop.name} (shop {shop.shop_id})") for shop in account.shops.all()
        ]
        # An account set up without shops still has R-Series' default shop 1.
        self.fields["shop"].choices = shops or [("1", "Shop 1")]

    def save(self) -> SandboxSale:
        return SandboxSale.objects.create(account=self.account, shop_id=self.cleaned_data["shop"])


class ScanForm(forms.Form):
    """A barcode scanner types the code and presses Enter, which submits this form."""

    code = forms.CharField(label="Scan or type a UPC", max_length=40)
    mode = forms.ChoiceField(choices=[(SALE_MODE, "Sale"), (REFUND_MODE, "Refund")], required=False)

    def __init__(self, *args: object, sale: SandboxSale, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.sale = sale
        self.item: SandboxItem | None = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        self.item = find_item(self.sale.account, code)
        if self.item is None:
            raise forms.ValidationError(f"No item has the code {code}. Nothing was added.")
        return code

    @property
    def is_refund(self) -> bool:
        return self.cleaned_data.get("mode") == REFUND_MODE

    def save(self) -> SandboxSaleLine:
        """Lightspeed adds a new line for every scan, even of an item already on the sale."""
        assert self.item is not None
        if not self.is_refund:
            return SandboxSaleLine.objects.create(
                sale=self.sale, item=self.item, unit_quantity=1, unit_price=self.item.price
            )
        # R-Series: a refund line has a negative unitQuantity, a positive unitPrice and its origin
        # line as parentSaleLineID (reference §2.4); it refunds what the customer paid.
        parent = earlier_purchase(self.sale, self.item)
        return SandboxSaleLine.objects.create(
            sale=self.sale,
            item=self.item,
            unit_quantity=-1,
            unit_price=parent.unit_price if parent else self.item.price,
            parent_line=parent,
        )


class CustomerForm(forms.Form):
    customer = forms.ModelChoiceField(
        queryset=SandboxCustomer.objects.none(),
        label="Customer",
        empty_label="Choose a customer…",
        error_messages={"required": "Choose a customer first."},
    )

    def __init__(self, *args: object, sale: SandboxSale, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.sale = sale
        self.fields["customer"].queryset = sale.account.customers.order_by(
            "last_name", "first_name", "pk"
        )
        self.fields["customer"].initial = sale.customer_id

    def save(self) -> SandboxSale:
        self.sale.customer = self.cleaned_data["customer"]
        self.sale.save(update_fields=["customer", "updated_at"])
        return self.sale


class QuantityForm(forms.Form):
    """How many; a refund line keeps its negative sign (reference §2.4: unitQuantity)."""

    quantity = forms.IntegerField(label="Quantity", min_value=1, max_value=999)

    def __init__(self, *args: object, line: SandboxSaleLine, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["quantity"].initial = abs(line.unit_quantity)

    def save(self) -> SandboxSaleLine:
        sign = -1 if self.line.unit_quantity < 0 else 1
        self.line.unit_quantity = sign * self.cleaned_data["quantity"]
        with transaction.atomic():
            self.line.save(update_fields=["unit_quantity"])
            # The sale's updatetime moves with its lines, as in R-Series.
            self.line.sale.save(update_fields=["updated_at"])
        return self.line


class ShopButtonForm(forms.ModelForm):
    """Settings → Custom Menus: the "Open web page" button's URL (reference §1.1)."""

    button_url = forms.URLField(
        label="Astro Loyalty button URL", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = SandboxShop
        fields = ["button_url"]
