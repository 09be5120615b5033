"""The pet owner's private card page (SPEC §8): the signed link, what the page shows and never
shows, its headers, and the staff's New card link / Turn off card link."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loyalty.models import AuditEvent, PetOwner, PointReward
from loyalty.rules.astro_ids import astro_id_text
from loyalty.services.card_page import card_page_url, revoke_card_link, rotate_card_link
from loyalty.services.merge import merge_owners
from loyalty.services.points import award_sale_points
from loyalty.services.sales import SaleLine
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

WRITES = ("INSERT", "UPDATE", "DELETE")


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer, first_name="Maya", last_name="Lopez")


@pytest.fixture
def visit(owner, location, cashier_user, retailer):
    """Five Acana bags at the checkout: 5/12 on the owner's card."""
    item = factories.ItemFactory(description="Acana Puppy 25 lb", size="25 lb")
    factories.enrolled_card(retailer, required=12, items=[item])
    return press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier_user,
        lines=[SaleLine("1", [item.gtin], 5, Decimal("54.99"), item.description)],
        subtotal=Decimal("274.95"),
    )


def test_the_page_shows_the_same_progress_as_the_checkout(client, cashier_client, visit, owner):
    checkout = cashier_client.get(reverse("checkout", args=[visit.pk])).content.decode()
    assert "5/12" in checkout
    page = client.get(path_of(card_page_url(owner)))
    body = page.content.decode()
    assert page.status_code == 200
    assert "5/12" in body and "7 more to go" in body
    assert "Acana Puppy 25 lb" in body  # what the free item can be
    assert owner.retailer.name in body and "Hi Maya" in body
    assert "<svg" in body and astro_id_text(owner.pk) in body


def test_the_link_is_absolute_from_site_url_or_the_given_base(owner, settings):
    settings.SITE_URL = "https://loyalty.example.com/"
    assert card_page_url(owner).startswith("https://loyalty.example.com/card/")
    other = card_page_url(owner, base_url="https://pets.example.org")
    assert other.startswith("https://pets.example.org/card/")
    assert path_of(other) == path_of(card_page_url(owner))


def test_a_tampered_link_is_404_before_any_query(client, owner):
    path = path_of(card_page_url(owner))
    token = path.split("/")[2]
    tampered = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        token.replace(f"{owner.pk}.", f"{owner.pk + 1}.", 1),  # another owner's id
        "not-a-token",
    ]
    for bad in tampered:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/card/{bad}/").status_code == 404
        assert [q["sql"] for q in queries.captured_queries] == [], bad


def test_a_rotated_away_or_revoked_link_is_404_like_an_unknown_one(client, owner, admin_user):
    first = path_of(card_page_url(owner))
    rotate_card_link(owner=owner, actor=admin_user)
    second = path_of(card_page_url(owner))
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    revoke_card_link(owner=owner, actor=admin_user)
    assert client.get(second).status_code == 404
    assert card_page_url(owner) == ""  # a message leaves the link out
    owner.refresh_from_db()
    assert card_page_url(owner) == ""
    rotate_card_link(owner=owner, actor=admin_user)  # staff can turn it on again
    assert client.get(path_of(card_page_url(owner))).status_code == 200
    actions = list(AuditEvent.objects.filter(target_id=str(owner.pk)).values_list("action"))
    assert ("owner.card_link_revoked",) in actions and ("owner.card_link_rotated",) in actions


def test_a_merge_kills_the_merged_away_owners_link_and_keeps_the_survivors(
    client, retailer, owner, admin_user
):
    duplicate = factories.PetOwnerFactory(retailer=retailer, first_name="Maya", last_name="L")
    kept_link, duplicate_link = path_of(card_page_url(owner)), path_of(card_page_url(duplicate))
    merge_owners(duplicate=duplicate, keep=owner, actor=admin_user)
    assert client.get(duplicate_link).status_code == 404
    assert client.get(kept_link).status_code == 200
    duplicate.refresh_from_db()
    assert card_page_url(duplicate) == ""


def test_the_page_shows_nothing_of_another_owner_or_store(client, retailer, visit, owner):
    neighbour = factories.PetOwnerFactory(
        retailer=retailer, first_name="Zebediah", last_name="Quux"
    )
    factories.CardFactory(owner=neighbour, program_card=factories.enrolled_card(retailer))
    elsewhere = factories.RetailerFactory(name="Wrongway Feed Barn")
    stranger = factories.PetOwnerFactory(retailer=elsewhere, first_name="Ottoline", last_name="Vex")
    factories.CardFactory(owner=stranger)
    PointReward.objects.create(retailer=elsewhere, name="Barn Bonus Bone", points_required=1)
    award_sale_points(owner=stranger, subtotal=Decimal("999"), total=Decimal("999"))
    body = client.get(path_of(card_page_url(owner))).content.decode()
    for text in ("Zebediah", "Quux", "Wrongway", "Ottoline", "Vex", "Barn Bonus", "999"):
        assert text not in body, text
    assert client.get(path_of(card_page_url(stranger))).content.decode().count("Maya") == 0


def test_the_page_is_private_unindexed_and_writes_nothing(client, visit, owner):
    path = path_of(card_page_url(owner))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]
    assert writes == []
    assert not response.cookies  # no session, no CSRF cookie
    cache = response["Cache-Control"]
    assert "private" in cache and "no-store" in cache
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.content.decode()
    assert client.post(path).status_code == 405


def test_the_page_reads_a_fixed_number_of_queries(
    client, retailer, owner, django_assert_max_num_queries
):
    for _ in range(20):
        factories.CardFactory(owner=owner)
    PointReward.objects.create(retailer=retailer, name="Free toy", points_required=5)
    path = path_of(card_page_url(owner))
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for _ in range(20):
        factories.CardFactory(owner=owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).content.decode().count('class="card') >= 40


def test_sallys_page_works_for_the_stores_own_tests(client, retailer):
    sally = PetOwner.objects.get(retailer=retailer, is_test=True)
    body = client.get(path_of(card_page_url(sally))).content.decode()
    assert "Hi Sally" in body


def test_points_rewards_in_reach_and_the_next_one(client, retailer, owner):
    PointReward.objects.create(retailer=retailer, name="Free chew", points_required=50)
    PointReward.objects.create(retailer=retailer, name="Free bag", points_required=500)
    award_sale_points(owner=owner, subtotal=Decimal("80"), total=Decimal("80"))
    body = client.get(path_of(card_page_url(owner))).content.decode()
    assert 'id="points-balance">80<' in body
    assert "Free chew" in body
    assert "Free bag</strong> at 500 points, 420 to go" in body


# --- The staff's actions on the owner's page -----------------------------------------------


def test_a_cashier_makes_a_new_link_from_the_owners_page(cashier_client, client, owner):
    page = cashier_client.get(reverse("owner_detail", args=[owner.pk])).content.decode()
    old = card_page_url(owner)
    assert old in page and "New card link" in page
    response = cashier_client.post(reverse("card_link_rotate", args=[owner.pk]), follow=True)
    assert "The old link no longer works" in response.content.decode()
    assert client.get(path_of(old)).status_code == 404
    owner.refresh_from_db()
    assert card_page_url(owner) in response.content.decode()


def test_turning_the_link_off_from_the_owners_page(cashier_client, client, owner):
    old = card_page_url(owner)
    response = cashier_client.post(reverse("card_link_revoke", args=[owner.pk]), follow=True)
    assert "The card page link is off" in response.content.decode()
    assert client.get(path_of(old)).status_code == 404


def test_another_store_cannot_touch_our_owners_link(client, owner, other_retailer):
    client.force_login(factories.UserFactory(retailer=other_retailer, role="admin"))
    before = card_page_url(owner)
    assert client.post(reverse("card_link_rotate", args=[owner.pk])).status_code == 404
    assert client.post(reverse("card_link_revoke", args=[owner.pk])).status_code == 404
    owner.refresh_from_db()
    assert card_page_url(owner) == before
    assert client.get(reverse("card_link_rotate", args=[owner.pk])).status_code == 405


# --- The store's logo on its card pages ----------------------------------------------------


def png_upload(name="logo.png", size=(40, 20)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_admins_logo_tops_the_card_page_and_can_be_removed(
    admin_client, client, owner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("store_logo")
    saved = admin_client.post(url, {"logo": png_upload()}, follow=True)
    assert "Card page logo saved." in saved.content.decode()
    owner.retailer.refresh_from_db()
    assert owner.retailer.logo.name.startswith("logos/")
    page = client.get(path_of(card_page_url(owner))).content.decode()
    assert f'src="{owner.retailer.logo.url}"' in page
    admin_client.post(url, {"remove": "on"})
    page = client.get(path_of(card_page_url(owner))).content.decode()
    assert 'class="logo"' not in page


def test_a_logo_that_is_not_a_picture_is_refused_and_nothing_changes(admin_client, retailer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = admin_client.post(reverse("store_logo"), {"logo": fake})
    assert response.status_code == 422
    assert "Upload a valid image" in response.content.decode()
    retailer.refresh_from_db()
    assert not retailer.logo
    assert admin_client.post(reverse("store_logo"), {}).status_code == 422
