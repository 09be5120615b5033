"""Pet owner administration: edit, merge duplicates, card history (admins only)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from loyalty.errors import DomainError
from loyalty.models import (
    AuditEvent,
    Card,
    CashBackEntry,
    CashBackPlan,
    Pet,
    PetOwner,
    PointsEntry,
    PosLink,
    PrepaidPackage,
    PrepaidPlan,
    Program,
    Purchase,
    Visit,
)
from loyalty.models.cards import COUNTED_STATES
from loyalty.services.cards import add_purchases
from loyalty.services.merge import MergeCounts, merge_owners
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def kept(retailer):
    return factories.PetOwnerFactory(retailer=retailer, first_name="Ann", last_name="Lee")


@pytest.fixture
def duplicate(retailer):
    return factories.PetOwnerFactory(
        retailer=retailer, first_name="Anne", last_name="Lee", email="", phone="555 777 8888"
    )


@pytest.fixture
def sally(retailer):
    return retailer.pet_owners.get(is_test=True)


def counted(owner):
    return Purchase.objects.filter(card__owner=owner, state__in=COUNTED_STATES).count()


def give_everything(retailer, owner, location):
    """One of each thing an owner can have, so a merge has all of it to move."""
    program = Program.objects.create(kind="prepaid", name="Wash club", retailer=retailer)
    plan = PrepaidPlan.objects.create(program=program, visits=5, price=Decimal("50"))
    PrepaidPackage.objects.create(retailer=retailer, owner=owner, plan=plan, visits_total=6)
    program = Program.objects.create(kind="cash_back", name="Cash back", retailer=retailer)
    cash = CashBackPlan.objects.create(program=program, percent=Decimal("5"))
    CashBackEntry.objects.create(retailer=retailer, owner=owner, plan=cash, amount=Decimal("2.5"))
    PosLink.objects.create(
        retailer=retailer, owner=owner, pos_system="lightspeed", pos_customer_id="8"
    )
    PointsEntry.objects.create(retailer=retailer, owner=owner, kind="earned", points=40)
    Visit.objects.create(retailer=retailer, owner=owner, location=location)
    Pet.objects.create(retailer=retailer, owner=owner, name="Rex", species="dog")


def merge_post(client, owner, other, keep="this"):
    url = reverse("owner_merge", args=[owner.pk])
    return client.post(url, {"other": other.pk, "keep": keep})


# --- Edit ---------------------------------------------------------------------------------


def edit_data(owner, **values):
    data = {
        "owner-first_name": owner.first_name,
        "owner-last_name": owner.last_name,
        "owner-email": owner.email,
        "owner-phone": owner.phone,
        "owner-address_line": "",
        "owner-city": "",
        "owner-state": "",
        "owner-postal_code": "",
        "pets-TOTAL_FORMS": "1",
        "pets-INITIAL_FORMS": "0",
        "pets-0-name": "",
        "pets-0-species": "",
    }
    return {**data, **values}


def test_an_admin_edits_an_owner_and_adds_a_pet_audited_before_and_after(admin_client, kept):
    data = edit_data(kept, **{"owner-last_name": "Leigh", "pets-0-name": "Biscuit"})
    data.update({"pets-0-species": "cat", "owner-marketing_consent": "on"})
    response = admin_client.post(reverse("owner_edit", args=[kept.pk]), data)
    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.last_name, kept.marketing_consent) == ("Leigh", True)
    assert list(kept.pets.values_list("name", "species")) == [("Biscuit", "cat")]
    event = AuditEvent.objects.get(action="owner.edited")
    assert event.data["before"]["last_name"] == "Lee"
    assert event.data["after"]["last_name"] == "Leigh"
    assert event.data["after"]["pets"] == ["Biscuit (cat)"]


def test_an_admin_removes_a_pet(admin_client, kept, retailer):
    pet = Pet.objects.create(retailer=retailer, owner=kept, name="Rex", species="dog")
    data = edit_data(kept, **{"pets-TOTAL_FORMS": "2", "pets-INITIAL_FORMS": "1"})
    data.update({"pets-0-id": pet.pk, "pets-0-name": "Rex", "pets-0-owner": kept.pk})
    data.update({"pets-0-DELETE": "on", "pets-1-name": "", "pets-1-species": ""})
    response = admin_client.post(reverse("owner_edit", args=[kept.pk]), data)
    assert response.status_code == 302
    assert not Pet.objects.filter(pk=pet.pk).exists()


def test_an_edit_without_email_or_phone_is_refused_and_keeps_the_typing(admin_client, kept):
    data = edit_data(kept, **{"owner-email": "", "owner-phone": "", "owner-first_name": "Annie"})
    response = admin_client.post(reverse("owner_edit", args=[kept.pk]), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter an email or a mobile phone" in page
    assert 'value="Annie"' in page
    kept.refresh_from_db()
    assert kept.first_name == "Ann"
    assert not AuditEvent.objects.filter(action="owner.edited").exists()


def test_owner_admin_screens_are_for_admins_of_the_store(cashier_client, kept, other_retailer):
    for name in ("owner_edit", "owner_merge", "owner_history"):
        assert cashier_client.get(reverse(name, args=[kept.pk])).status_code == 403


def test_another_retailers_owner_is_404(admin_client, other_retailer):
    theirs = factories.PetOwnerFactory(retailer=other_retailer)
    for name in ("owner_edit", "owner_merge", "owner_history"):
        assert admin_client.get(reverse(name, args=[theirs.pk])).status_code == 404


def test_the_owner_page_shows_admin_links_to_admins_only(admin_client, client, kept, cashier_user):
    page = admin_client.get(kept.get_absolute_url()).content.decode()
    assert reverse("owner_edit", args=[kept.pk]) in page
    assert reverse("owner_merge", args=[kept.pk]) in page
    assert reverse("owner_history", args=[kept.pk]) in page
    client.force_login(cashier_user)
    assert (
        reverse("owner_edit", args=[kept.pk])
        not in client.get(kept.get_absolute_url()).content.decode()
    )


# --- Merge --------------------------------------------------------------------------------


def test_the_merge_screen_finds_the_duplicate_and_previews_what_moves(
    admin_client, kept, duplicate, retailer, location
):
    give_everything(retailer, duplicate, location)
    url = reverse("owner_merge", args=[kept.pk])
    found = admin_client.get(url, {"q": "Lee"}, **HX).content.decode()
    assert "Anne Lee" in found and "Choose this account" in found
    page = admin_client.get(url, {"other": duplicate.pk}).content.decode()
    assert "Merge Anne Lee into Ann Lee" in page
    assert "1 POS link" in page and "40 points" in page and "1 pre-paid package" in page
    assert "Keep Anne Lee instead" in page
    assert PetOwner.objects.get(pk=duplicate.pk).merged_into is None  # a preview changes nothing


def test_merge_moves_everything_and_nothing_counts_twice(
    admin_client, kept, duplicate, retailer, location
):
    program_card = factories.enrolled_card(retailer, required=3)
    other_card = factories.enrolled_card(retailer, required=2)
    add_purchases(owner=kept, program_card=program_card, quantity=2)
    add_purchases(owner=duplicate, program_card=program_card, quantity=2)
    add_purchases(owner=duplicate, program_card=other_card, quantity=2)  # complete...
    card = Card.objects.get(owner=duplicate, program_card=other_card)
    redeem_card(card=card, item_id=other_card.redeemable_items.get().pk)
    give_everything(retailer, duplicate, location)
    before = counted(kept) + counted(duplicate)

    response = merge_post(admin_client, kept, duplicate)

    assert response.status_code == 302
    assert counted(kept) == before == 6
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    for relation in PetOwner._meta.related_objects:  # nothing is left behind on the duplicate
        if relation.get_accessor_name() != "merged_duplicates":
            assert not getattr(duplicate, relation.get_accessor_name()).exists(), relation
    # 2 + 2 punches on a card of 3: one complete card and one open card with 1 punch.
    cards = Card.objects.filter(owner=kept, program_card=program_card).annotate(
        n=Count("purchases")
    )
    assert sorted((c.status, c.n) for c in cards) == [("complete", 3), ("open", 1)]
    assert Card.objects.get(owner=kept, program_card=other_card).status == "redeemed"
    assert sum(kept.points_entries.values_list("points", flat=True)) == 40
    assert kept.phone == "(555) 123-4567"  # the kept owner's data wins
    event = AuditEvent.objects.get(action="owner.merged")
    assert event.data["duplicate_id"] == duplicate.pk
    assert event.data["moved"]["pos_links"] == 1


def test_a_merged_owner_leaves_search_and_its_pages_lead_to_the_kept_one(
    admin_client, kept, duplicate
):
    merge_post(admin_client, kept, duplicate)
    found = admin_client.get(reverse("owner_search"), {"q": "Lee"}, **HX).content.decode()
    assert "Ann Lee" in found and "Anne Lee" not in found
    response = admin_client.get(reverse("owner_history", args=[duplicate.pk]))
    assert response.url == reverse("owner_history", args=[kept.pk])


def test_keeping_the_other_owner_merges_this_one_into_it(admin_client, kept, duplicate):
    merge_post(admin_client, kept, duplicate, keep="other")
    kept.refresh_from_db()
    assert kept.merged_into == duplicate
    duplicate.refresh_from_db()
    assert duplicate.email == kept.email  # a blank filled from the merged owner


def test_merging_sally_is_refused_and_changes_nothing(admin_client, kept, sally):
    add_purchases(owner=kept, program_card=factories.enrolled_card(kept.retailer), quantity=1)
    for owner, other in ((kept, sally), (sally, kept)):
        response = merge_post(admin_client, owner, other)
        assert response.status_code == 422
        assert "Sally Pet Owner is the test account and cannot be merged." in (
            response.content.decode()
        )
    assert not PetOwner.objects.filter(merged_into__isnull=False).exists()
    assert counted(kept) == 1 and counted(sally) == 0


def test_merging_an_owner_with_itself_is_refused(admin_client, kept):
    response = merge_post(admin_client, kept, kept)
    assert response.status_code == 422
    assert "an owner cannot be merged with itself" in response.content.decode()
    kept.refresh_from_db()
    assert kept.merged_into is None


def test_merging_another_retailers_owner_is_refused(admin_client, kept, other_retailer):
    theirs = factories.PetOwnerFactory(retailer=other_retailer, last_name="Lee")
    response = merge_post(admin_client, kept, theirs)
    assert response.status_code == 422
    assert "That pet owner is not one of your store’s accounts" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.merged_into is None and theirs.retailer == other_retailer
    with pytest.raises(DomainError, match="must belong to your store"):
        merge_owners(duplicate=theirs, keep=kept, actor=None)


def test_a_second_merge_of_the_same_duplicate_is_refused(admin_client, kept, duplicate):
    merge_post(admin_client, kept, duplicate)
    response = merge_post(admin_client, kept, duplicate)
    assert response.status_code == 422
    assert "merged already" in response.content.decode()


# --- History ------------------------------------------------------------------------------


def test_history_lists_redeemed_cards_with_purchases_and_rewards(
    admin_client, kept, retailer, location, django_assert_max_num_queries
):
    program_card = factories.enrolled_card(retailer, required=2)
    item = program_card.qualifying_items.get()
    add_purchases(owner=kept, program_card=program_card, quantity=3, item=item, location=location)
    done = Card.objects.get(owner=kept, status="complete")
    redemption = redeem_card(card=done, item_id=item.pk)
    for _ in range(5):
        add_purchases(owner=kept, program_card=factories.enrolled_card(retailer), quantity=2)
    with django_assert_max_num_queries(10):
        page = admin_client.get(reverse("owner_history", args=[kept.pk])).content.decode()
    assert done.card_number in page and "Redeemed" in page
    assert redemption.reward_id in page
    # Each card's punches of one sale read as one row with their quantity, and the reward.
    assert page.count(item.description) == 3
    assert "<td>2</td>" in page and "Remove Only" in page and "Remove and Reselect" in page
    assert location.name in page


# --- Concurrency (PostgreSQL) -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_admins_merging_the_pair_both_ways_at_once_merge_it_once():
    retailer = factories.RetailerFactory()
    first = factories.PetOwnerFactory(retailer=retailer)
    second = factories.PetOwnerFactory(retailer=retailer)
    program_card = factories.enrolled_card(retailer, required=3)
    add_purchases(owner=first, program_card=program_card, quantity=2)
    add_purchases(owner=second, program_card=program_card, quantity=2)
    admin = factories.UserFactory(retailer=retailer, role="admin")
    pairs = [(first, second), (second, first)] * 2
    barrier = threading.Barrier(len(pairs))
    results: list = [None] * len(pairs)

    def run(i: int) -> None:
        duplicate, keep = (PetOwner.objects.get(pk=o.pk) for o in pairs[i])
        try:
            barrier.wait(timeout=10)
            results[i] = merge_owners(duplicate=duplicate, keep=keep, actor=admin)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(pairs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sum(isinstance(r, MergeCounts) for r in results) == 1
    assert all(isinstance(r, (MergeCounts, DomainError)) for r in results), results
    survivor = PetOwner.objects.get(retailer=retailer, is_test=False, merged_into__isnull=True)
    assert counted(survivor) == 4
    assert Card.objects.filter(owner=survivor, status="open").count() == 1
