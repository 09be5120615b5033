"""The register's checkout against Astro's API over real HTTP (the live server), driven through
the register's own pages: the Astro tab unchanged until payment, offers quoted and applied,
prompts, redemptions limited to stock, and what Astro records."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import Card, Coupon, OfferRedemption, PointReward, Purchase, Redemption, Visit
from loyalty.services.points import points_balance
from simulators.rest_register.customers import read_tab
from simulators.rest_register.models import EntryState, OutboxEntry, Sale

from .conftest import FISH, LEASH, POULTRY, RED, TREAT, customer

pytestmark = pytest.mark.django_db(transaction=True)


def url(name, *args):
    return reverse(f"rest_register:{name}", args=args)


def start_sale(client, store, number=None) -> Sale:
    client.post(url("new_sale"), {"store": store.code})
    sale = Sale.objects.latest("pk")
    if number:
        client.post(url("customer", sale.pk), {"customer": customer(store, number).pk})
    return sale


def scan(client, sale, *codes):
    for code in codes:
        client.post(url("scan", sale.pk), {"code": code})


def progress(store, number) -> str:
    [card] = read_tab(customer(store, number)).cards
    return card["progress"]


def test_the_tab_shows_5_of_12_while_the_sale_is_open_and_6_of_12_once_paid(client, register):
    sale = start_sale(client, register, "POS-1001")
    scan(client, sale, RED)
    page = client.get(url("sale", sale.pk)).content.decode()
    assert "5/12" in page and "Cards change once the sale is paid" in page
    assert not Visit.objects.exists()  # an open sale is not Astro's business yet
    client.post(url("pay", sale.pk), {"tender": "Card"})  # the coupon prompt
    coupon_prompt = sale.rewards.get(kind="coupon")
    client.post(url("decide", sale.pk, coupon_prompt.pk), {"decision": "decline"})
    response = client.post(url("pay", sale.pk), {"tender": "Card"}, follow=True)
    assert response.redirect_chain[-1][0] == url("receipt", sale.pk)
    assert "Acana" in response.content.decode() and "6/12 (+1)" in response.content.decode()
    assert progress(register, "POS-1001") == "6/12"
    visit = Visit.objects.get(pos_sale_id=sale.pos_sale_id)
    sale.refresh_from_db()
    assert visit.created_at == sale.paid_at  # the sale's own time
    # Declined: the coupon stays for another visit.
    assert Coupon.objects.get().redeemed_at is None


def test_an_offer_is_on_the_open_sale_and_astro_records_it_with_the_reward_id(
    client, register, astro
):
    sale = start_sale(client, register, "POS-1002")  # Morgan: not linked, so no offer yet
    scan(client, sale, TREAT, TREAT)
    assert not sale.rewards.filter(kind="offer").exists()
    client.post(url("confirm_match", sale.pk), {"astro_id": astro.morgan.pk})
    [offer] = sale.rewards.filter(kind="offer")
    assert (offer.name, offer.amount) == ("Fromm Buy One Get One Free", Decimal("7.99"))
    response = client.post(url("pay", sale.pk), {"tender": "Cash"}, follow=True)
    recorded = OfferRedemption.objects.get()
    offer.refresh_from_db()
    assert offer.reward_id == recorded.reward_id
    assert f"Astro reward ID: {recorded.reward_id}" in response.content.decode()


def test_a_redemption_lists_only_stocked_items_and_prints_the_reward_id_with_full_tax(
    client, register, astro
):
    sale = start_sale(client, register, "POS-1000")
    card_id = read_tab(customer(register, "POS-1000")).redeemable[0]["card_id"]
    page = client.get(url("redeem", sale.pk, card_id)).content.decode()
    assert "Acana Red 13 lb" in page and "Acana Poultry 13 lb" in page
    assert "Acana Fish 13 lb" not in page  # out of stock at this register
    fish = astro.bags[FISH]
    client.post(url("redeem", sale.pk, card_id), {"item_id": fish.pk})  # a crafted POST
    assert not sale.rewards.exists()
    client.post(url("redeem", sale.pk, card_id), {"item_id": astro.bags[POULTRY].pk})
    scan(client, sale, LEASH)
    receipt = client.post(url("pay", sale.pk), {"tender": "Card"}, follow=True).content.decode()
    redemption = Redemption.objects.get()
    assert redemption.item == astro.bags[POULTRY]
    assert f"Astro reward ID: {redemption.reward_id}" in receipt
    # Tax on 64.99 + 14.99 at full price (8.25%: 6.60), then the free bag comes off.
    assert "$79.98" in receipt and "$6.60" in receipt and "-$64.99" in receipt
    assert "$21.59" in receipt  # what the customer pays: 14.99 + 6.60
    # The free bag is not a purchase: no punch for it.
    assert not Purchase.objects.filter(visit_line__visit__pos_sale_id=sale.pos_sale_id).exists()


def test_a_point_reward_taken_at_the_till_is_spent_once(client, register, astro):
    reward = PointReward.objects.create(
        retailer=astro.retailer, name="$5 off any purchase", points_required=100
    )
    astro.jamie.points_entries.create(retailer=astro.retailer, kind="earned", points=150)
    sale = start_sale(client, register, "POS-1001")
    scan(client, sale, LEASH)
    client.post(url("pay", sale.pk), {"tender": "Card"})
    prompts = {r.kind: r for r in sale.rewards.all()}
    assert prompts["point_reward"].amount == Decimal("5")  # read from the reward's name
    client.post(url("decide", sale.pk, prompts["coupon"].pk), {"decision": "decline"})
    client.post(url("decide", sale.pk, prompts["point_reward"].pk), {"decision": "apply"})
    client.post(url("pay", sale.pk), {"tender": "Card"})
    assert points_balance(astro.jamie) == 150 + 14 - reward.points_required
    # The answer to the decision got lost: the register sends it again, Astro answers once.
    entry = OutboxEntry.objects.get(path__contains="point-rewards")
    OutboxEntry.objects.filter(pk=entry.pk).update(state=EntryState.PENDING)
    client.post(url("send_queue"), {"store": register.code})
    entry.refresh_from_db()
    assert (entry.state, entry.replayed) == (EntryState.SENT, True)
    assert points_balance(astro.jamie) == 64


def test_a_double_pay_is_one_sale_for_astro(client, register):
    sale = start_sale(client, register, "POS-1000")
    scan(client, sale, LEASH)
    client.post(url("pay", sale.pk), {"tender": "Cash"})
    again = client.post(url("pay", sale.pk), {"tender": "Cash"}, follow=True)
    assert "is paid" in again.content.decode()
    assert OutboxEntry.objects.count() == 1
    assert Visit.objects.filter(pos_sale_id=sale.pos_sale_id).count() == 1


def test_a_sale_without_a_customer_tells_astro_nothing(client, register):
    sale = start_sale(client, register)
    scan(client, sale, RED)
    client.post(url("pay", sale.pk), {"tender": "Cash"})
    sale.refresh_from_db()
    assert sale.state == "paid" and not OutboxEntry.objects.exists()
    assert register.products.get(upc=RED).stock == 4


def test_a_new_customer_gets_an_astro_account_on_yes(client, register, astro):
    sale = start_sale(client, register, "POS-1003")
    assert "is not linked to Astro" in client.get(url("sale", sale.pk)).content.decode()
    client.post(url("create_in_astro", sale.pk))
    casey = customer(register, "POS-1003")
    owner = astro.retailer.pet_owners.get(email="casey.nguyen@example.com")
    assert casey.astro_id == owner.pk
    assert owner.pos_links.get().pos_customer_id == "POS-1003"
    assert "Astro ID" in client.get(url("sale", sale.pk)).content.decode()


def test_unlink_undoes_a_wrong_mapping(client, register, astro):
    sale = start_sale(client, register, "POS-1001")
    client.post(url("unlink", sale.pk))
    assert customer(register, "POS-1001").astro_id is None
    assert not astro.jamie.pos_links.exists()
    assert Card.objects.filter(owner=astro.jamie).exists()  # Astro keeps the pet owner
