"""The register's per-row fragments (templates/jinja2/: the checkout's sale lines and the cards
list) as a cashier sees them: every word of a POS or a note shows as text, never as markup, and
each row's forms carry what Django's own templates put in them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import Card, Visit
from loyalty.presentation.text import card_title
from loyalty.selectors.checkout import exception_cards
from loyalty.services.sales import SaleLine
from loyalty.tests import factories
from loyalty.tests.test_checkout import click, food_line

MARKUP = "<img src=x onerror=alert(1)> & <b>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;"


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer)


@pytest.fixture
def program_card(retailer):
    food = factories.ItemFactory(gtin="036000291452", description="Kibble 25 lb")
    return factories.enrolled_card(retailer, required=3, items=[food])


def checkout_page(client, visit) -> str:
    return client.get(reverse("checkout", args=[visit.pk])).content.decode()


def test_a_pos_description_with_markup_shows_as_text_on_the_checkout(
    cashier_client, owner, location, cashier_user, program_card
):
    odd = SaleLine("2", ["012345678905"], 1, Decimal("9.99"), MARKUP)
    visit = click(owner, location, cashier_user, [food_line(), odd], subtotal="64.98")
    page = checkout_page(cashier_client, visit)
    assert ESCAPED in page
    assert "onerror=" not in page.replace(ESCAPED, "")


def test_an_unknown_item_offers_every_exception_card_in_a_form_with_a_csrf_token(
    cashier_client, owner, location, cashier_user, program_card
):
    toy = SaleLine("2", ["012345678905"], 1, Decimal("9.99"), "Squeaky toy")
    visit = click(owner, location, cashier_user, [food_line(), toy], subtotal="64.98")
    page = checkout_page(cashier_client, visit)
    form = re.search(r'<details class="exception">.*?</details>', page, re.S).group(0)
    assert "Code 012345678905" in page
    title = card_title(program_card.program.name, program_card.name)
    assert f'<option value="{program_card.pk}">{title}</option>' in form
    assert re.search(r'name="csrfmiddlewaretoken" value="\w{64}"', form)
    assert form.count("Add to card") == 1


def test_card_notes_with_markup_show_as_text_at_the_register_and_on_the_owner_page(
    cashier_client, owner, location, cashier_user, program_card
):
    visit = click(owner, location, cashier_user, [food_line()])
    card = Card.objects.get(owner=owner)
    Card.objects.filter(pk=card.pk).update(notes=MARKUP + "\nsecond line")
    for page in (
        checkout_page(cashier_client, visit),
        cashier_client.get(reverse("owner_detail", args=[owner.pk])).content.decode(),
    ):
        assert f"<strong>Card notes:</strong> {ESCAPED}<br>second line" in page
        assert f'data-card="{card.card_number}"' in page and "1/3" in page


def test_the_exception_cards_are_the_enrolled_and_own_active_programs_cards(
    retailer, location, other_retailer
):
    account = factories.enrolled_card(retailer)  # enrolled for the whole account
    here = factories.ProgramCardFactory(program__name="A here")
    factories.EnrollmentFactory(retailer=retailer, program=here.program, location=location)
    elsewhere = factories.ProgramCardFactory()  # enrolled at another of its locations
    other_location = factories.LocationFactory(retailer=retailer)
    factories.EnrollmentFactory(
        retailer=retailer, program=elsewhere.program, location=other_location
    )
    own = factories.ProgramCardFactory(
        program__retailer=retailer, program__kind="buy_x_get_y", program__manufacturer=None
    )
    stopped = factories.enrolled_card(retailer)
    stopped.program.is_active = False
    stopped.program.save()
    factories.enrolled_card(other_retailer)  # another store's enrollment
    owner = factories.PetOwnerFactory(retailer=retailer)
    at_store = Visit(retailer=retailer, location=location, owner=owner)
    no_location = Visit(retailer=retailer, location=None, owner=owner)
    offered = exception_cards(at_store)
    assert {card.pk for card in offered} == {account.pk, here.pk, own.pk}
    assert {card.pk for card in exception_cards(no_location)} == {account.pk, own.pk}
    assert offered[0] == here and offered[0].program.name == "A here"  # by program name
