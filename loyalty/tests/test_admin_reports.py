"""Reports (SPEC §7): redemption history, custom program participation and the points ledger,
as an admin uses them; cashiers and other stores kept out; a fixed number of queries."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from loyalty.models import (
    Card,
    CashBackEntry,
    CashBackPlan,
    DistributorReport,
    PointsEntry,
    PrepaidPackage,
    PrepaidPlan,
    PrepaidUse,
    Program,
    Purchase,
    Redemption,
    Visit,
)
from loyalty.tests import factories

HX = {"HTTP_HX_REQUEST": "true"}
REDEMPTIONS = reverse("report_redemptions")
REDEMPTIONS_CSV = reverse("report_redemptions_csv")
PARTICIPATION = reverse("report_participation")
PARTICIPATION_CSV = reverse("report_participation_csv")


def days_ago(days: int, hour: int = 12):
    moment = timezone.localtime() - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def redeem(program_card, owner, *, at=None, location=None, cashier=None, punches=1, undone=False):
    """A card of `owner` with its punches, redeemed at `at` (default: 2 days ago)."""
    at = at or days_ago(2)
    card = Card.objects.create(
        retailer=owner.retailer,
        owner=owner,
        program_card=program_card,
        status="redeemed",
        completed_at=at,
    )
    Purchase.objects.bulk_create(
        Purchase(retailer=owner.retailer, card=card, location=location, purchased_at=at)
        for _ in range(punches)
    )
    return Redemption.objects.create(
        retailer=owner.retailer,
        card=card,
        item=program_card.redeemable_items.first(),
        location=location,
        cashier=cashier,
        redeemed_at=at,
        undone_at=at if undone else None,
    )


def custom_card(retailer, name="Groom 6 get 1", required=6):
    program = Program.objects.create(kind="buy_x_get_y", name=name, retailer=retailer)
    item = factories.ItemFactory(retailer=retailer, description=f"{name} item")
    return factories.ProgramCardFactory(program=program, purchases_required=required, items=[item])


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def program_card(retailer):
    return factories.enrolled_card(retailer, required=3)


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer, first_name="Ann", last_name="Lee")


# --- Redemption history ----------------------------------------------------------------------


def test_an_admin_sees_redemptions_with_totals_and_nothing_of_sally_or_undone(
    admin_client, retailer, program_card, owner, location, admin_user
):
    shown = redeem(program_card, owner, location=location, cashier=admin_user, punches=3)
    sally = retailer.pet_owners.get(is_test=True)
    hidden = [redeem(program_card, sally, punches=3), redeem(program_card, owner, undone=True)]
    page = admin_client.get(REDEMPTIONS).content.decode()
    assert shown.reward_id in page and shown.card.card_number in page
    assert "Ann Lee" in page and location.name in page and admin_user.username in page
    assert program_card.program.name in page and shown.item.description in page
    assert all(redemption.reward_id not in page for redemption in hidden)
    assert '<strong id="total-redemptions">1</strong>' in page
    assert '<strong id="total-punches">4</strong>' in page  # the undone card's punch still counts


def test_the_range_defaults_to_the_last_30_days_and_can_be_widened(
    admin_client, program_card, owner
):
    old = redeem(program_card, owner, at=days_ago(40))
    assert old.reward_id not in admin_client.get(REDEMPTIONS).content.decode()
    start = (timezone.localdate() - timedelta(days=45)).isoformat()
    page = admin_client.get(REDEMPTIONS, {"start": start}).content.decode()
    assert old.reward_id in page and f'value="{start}"' in page


def test_program_location_and_distributor_narrow_the_rows(
    admin_client, retailer, program_card, owner, location
):
    other_location = factories.LocationFactory(retailer=retailer, name="Second Street")
    here = redeem(program_card, owner, location=location)
    there = redeem(program_card, owner, location=other_location)
    custom = redeem(custom_card(retailer), owner, location=location)
    enrollment = retailer.enrollments.get(program=program_card.program)
    DistributorReport.objects.create(
        retailer=retailer, distributor=enrollment.distributor, kind="redemption", redemption=here
    )

    def ids(**query):
        page = admin_client.get(REDEMPTIONS, query).content.decode()
        return {r.reward_id for r in (here, there, custom) if r.reward_id in page}

    assert ids(location=location.pk) == {here.reward_id, custom.reward_id}
    assert ids(program=program_card.program.pk) == {here.reward_id, there.reward_id}
    assert ids(distributor=enrollment.distributor.pk) == {here.reward_id}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01"}, "is after"),
        ({"start": "last tuesday"}, "“last tuesday” is not a date"),
        ({"end": "2026-02-30"}, "is not a date"),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "two years or less"),
        ({"program": "all"}, "Pick the program from the list."),
    ],
)
def test_bad_dates_get_a_message_and_show_nothing(
    admin_client, program_card, owner, query, message
):
    redemption = redeem(program_card, owner)
    for headers in ({}, HX):
        response = admin_client.get(REDEMPTIONS, query, **headers)
        page = response.content.decode()
        assert response.status_code == 422 and message in page
        assert redemption.reward_id not in page and "<svg" not in page
    csv_response = admin_client.get(REDEMPTIONS_CSV, query)
    assert csv_response.status_code == 422 and message in csv_response.content.decode()


def test_the_form_keeps_what_was_typed_when_it_fails(admin_client):
    page = admin_client.get(REDEMPTIONS, {"start": "2026-13-01", "end": "2026-01-31"})
    assert 'value="2026-13-01"' in page.content.decode()
    assert 'value="2026-01-31"' in page.content.decode()


def test_another_stores_program_shows_nothing_of_theirs(
    admin_client, other_retailer, program_card, owner
):
    mine = redeem(program_card, owner)
    theirs_card = custom_card(other_retailer, name="Their Wash Club")
    theirs = redeem(theirs_card, factories.PetOwnerFactory(retailer=other_retailer))
    response = admin_client.get(REDEMPTIONS, {"program": theirs_card.program.pk})
    page = response.content.decode()
    assert "not one of your programs" in page
    assert theirs.reward_id not in page and mine.reward_id not in page
    assert "Their Wash Club" not in page
    assert theirs.reward_id not in admin_client.get(REDEMPTIONS).content.decode()


def test_htmx_gets_only_the_results_region(admin_client, program_card, owner):
    redemption = redeem(program_card, owner)
    page = admin_client.get(REDEMPTIONS, **HX).content.decode()
    assert page.lstrip().startswith('<div id="results">') and "<html" not in page
    assert redemption.reward_id in page


def test_going_back_in_the_browser_gets_the_whole_page(admin_client):
    restore = {**HX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    page = admin_client.get(REDEMPTIONS, **restore).content.decode()
    assert "<html" in page and 'id="results"' in page


def test_the_chart_is_an_accessible_svg_per_day_or_per_week(admin_client, program_card, owner):
    redeem(program_card, owner, at=days_ago(3), punches=3)
    page = admin_client.get(REDEMPTIONS).content.decode()
    assert '<svg viewBox="0 0 720 240" role="img"' in page
    assert '<title id="chart-title">Punches and redemptions per day</title>' in page
    assert "Total over 30 days: Punches 3, Redemptions 1." in page
    day = timezone.localdate() - timedelta(days=3)
    assert f"<title>{day:%b} {day.day}, {day.year}, Punches: 3</title>" in page
    year = {"start": (timezone.localdate() - timedelta(days=364)).isoformat()}
    yearly = admin_client.get(REDEMPTIONS, year).content.decode()
    assert (
        "per week</title>" in yearly and "Total over 53 weeks: Punches 3, Redemptions 1." in yearly
    )


def test_csv_streams_the_same_filtered_rows(
    admin_client, retailer, other_retailer, program_card, owner, location, admin_user
):
    mine = redeem(program_card, owner, location=location, cashier=admin_user)
    redeem(custom_card(retailer), owner)  # another program: filtered out below
    redeem(custom_card(other_retailer), factories.PetOwnerFactory(retailer=other_retailer))
    response = admin_client.get(REDEMPTIONS_CSV, {"program": program_card.program.pk})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:3] == ["redeemed at", "reward id", "pet owner"]
    assert [row[1] for row in rows[1:]] == [mine.reward_id]
    assert rows[1][2] == "Ann Lee" and rows[1][5] == mine.card.card_number
    assert rows[1][3:5] == [program_card.program.name, program_card.name]
    assert rows[1][6:] == [mine.item.description, mine.item.upc, location.name, admin_user.username]


def test_the_table_is_paginated_by_100(admin_client, retailer, program_card, owner):
    bulk_redemptions(retailer, program_card, owner, 101)
    first = admin_client.get(REDEMPTIONS).content.decode()
    assert first.count('class="redemption-row"') == 100 and "Page 1 of 2" in first
    second = admin_client.get(REDEMPTIONS, {"page": 2}).content.decode()
    assert second.count('class="redemption-row"') == 1


def bulk_redemptions(retailer, program_card, owner, count: int) -> None:
    at = days_ago(1)
    cards = Card.objects.bulk_create(
        Card(retailer=retailer, owner=owner, program_card=program_card, status="redeemed")
        for _ in range(count)
    )
    item = program_card.redeemable_items.first()
    Purchase.objects.bulk_create(
        Purchase(retailer=retailer, card=card, purchased_at=at) for card in cards
    )
    Redemption.objects.bulk_create(
        Redemption(retailer=retailer, card=card, item=item, reward_id=f"R-B{n:08d}", redeemed_at=at)
        for n, card in enumerate(cards)
    )


@pytest.mark.parametrize("count", [1, 500])
def test_redemption_pages_run_a_fixed_number_of_queries(
    admin_client, retailer, program_card, owner, django_assert_num_queries, count
):
    bulk_redemptions(retailer, program_card, owner, count)
    # Session, the user with the store; programs, locations, distributors; count, rows; two
    # aggregates.
    with django_assert_num_queries(9):
        assert admin_client.get(REDEMPTIONS).status_code == 200
    with django_assert_num_queries(6):
        rows = csv_rows(admin_client.get(REDEMPTIONS_CSV))
    assert len(rows) == count + 1


# --- Custom Program Participation ------------------------------------------------------------


@pytest.fixture
def custom_programs(retailer, owner, location, admin_user):
    """A Buy X Get Y, a Pre-Paid Membership and a Cash Back program with some activity."""
    groom = custom_card(retailer, name="Groom Club", required=2)
    redeem(groom, owner, location=location, punches=2)
    second = factories.PetOwnerFactory(retailer=retailer, first_name="Bo")
    card = Card.objects.create(retailer=retailer, owner=second, program_card=groom)
    Purchase.objects.create(retailer=retailer, card=card, location=location)

    wash = Program.objects.create(kind="prepaid", name="Wash Pass", retailer=retailer)
    plan = PrepaidPlan.objects.create(
        program=wash, visits=5, bonus_visits=1, price=Decimal("50"), visit_description="A wash"
    )
    package = PrepaidPackage.objects.create(
        retailer=retailer, owner=owner, plan=plan, visits_total=6, visits_used=2
    )
    visit = Visit.objects.create(retailer=retailer, location=location, owner=owner)
    for _ in range(2):
        PrepaidUse.objects.create(retailer=retailer, package=package, visit=visit)

    back = Program.objects.create(kind="cash_back", name="Treat Money", retailer=retailer)
    cash_plan = CashBackPlan.objects.create(program=back, percent=Decimal("5"))
    for person, amount in ((owner, "2.50"), (second, "1.25"), (owner, "-3.00")):
        CashBackEntry.objects.create(
            retailer=retailer, owner=person, plan=cash_plan, amount=Decimal(amount), visit=visit
        )
    sally = retailer.pet_owners.get(is_test=True)
    redeem(groom, sally, location=location, punches=2)
    CashBackEntry.objects.create(
        retailer=retailer, owner=sally, plan=cash_plan, amount=Decimal("9.99")
    )
    return groom.program, wash, back


def cells(page: str, program) -> list[str]:
    """The text of each cell of a program's row."""
    row = page.split(f'id="program-{program.pk}"', 1)[1].split("</tr>", 1)[0]
    return [re.sub(r"<[^>]+>", "", "<td" + cell).strip() for cell in row.split("<td")[1:]]


def test_participation_counts_each_kind_of_activity(admin_client, custom_programs):
    groom, wash, back = custom_programs
    page = admin_client.get(PARTICIPATION).content.decode()
    # participants, punches, cards completed, redemptions, packages, visits, accrued, redeemed
    assert cells(page, groom)[1:] == ["2", "3", "1", "1", "—", "—", "—", "—"]
    assert cells(page, wash)[1:] == ["1", "—", "—", "—", "1", "2", "—", "—"]
    assert cells(page, back)[1:] == ["2", "—", "—", "—", "—", "—", "$3.75", "$3.00"]
    assert "<svg" in page and "Total over 30 days: Punches 3, Redemptions 1." in page


def test_participation_by_location_and_program(admin_client, retailer, location, custom_programs):
    groom, wash, back = custom_programs
    elsewhere = factories.LocationFactory(retailer=retailer, name="Elsewhere")
    page = admin_client.get(PARTICIPATION, {"location": elsewhere.pk}).content.decode()
    assert cells(page, groom)[1:5] == ["0", "0", "0", "0"]
    assert cells(page, wash)[1:] == ["0", "—", "—", "—", "—", "0", "—", "—"]
    assert cells(page, back)[1:] == ["0", "—", "—", "—", "—", "—", "$0.00", "$0.00"]
    assert "not recorded per location" in page
    here = admin_client.get(PARTICIPATION, {"location": location.pk}).content.decode()
    assert cells(here, groom)[1:5] == ["2", "3", "1", "1"]
    assert cells(here, wash)[1:] == ["1", "—", "—", "—", "—", "2", "—", "—"]
    assert cells(here, back)[1:] == ["2", "—", "—", "—", "—", "—", "$3.75", "$3.00"]
    only = admin_client.get(PARTICIPATION, {"program": back.pk}).content.decode()
    assert f'id="program-{back.pk}"' in only and f'id="program-{groom.pk}"' not in only


def test_participation_leaves_out_other_stores_and_old_activity(
    admin_client, retailer, other_retailer, custom_programs
):
    groom = custom_programs[0]
    theirs = custom_card(other_retailer, name="Their Club")
    redeem(theirs, factories.PetOwnerFactory(retailer=other_retailer))
    page = admin_client.get(PARTICIPATION).content.decode()
    assert "Their Club" not in page
    refused = admin_client.get(PARTICIPATION, {"program": theirs.program.pk})
    assert "not one of your programs" in refused.content.decode()
    earlier = {"start": "2020-01-01", "end": "2020-12-31"}
    old = admin_client.get(PARTICIPATION, earlier).content.decode()
    assert cells(old, groom)[1:5] == ["0", "0", "0", "0"]


def test_participation_csv(admin_client, custom_programs):
    groom = custom_programs[0]
    rows = csv_rows(admin_client.get(PARTICIPATION_CSV))
    assert rows[0][:3] == ["program", "kind", "participants"]
    assert rows[1] == ["Groom Club", "Buy X Get Y", "2", "3", "1", "1", "", "", "", ""]
    assert rows[3] == ["Wash Pass", "Pre-Paid Membership", "1", "", "", "", "1", "2", "", ""]
    assert rows[2][-2:] == ["3.75", "3.00"]
    assert {row[0] for row in rows[1:]} == {groom.name, "Wash Pass", "Treat Money"}


def test_a_store_without_custom_programs_is_told_so(admin_client):
    page = admin_client.get(PARTICIPATION).content.decode()
    assert "no custom programs yet" in page


@pytest.mark.parametrize("count", [1, 500])
def test_participation_runs_a_fixed_number_of_queries(
    admin_client, retailer, owner, django_assert_num_queries, count
):
    bulk_redemptions(retailer, custom_card(retailer), owner, count)
    # Session, the user with the store; programs, locations; participants, completed cards,
    # packages, visits used, cash back; two aggregates for punches and redemptions.
    with django_assert_num_queries(11):
        assert admin_client.get(PARTICIPATION).status_code == 200


# --- Points ledger ---------------------------------------------------------------------------


def add_points(owner, points: int, *, days: int, kind="manual", by=None, note=""):
    return PointsEntry.objects.create(
        retailer=owner.retailer,
        owner=owner,
        kind=kind,
        points=points,
        created_by=by,
        note=note,
        created_at=days_ago(days),
    )


def test_the_ledger_lists_entries_newest_first_with_the_running_balance(
    admin_client, owner, admin_user, cashier_user, location
):
    add_points(owner, 40, days=3, kind="earned")
    visit = Visit.objects.create(
        retailer=owner.retailer, owner=owner, cashier=cashier_user, location=location
    )
    PointsEntry.objects.create(
        retailer=owner.retailer, owner=owner, kind="earned", points=25, visit=visit,
        created_at=days_ago(2),
    )  # fmt: skip
    add_points(owner, -15, days=1, by=admin_user, note="Damaged bag")
    page = admin_client.get(reverse("points_ledger", args=[owner.pk])).content.decode()
    rows = page.split('class="ledger-row"')[1:]
    assert ["Damaged bag" in rows[0], "+25" in rows[1], "+40" in rows[2]] == [True] * 3
    assert [row.split('class="num">')[2].split("<")[0] for row in rows] == ["50", "65", "40"]
    assert admin_user.username in rows[0] and cashier_user.username in rows[1]
    assert '<strong id="points-balance">50</strong>' in page


def test_ledger_csv_and_another_stores_owner_is_404(admin_client, owner, other_retailer):
    add_points(owner, 10, days=2, kind="earned")
    add_points(owner, -4, days=1, note="Correction")
    rows = csv_rows(admin_client.get(reverse("points_ledger_csv", args=[owner.pk])))
    assert rows[0] == ["date", "kind", "points", "balance", "note", "who", "location"]
    assert [(row[2], row[3], row[4]) for row in rows[1:]] == [
        ("-4", "6", "Correction"),
        ("10", "10", ""),
    ]
    theirs = factories.PetOwnerFactory(retailer=other_retailer)
    add_points(theirs, 99, days=1)
    for name in ("points_ledger", "points_ledger_csv"):
        assert admin_client.get(reverse(name, args=[theirs.pk])).status_code == 404


def test_the_reports_page_finds_an_owner_and_links_to_the_ledger(
    admin_client, owner, other_retailer
):
    factories.PetOwnerFactory(retailer=other_retailer, first_name="Ann", last_name="Leeson")
    page = admin_client.get(reverse("points_ledger_search"), {"q": "Lee"}).content.decode()
    assert reverse("points_ledger", args=[owner.pk]) in page and "Leeson" not in page
    assert "Points ledger" in admin_client.get(REDEMPTIONS).content.decode()
    nobody = admin_client.get(reverse("points_ledger_search"), {"q": "Zed"}, **HX)
    assert "No pet owner matches “Zed”" in nobody.content.decode()


@pytest.mark.parametrize("count", [1, 500])
def test_the_ledger_runs_a_fixed_number_of_queries(
    admin_client, owner, admin_user, django_assert_num_queries, count
):
    entry = {"retailer": owner.retailer, "owner": owner, "kind": "manual", "created_by": admin_user}
    PointsEntry.objects.bulk_create(PointsEntry(points=1, **entry) for _ in range(count))
    # Session, the user with the store, owner; balance, count, rows.
    with django_assert_num_queries(6):
        admin_client.get(reverse("points_ledger", args=[owner.pk]))


# --- Who may look ----------------------------------------------------------------------------


def test_cashiers_get_403_on_every_report(cashier_user, owner):
    cashier = Client()
    cashier.force_login(cashier_user)
    urls = [REDEMPTIONS, REDEMPTIONS_CSV, PARTICIPATION, PARTICIPATION_CSV]
    urls += [reverse("points_ledger_search")]
    urls += [reverse(name, args=[owner.pk]) for name in ("points_ledger", "points_ledger_csv")]
    for url in urls:
        response = cashier.get(url)
        assert response.status_code == 403 and "Only an admin" in response.content.decode()


def test_logged_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(REDEMPTIONS)
    assert response.status_code == 302 and "login" in response["Location"]
