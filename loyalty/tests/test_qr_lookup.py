"""Customer Lookup and Pet Owners read the card page's QR code as a scanner types it (SPEC §8):
the owner of this store, straight away; another store's id or a misread code finds no one."""

import pytest
from django.urls import reverse

from integrations.lightspeed.tests.conftest import account, customer  # noqa: F401
from loyalty.rules.astro_ids import astro_id_text, scanned_owner_id
from loyalty.selectors.owners import search_owners
from loyalty.services.merge import merge_owners
from loyalty.tests import factories


def test_the_qr_text_carries_the_astro_id_and_a_check_digit():
    assert astro_id_text(12) == "ASTRO-12-3"
    assert scanned_owner_id("ASTRO-12-3") == 12
    assert scanned_owner_id("  astro-12-3\n") == 12  # any case, the scanner's Enter
    assert scanned_owner_id("ASTRO_12_3") == 12  # a keyboard layout's hyphen
    for not_ours in (
        "ASTRO-12-4",
        "ASTRO-12-3-1",
        "ASTRO-1",
        "ASTRO-12",
        "ASTRO-12-",
        "Astrid",
        "12",
        "",
    ):
        assert scanned_owner_id(not_ours) is None, not_ours


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer, first_name="Maya", last_name="Lopez")


def test_pet_owners_search_goes_straight_to_the_scanned_owner(cashier_client, owner):
    url = reverse("owner_search")
    response = cashier_client.get(url, {"q": astro_id_text(owner.pk) + "\n"})
    assert response.status_code == 302 and response["Location"] == owner.get_absolute_url()
    htmx = cashier_client.get(url, {"q": astro_id_text(owner.pk)}, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == owner.get_absolute_url()


def test_another_stores_owner_id_finds_nothing(cashier_client, other_retailer, owner):
    stranger = factories.PetOwnerFactory(retailer=other_retailer, last_name="Vex")
    response = cashier_client.get(reverse("owner_search"), {"q": astro_id_text(stranger.pk)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "No pet owner matches" in body and "Vex" not in body


def test_a_misread_code_finds_no_one(cashier_client, owner):
    wrong = f"ASTRO-{owner.pk}-{(int(astro_id_text(owner.pk)[-1]) + 1) % 10}"
    response = cashier_client.get(reverse("owner_search"), {"q": wrong})
    assert response.status_code == 200 and "No pet owner matches" in response.content.decode()


def test_a_merged_away_owners_code_finds_the_owner_kept(retailer, owner, admin_user):
    duplicate = factories.PetOwnerFactory(retailer=retailer, first_name="M", last_name="Lopez")
    merge_owners(duplicate=duplicate, keep=owner, actor=admin_user)
    assert search_owners(retailer=retailer, text=astro_id_text(duplicate.pk)) == [owner]


def test_every_lookup_shares_the_search(retailer, owner):
    """Customer Lookup of each POS, the merge picker and the ledger search all call this."""
    factories.PetOwnerFactory(retailer=retailer, first_name="Mayan", last_name="Lopes")
    assert search_owners(retailer=retailer, text=astro_id_text(owner.pk)) == [owner]


@pytest.mark.django_db(transaction=True)
def test_lightspeeds_customer_lookup_lists_the_scanned_owner_alone(
    cashier_client,
    location,
    account,  # noqa: F811 (the fixtures imported above)
    customer,  # noqa: F811
):
    """The button's Customer Lookup (over the sandbox's real HTTP), searched with the QR text."""
    from integrations.lightspeed.tests.conftest import make_sale

    factories.PetOwnerFactory(retailer=location.retailer, first_name="Ana", last_name="Lopez")
    scanned = factories.PetOwnerFactory(retailer=location.retailer, last_name="Ngata")
    sale = make_sale(account, customer)
    button = reverse("lightspeed_button", args=[location.button_token])
    lookup = cashier_client.get(button, {"saleID": sale.pk, "customerID": customer.pk})["Location"]
    page = cashier_client.get(lookup).content.decode()
    assert "Ana Lopez" in page  # first the POS customer's last name
    params = {"saleID": sale.pk, "customerID": customer.pk, "q": astro_id_text(scanned.pk)}
    results = cashier_client.get(
        reverse("lightspeed_lookup", args=[location.button_token]),
        params,
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Ngata" in results and "Ana Lopez" not in results
    assert results.count('name="owner"') == 1
