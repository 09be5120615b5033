"""Card windows (issue 15): a card not completed within N months of its first punch expires;
its punches stay on History, it is never redeemed, and the next purchase starts a new card.
Times are passed explicitly (the suite has no clock-freezing library)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty.errors import CardNotComplete
from loyalty.models import Card, Program
from loyalty.rules.card_windows import is_past_window, window_end
from loyalty.selectors.reconcile import reconcile
from loyalty.services.card_windows import expire_overdue_cards
from loyalty.services.cards import add_purchases
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories
from loyalty.tests.books import make_store

START = timezone.now() - timedelta(days=2 * 365)


def month(n: int):
    """A moment in the n-th month after START's (month 0 is START itself)."""
    return window_end(first_punch=START, months=n) + timedelta(days=1)


@pytest.fixture
def card(retailer):
    program_card = factories.enrolled_card(retailer, required=10)
    program_card.completion_window_months = 18
    program_card.save()
    return program_card


def test_window_end_counts_calendar_months():
    start = datetime(2025, 8, 31, 12, tzinfo=UTC)
    assert window_end(first_punch=start, months=18) == start.replace(year=2027, month=2, day=28)
    assert not is_past_window(first_punch=start, months=None, at=start + timedelta(days=9999))
    assert not is_past_window(first_punch=None, months=18, at=start)


def test_the_19th_months_purchase_starts_a_new_card_and_the_old_shows_expired(
    card, retailer, admin_client
):
    owner = factories.PetOwnerFactory(retailer=retailer)
    item = card.qualifying_items.get()
    add_purchases(owner=owner, program_card=card, quantity=3, item=item, purchased_at=START)
    add_purchases(owner=owner, program_card=card, quantity=2, item=item, purchased_at=month(17))
    assert Card.objects.get(owner=owner).status == "open"  # the 18th month is still inside
    add_purchases(owner=owner, program_card=card, quantity=1, item=item, purchased_at=month(18))
    old, new = Card.objects.filter(owner=owner).order_by("pk")
    assert (old.status, old.purchases.count()) == ("expired", 5)
    assert (new.status, new.purchases.count()) == ("open", 1)
    page = admin_client.get(reverse("owner_history", args=[owner.pk])).content.decode()
    assert f"Card {old.card_number} · Expired" in page
    assert f"Card {new.card_number} · Open" in page
    with pytest.raises(CardNotComplete, match="expired"):
        redeem_card(card=old, item_id=item.pk)
    owner_page = admin_client.get(reverse("owner_detail", args=[owner.pk])).content.decode()
    assert "Expired" in owner_page


def test_a_card_without_a_window_never_expires(retailer):
    program_card = factories.enrolled_card(retailer, required=10)
    owner = factories.PetOwnerFactory(retailer=retailer)
    item = program_card.qualifying_items.get()
    add_purchases(owner=owner, program_card=program_card, quantity=1, item=item, purchased_at=START)
    add_purchases(owner=owner, program_card=program_card, quantity=1, item=item)
    assert Card.objects.get(owner=owner).purchases.count() == 2
    assert expire_overdue_cards() == 0


def test_the_sweep_closes_only_the_cards_past_their_window(card, retailer):
    item = card.qualifying_items.get()
    late, recent = (
        factories.PetOwnerFactory(retailer=retailer),
        factories.PetOwnerFactory(retailer=retailer),
    )
    add_purchases(owner=late, program_card=card, quantity=2, item=item, purchased_at=START)
    add_purchases(owner=recent, program_card=card, quantity=2, item=item, purchased_at=month(10))
    assert expire_overdue_cards(at=month(18)) == 1
    assert expire_overdue_cards(at=month(18)) == 0  # run again: nothing more
    assert Card.objects.get(owner=late).status == "expired"
    assert Card.objects.get(owner=recent).status == "open"


def test_a_completed_card_never_expires_and_reconcile_accepts_expired_cards(db, settings):
    settings.DISTRIBUTOR_DELIVERY = "integrations.memory.deliver"
    store = make_store()
    store.sale(0, 3)  # complete
    store.sale(0, 1)  # a new open card
    store.months_pass(19)
    statuses = sorted(Card.objects.filter(owner=store.owner).values_list("status", flat=True))
    assert statuses == ["complete", "expired"]
    store.sale(1, 1)
    assert Card.objects.filter(owner=store.owner, status="open").count() == 1
    assert reconcile(retailer=store.retailer) == []


def test_the_window_is_set_and_cleared_on_the_buy_x_get_y_form(admin_client, retailer):
    from loyalty.tests.test_custom_programs import create, only_program, self_wash

    form = admin_client.get(reverse("custom_program_create", args=["buy-x-get-y"]))
    assert "Complete the card within (months, optional)" in form.content.decode()
    assert create(admin_client, data=self_wash(completion_window_months="6")).status_code == 302
    program = only_program()
    assert program.cards.get().completion_window_months == 6
    refused = create(admin_client, data=self_wash(name="Other", completion_window_months="0"))
    assert refused.status_code != 302 and Program.objects.filter(name="Other").count() == 0
    edit = reverse("custom_program_edit", args=[program.pk])
    edit_page = admin_client.get(edit).content.decode()
    assert 'name="completion_window_months"' in edit_page and 'value="6"' in edit_page
    admin_client.post(edit, self_wash(completion_window_months=""))
    assert program.cards.get().completion_window_months is None
