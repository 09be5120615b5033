"""The sandbox register as a cashier uses it: scan, refund, customer, Astro Loyalty, void."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from simulators.lightspeed.models import SandboxSale, SandboxSaleLine, SandboxShop

from .factories import make_account, make_customer, make_item, make_sale

pytestmark = pytest.mark.django_db
BUTTON_URL = "http://testserver/pos/lightspeed/tok-main/?src=custom-menu"


@pytest.fixture
def account():
    account = make_account(name="Pawsome Pets")
    SandboxShop.objects.create(
        account=account, shop_id="1", name="Main Street", button_url=BUTTON_URL
    )
    SandboxShop.objects.create(account=account, shop_id="2", name="Riverside")
    return account


@pytest.fixture
def food(account):
    return make_item(
        account, "Acana Red Meat 13 lb", "64.99", upc="064992521134", custom_sku="ACA-RED-13"
    )


@pytest.fixture
def leash(account):
    return make_item(account, "Nylon Dog Leash, 6 ft", "14.99", ean="0084197001019")


@pytest.fixture
def sally(account):
    return make_customer(account, first_name="Sally", last_name="Pet Owner")


@pytest.fixture
def sale(account):
    return SandboxSale.objects.create(account=account, shop_id="1", employee_id="3")


def sale_url(sale: SandboxSale, action: str = "") -> str:
    if not action:
        return reverse("lightspeed_sandbox:register_sale", args=[sale.pk])
    return reverse(f"lightspeed_sandbox:register_{action}", args=[sale.pk])


def scan(client: Client, sale: SandboxSale, code: str, mode: str = "sale"):
    return client.post(sale_url(sale, "scan"), {"code": code, "mode": mode}, follow=True)


def astro_link(client: Client, sale: SandboxSale) -> tuple[str, dict[str, str]]:
    page = client.get(sale_url(sale))
    href = page.context["astro_url"]
    assert f'href="{href.replace("&", "&amp;")}"' in page.content.decode()
    parts = urlsplit(href)
    return parts._replace(query="").geturl(), dict(parse_qsl(parts.query))


def test_register_lists_sales_and_new_sale_opens_a_sale_at_the_chosen_shop(client, account, sale):
    page = client.get(reverse("lightspeed_sandbox:register"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Lightspeed Retail — Sandbox Register</title>" in html
    assert f"#{sale.pk}" in html and "Riverside (shop 2)" in html

    response = client.post(
        reverse("lightspeed_sandbox:register"), {"account": account.account_id, "shop": "2"}
    )

    new = SandboxSale.objects.latest("pk")
    assert response.url == sale_url(new)
    assert (new.account, new.shop_id, new.completed, new.voided) == (account, "2", False, False)


def test_the_sale_page_autofocuses_the_scan_field(client, sale):
    html = client.get(sale_url(sale)).content.decode()
    assert "Scan or type a UPC" in html
    assert 'id="scan-code" name="code"' in html and "autofocus" in html


@pytest.mark.parametrize("code", ["064992521134", " 064992521134\n", "aca-red-13"])
def test_scanning_a_known_code_adds_a_line_of_one_at_the_item_price(client, sale, food, code):
    page = scan(client, sale, code)

    line = sale.lines.get()
    assert (line.item, line.unit_quantity, str(line.unit_price)) == (food, 1, "64.99")
    assert line.parent_line is None
    assert "Added: Acana Red Meat 13 lb." in page.content.decode()
    assert page.context["subtotal"] == "$64.99"


def test_ean_and_system_sku_match_and_a_second_scan_adds_a_second_line(client, sale, leash):
    scan(client, sale, "0084197001019")
    scan(client, sale, f"2100{leash.pk:08d}")

    assert [(line.item, line.unit_quantity) for line in sale.lines.all()] == [(leash, 1)] * 2


def test_an_unknown_code_adds_nothing_and_says_so(client, sale, food):
    page = scan(client, sale, "000000000000")

    assert not sale.lines.exists()
    assert "No item has the code 000000000000. Nothing was added." in page.content.decode()


def test_refund_mode_adds_minus_one_linked_to_the_customers_earlier_purchase(
    client, account, sale, food, sally
):
    someone_else = make_customer(account, first_name="Other", email="other@example.com")
    earlier = make_sale(account, [(food, 2, "59.99", None)], customer=sally)
    make_sale(account, [(food, 1, "64.99", None)], customer=someone_else)
    make_sale(account, [(food, 1, "64.99", None)], customer=sally, completed=False)
    client.post(sale_url(sale, "customer"), {"customer": sally.pk})

    page = scan(client, sale, "064992521134", mode="refund")

    line = sale.lines.get()
    assert line.unit_quantity == -1
    assert line.parent_line == earlier.lines.get()
    # R-Series refunds keep a positive unitPrice: what the customer paid.
    assert str(line.unit_price) == "59.99"
    assert page.redirect_chain[-1][0].endswith("?mode=refund")
    assert page.context["mode"] == "refund"
    assert page.context["subtotal"] == "-$59.99"


def test_a_refund_without_an_earlier_purchase_has_no_parent_line(client, sale, food, sally):
    client.post(sale_url(sale, "customer"), {"customer": sally.pk})
    scan(client, sale, "064992521134", mode="refund")
    line = sale.lines.get()
    assert (line.unit_quantity, line.parent_line, str(line.unit_price)) == (-1, None, "64.99")


def test_astro_loyalty_link_carries_sale_customer_shop_and_employee(client, sale, sally):
    base, params = astro_link(client, sale)

    assert base == "http://testserver/pos/lightspeed/tok-main/"
    expected = {"saleID": str(sale.pk), "customerID": "0", "shopID": "1", "employeeID": "3"}
    assert params == {"src": "custom-menu", **expected}

    client.post(sale_url(sale, "customer"), {"customer": sally.pk})
    _, params = astro_link(client, sale)
    assert params["customerID"] == str(sally.pk)


def test_a_shop_without_a_button_url_shows_a_disabled_button(client, account):
    sale = SandboxSale.objects.create(account=account, shop_id="2")
    page = client.get(sale_url(sale))
    assert page.context["astro_url"] == ""
    assert "No button URL for shop 2" in page.content.decode()


def test_customer_can_be_added_and_removed(client, sale, sally):
    page = client.post(sale_url(sale, "customer"), {"customer": sally.pk}, follow=True)
    sale.refresh_from_db()
    assert sale.customer == sally
    assert "Sally Pet Owner was added to the sale." in page.content.decode()

    client.post(sale_url(sale, "customer"), {"remove": "1"})
    sale.refresh_from_db()
    assert sale.customer is None


def test_another_accounts_customer_cannot_be_added(client, sale):
    stranger = make_customer(make_account("150002"))
    page = client.post(sale_url(sale, "customer"), {"customer": stranger.pk}, follow=True)
    sale.refresh_from_db()
    assert sale.customer is None
    assert "Select a valid choice" in page.content.decode()


def test_quantity_edit_keeps_a_refund_line_negative_and_remove_deletes_the_line(
    client, sale, food, leash
):
    scan(client, sale, "064992521134")
    scan(client, sale, "0084197001019", mode="refund")
    sold, refunded = sale.lines.all()

    for line in (sold, refunded):
        url = reverse("lightspeed_sandbox:register_line_quantity", args=[sale.pk, line.pk])
        client.post(url, {"quantity": "3"})
    client.post(
        reverse("lightspeed_sandbox:register_line_quantity", args=[sale.pk, sold.pk]),
        {"quantity": "0"},
    )

    assert [line.unit_quantity for line in sale.lines.all()] == [3, -3]
    client.post(reverse("lightspeed_sandbox:register_line_remove", args=[sale.pk, sold.pk]))
    assert list(sale.lines.all()) == [refunded]


def test_complete_then_the_sale_no_longer_changes(client, sale, food):
    assert not client.post(sale_url(sale, "complete"), follow=True).context["sale"].completed

    scan(client, sale, "064992521134")
    client.post(sale_url(sale, "complete"))
    page = scan(client, sale, "064992521134")

    sale.refresh_from_db()
    assert sale.completed and not sale.voided
    assert sale.lines.count() == 1
    assert f"Sale {sale.pk} is completed and can no longer change." in page.content.decode()
    assert 'id="scan-code"' not in page.content.decode()


def test_void_marks_the_sale_voided_in_its_api_json(client, account, sale, food):
    scan(client, sale, "064992521134")

    client.post(sale_url(sale, "void"))

    sale.refresh_from_db()
    assert sale.voided and not sale.completed
    body = api_get_sale(client, account, sale)
    assert body["voided"] == "true" and body["completed"] == "false"


def api_get_sale(client: Client, account, sale: SandboxSale) -> dict:
    relations = json.dumps(["SaleLines", "SaleLines.Item", "Customer", "Customer.Contact"])
    response = client.get(
        reverse("lightspeed_sandbox:sale", args=[account.account_id, sale.pk]),
        {"load_relations": relations},
        HTTP_AUTHORIZATION=f"Bearer {account.script_token}",
    )
    assert response.status_code == 200
    return response.json()["Sale"]


def test_the_api_returns_the_sale_the_register_made(client, account, sale, food, leash, sally):
    earlier = make_sale(account, [(leash, 1, "14.99", None)], customer=sally)
    client.post(sale_url(sale, "customer"), {"customer": sally.pk})
    scan(client, sale, "064992521134")
    scan(client, sale, "0084197001019", mode="refund")

    body = api_get_sale(client, account, sale)

    assert (body["saleID"], body["customerID"]) == (str(sale.pk), str(sally.pk))
    assert (body["shopID"], body["employeeID"], body["voided"]) == ("1", "3", "false")
    assert body["calcSubtotal"] == "50.00"
    sold, refunded = body["SaleLines"]["SaleLine"]
    assert (sold["unitQuantity"], sold["Item"]["upc"]) == ("1", "064992521134")
    assert (refunded["unitQuantity"], refunded["unitPrice"]) == ("-1", "14.99")
    assert refunded["parentSaleLineID"] == str(earlier.lines.get().pk)
    assert body["Customer"]["firstName"] == "Sally"


def test_finished_return_url_with_sale_id_goes_back_to_that_sale(client, sale):
    register = reverse("lightspeed_sandbox:register")

    assert client.get(register, {"saleID": sale.pk}).url == sale_url(sale)
    page = client.get(register, {"saleID": "999999"}, follow=True)
    assert page.redirect_chain[-1][0] == register
    assert "There is no sale 999999." in page.content.decode()


def test_account_query_picks_the_account(client, account):
    other = make_account("150002", name="Second Store")
    SandboxSale.objects.create(account=other, shop_id="1")

    page = client.get(reverse("lightspeed_sandbox:register"), {"account": "150002"})

    assert page.context["account"] == other
    assert [s.account for s in page.context["sales"]] == [other]


def test_without_an_account_the_register_explains_how_to_make_one(client):
    page = client.get(reverse("lightspeed_sandbox:register"))
    assert page.status_code == 404
    assert "seed_demo" in page.content.decode()


def test_custom_menus_saves_a_shops_button_url(client, account):
    riverside = SandboxShop.objects.get(account=account, shop_id="2")
    url = reverse("lightspeed_sandbox:register_settings")
    field = f"shop-{riverside.pk}-button_url"

    bad = client.post(url, {"shop": riverside.pk, field: "not a url"})
    assert "Enter a valid URL." in bad.content.decode()

    client.post(url, {"shop": riverside.pk, field: "http://127.0.0.1:8000/pos/lightspeed/tok-r/"})
    riverside.refresh_from_db()
    assert riverside.button_url == "http://127.0.0.1:8000/pos/lightspeed/tok-r/"
    assert SandboxShop.objects.get(account=account, shop_id="1").button_url == BUTTON_URL


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("scan", {"code": "064992521134"}),
        ("customer", {"remove": "1"}),
        ("complete", {}),
        ("void", {}),
    ],
)
def test_every_post_needs_the_csrf_token(account, sale, food, action, data):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(sale_url(sale, action), data)

    assert response.status_code == 403
    sale.refresh_from_db()
    assert not (sale.lines.exists() or sale.completed or sale.voided)


def test_the_register_forms_carry_the_csrf_token(client, sale, food):
    scan(client, sale, "064992521134")
    html = client.get(sale_url(sale)).content.decode()
    forms = html.count('<form method="post"')
    assert forms >= 6 and html.count('name="csrfmiddlewaretoken"') == forms
    assert SandboxSaleLine.objects.count() == 1
