"""A store set up for the books tests: an admin, a location, a manufacturer card with a window
whose reports go out over the in-memory delivery, and the real services a counter uses."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.db.models import F

from loyalty.models import (
    Card,
    Distributor,
    Item,
    Location,
    PaperImport,
    PetOwner,
    ProgramCard,
    Purchase,
    Redemption,
    Retailer,
    User,
    Visit,
)
from loyalty.selectors.paper_import import batch_preview
from loyalty.services.card_windows import expire_overdue_cards
from loyalty.services.checkout import add_as_exception, confirm_return
from loyalty.services.distributor_reports.sending import send_due_reports
from loyalty.services.merge import merge_owners
from loyalty.services.paper_import import import_paper_batch, upload_paper_file
from loyalty.services.paper_import_undo import undo_paper_batch
from loyalty.services.redemptions import redeem_card
from loyalty.services.sales import SaleLine
from loyalty.services.sales.lines import add_anyway
from loyalty.services.undo import reselect_redemption, undo_redemption
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

REQUIRED = 3
WINDOW_MONTHS = 18
PRICE = Decimal("20.00")
UNKNOWN_UPC = factories.make_upc(987654)
PAPER_HEADER = "email,phone,first_name,last_name,program_card,punches,original_dates\n"


@dataclass
class Store:
    retailer: Retailer
    location: Location
    admin: User
    items: list[Item]
    program_card: ProgramCard
    owner: PetOwner
    sales: count = field(default_factory=lambda: count(1))
    last_sale: tuple[str, list] | None = None

    def lines(self, which: int, quantity: int) -> list[SaleLine]:
        item = self.items[which]
        return [SaleLine("1", [item.gtin], quantity, PRICE, item.description)]

    def press(self, lines, *, owner=None, sale_id=None, customer="77") -> Visit:
        sale_id = sale_id or f"S{next(self.sales)}"
        self.last_sale = (sale_id, lines)
        subtotal = sum((line.quantity * PRICE for line in lines), Decimal(0))
        return press_pos_button(
            owner=owner or self.owner,
            location=self.location,
            cashier=self.admin,
            lines=lines,
            sale_id=sale_id,
            pos_customer_id=customer,
            subtotal=subtotal,
        )

    # --- What the counter does ---------------------------------------------------------------

    def sale(self, which: int, quantity: int) -> None:
        self.press(self.lines(which, quantity))

    def add_anyway(self) -> None:
        """The same sale pressed again: its lines are Possible Existing; Add Anyway on each."""
        if self.last_sale is None:
            return
        sale_id, lines = self.last_sale
        visit = self.press(lines, sale_id=sale_id)
        for line in visit.lines.filter(outcome="possible_existing"):
            add_anyway(line=line)

    def return_item(self, which: int) -> None:
        visit = self.press(self.lines(which, -1))
        for line in visit.lines.filter(outcome="return_pending"):
            confirm_return(line=line, cashier=self.admin)

    def exception(self) -> None:
        unknown = [SaleLine("1", [UNKNOWN_UPC], 1, PRICE, "New size kibble")]
        visit = self.press(unknown)
        for line in visit.lines.filter(outcome="unknown"):
            add_as_exception(
                line=line, program_card=self.program_card, reason="New size", cashier=self.admin
            )

    def redeem(self, which: int) -> None:
        card = Card.objects.filter(owner=self.owner, status="complete").first()
        if card is not None:
            redeem_card(card=card, item_id=self.items[which].pk, cashier=self.admin)

    def _standing(self) -> Redemption | None:
        standing = Redemption.objects.filter(card__owner=self.owner, undone_at__isnull=True)
        return standing.order_by("-pk").first()

    def undo(self) -> None:
        redemption = self._standing()
        if redemption is not None:
            undo_redemption(redemption=redemption, actor=self.admin)

    def reselect(self) -> None:
        redemption = self._standing()
        if redemption is not None:
            other = next(i for i in self.items if i.pk != redemption.item_id)
            reselect_redemption(redemption=redemption, item_id=other.pk, actor=self.admin)

    def merge(self, which: int, quantity: int) -> None:
        """A duplicate owner with a sale of their own, merged into the owner kept."""
        duplicate = factories.PetOwnerFactory(retailer=self.retailer)
        self.press(self.lines(which, quantity), owner=duplicate, customer=f"D{duplicate.pk}")
        merge_owners(duplicate=duplicate, keep=self.owner, actor=self.admin)

    def months_pass(self, months: int) -> None:
        """Time travel: the owner's history moves back, then the beat's sweep runs."""
        back = timedelta(days=31 * months)
        Purchase.objects.filter(card__owner=self.owner).update(
            purchased_at=F("purchased_at") - back
        )
        expire_overdue_cards()

    def deliver(self) -> None:
        send_due_reports()

    def paper_import(self, which: int, punches: int) -> None:
        """An admin converts a paper card of the owner: upload, preview, import."""
        upc = self.items[which].gtin[-12:]
        row = f"{self.owner.email},,,,{upc},{punches},2024-03-0{punches}\n"
        batch = upload_paper_file(
            retailer=self.retailer,
            actor=self.admin,
            filename=f"paper-{next(self.sales)}.csv",
            data=(PAPER_HEADER + row).encode(),
            create_owners=False,
        )
        fingerprint = batch_preview(batch=batch).fingerprint
        import_paper_batch(batch=batch, actor=self.admin, fingerprint=fingerprint)

    def undo_import(self) -> None:
        """Undo this import on the latest batch that stands (refused once its cards moved on)."""
        batch = PaperImport.objects.filter(retailer=self.retailer, state="imported").last()
        if batch is not None:
            undo_paper_batch(batch=batch, actor=self.admin)


def make_store() -> Store:
    retailer = factories.RetailerFactory()
    location = factories.LocationFactory(retailer=retailer)
    admin = factories.UserFactory(retailer=retailer, role="admin")
    items = [factories.ItemFactory() for _ in range(2)]
    program_card = factories.enrolled_card(retailer, required=REQUIRED, items=items)
    program_card.completion_window_months = WINDOW_MONTHS
    program_card.save(update_fields=["completion_window_months"])
    Distributor.objects.filter(enrollments__retailer=retailer).update(
        delivery_method="https", endpoint_url="https://distributor.example/reports"
    )
    owner = factories.PetOwnerFactory(retailer=retailer)
    return Store(retailer, location, admin, items, program_card, owner)
