"""Customer Lookup's owner search: what it finds on any database, and on PostgreSQL that it
reads the trigram indexes (SPEC §3, §9) rather than every owner of the store."""

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from loyalty.models import PetOwner
from loyalty.models.owners import phone_digits
from loyalty.selectors.owners import search_owners, search_statement
from loyalty.tests import factories


def names(owners) -> list[str]:
    return [owner.full_name for owner in owners]


def test_search_finds_a_part_of_a_name_an_email_or_phone_digits(retailer, other_retailer):
    factories.PetOwnerFactory(
        retailer=retailer, first_name="Dana", last_name="Whitfield", phone="(555) 867-5309"
    )
    factories.PetOwnerFactory(
        retailer=retailer, first_name="Kim", last_name="Lee", email="Kim.Lee@Example.com"
    )
    factories.PetOwnerFactory(retailer=other_retailer, first_name="Dana", last_name="Whitfield")
    assert names(search_owners(retailer=retailer, text="itfie")) == ["Dana Whitfield"]
    assert names(search_owners(retailer=retailer, text="LEE@exam")) == ["Kim Lee"]
    assert names(search_owners(retailer=retailer, text="867-53")) == ["Dana Whitfield"]
    assert search_owners(retailer=retailer, text="nobody by that name") == []


def orms_search(retailer, text: str, limit: int = 50) -> list[PetOwner]:
    """The search as Django's lookups write it, to hold the hand-written statement to."""
    query = (
        Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
        | Q(email_normalized__icontains=text.lower())
    )
    if len(digits := phone_digits(text)) >= 3:
        query |= Q(phone_digits__contains=digits)
    owners = PetOwner.objects.filter(retailer=retailer, merged_into__isnull=True).filter(query)
    return list(owners.order_by("last_name", "first_name")[:limit])


def test_the_search_finds_what_djangos_lookups_find_for_awkward_texts(retailer, other_retailer):
    kept = factories.PetOwnerFactory(retailer=retailer, first_name="Ann", last_name="Merged")
    factories.PetOwnerFactory(
        retailer=retailer, first_name="Ann", last_name="Merged", merged_into=kept
    )
    people = [
        ("100%", "Pure", "pure@example.com", "555-100-0001"),
        ("Under_score", "O'Brien", "o_brien@example.com", "(555) 010-2233"),
        ("Back\\slash", "Zoë", "zoe@example.com", ""),
        ("Bea", "Adams", "bea.adams@example.com", "555.010.2299"),
        ("Al", "Adams", "al@example.com", "+1 555 010 2200"),
    ]
    for first, last, email, phone in people:
        factories.PetOwnerFactory(
            retailer=retailer, first_name=first, last_name=last, email=email, phone=phone
        )
    factories.PetOwnerFactory(retailer=other_retailer, first_name="Bea", last_name="Adams")
    texts = ["%", "_", "0%", "r_s", "\\", "o'b", "ZOË", "adams", "@example", "010-22", "55", "ann"]
    texts += ["Bea Adams", "Adams bea", "pure pure@"]  # across two fields: not a field's text
    for text in texts:
        ours = search_owners(retailer=retailer, text=text, limit=3)
        assert names(ours) == names(orms_search(retailer, text, limit=3)), text
    assert names(search_owners(retailer=retailer, text="%")) == ["100% Pure"]
    assert names(search_owners(retailer=retailer, text="ann")) == ["Ann Merged"]
    assert search_owners(retailer=retailer, text="Bea Adams") == []


def test_no_text_lists_sally_first_then_owners_in_name_order(retailer):
    for first, last in [("Zoe", "Adams"), ("Al", "Young"), ("Bea", "Adams")]:
        factories.PetOwnerFactory(retailer=retailer, first_name=first, last_name=last)
    listed = search_owners(retailer=retailer, text="  ", limit=3)
    assert names(listed) == ["Sally Pet Owner", "Bea Adams", "Zoe Adams"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's (CI runs this)"
)
def test_on_postgresql_the_search_reads_the_trigram_indexes(retailer):
    # Enough owners that reading every one of them costs more than the index, committed and
    # vacuumed as a live table's would be (a GIN index's pending entries then count as read).
    PetOwner.objects.bulk_create(
        PetOwner(retailer=retailer, first_name=f"Bench{n}", last_name="Owner")
        for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE loyalty_petowner")
    for text, index in [
        ("Whitfield", "loyalty_owner_text_trgm"),
        ("kim.lee@", "loyalty_owner_text_trgm"),
        ("867-5309", "loyalty_owner_phone_digits_trgm"),
    ]:
        sql, params = search_statement(retailer=retailer, text=text)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert index in plan, plan


def test_the_lookup_reads_the_same_queries_for_one_match_or_fifty(
    cashier_client, retailer, django_assert_num_queries
):
    PetOwner.objects.bulk_create(
        PetOwner(retailer=retailer, first_name=f"Bench{n}", last_name="Owner") for n in range(60)
    )
    for text, found in [("Bench7", 1), ("Bench", 50)]:  # one owner; the page's limit
        # Session, the user with the store (page header), the owners.
        with django_assert_num_queries(3):
            page = cashier_client.get(
                reverse("owner_search"), {"q": text}, headers={"HX-Request": "true"}
            )
        assert page.content.decode().count('class="button"') == found


def test_each_row_shows_the_owner_as_text_and_links_to_their_page(cashier_client, retailer):
    # The rows are a Jinja2 fragment: a name is escaped as the page's own text is, the phone
    # is shown as the store reads it, and both links go to that owner's page.
    owner = factories.PetOwnerFactory(
        retailer=retailer,
        first_name="<b>Dana</b>",
        last_name="O'Brien",
        email="dana@example.com",
        phone="5558675309",
    )
    for headers in ({"HX-Request": "true"}, {}):
        page = cashier_client.get(reverse("owner_search"), {"q": "brien"}, headers=headers)
        html = page.content.decode()
        assert "<b>Dana</b>" not in html
        assert "&lt;b&gt;Dana&lt;/b&gt; O&#39;Brien" in html
        assert "(555) 867-5309" in html
        assert html.count(f'href="{owner.get_absolute_url()}"') == 2
    sally = PetOwner.objects.get(retailer=retailer, is_test=True)  # every store has her
    html = cashier_client.get(reverse("owner_search"), {"q": "Sally"}).content.decode()
    assert f'{sally.full_name}</a> <span class="tag">test account</span>' in html
