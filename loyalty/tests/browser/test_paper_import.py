"""Paper-card conversion in a real browser: an admin uploads 50 paper cards, 3 of them bad; the
preview names those three by row and reason, the 47 others import in one go, and Undo this
import puts every owner page's cards back exactly as they were (seed 002, S43)."""

import re

import pytest

from loyalty.models import Card, PetOwner, Purchase
from loyalty.services.card_notes import edit_card_notes
from loyalty.services.cards import add_purchases
from loyalty.tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "email,phone,first_name,last_name,program_card,punches,original_dates"
BAD = {
    7: ("Blue Buffalo Puppy", "Unknown program card “Blue Buffalo Puppy”"),
    23: ("ghost", "Owner not found"),
    41: ("too many", "15 punches are more than the card holds (12)."),
}


@pytest.fixture
def store(retailer, admin_user):
    """Two cards the store converts; 40 pet owners, ten of them with Acana punches already."""
    acana = factories.enrolled_card(retailer, required=12)
    acana.program.name, acana.name = "Acana Dog", "Large bags"
    acana.program.save()
    acana.save()
    orijen = factories.enrolled_card(retailer, required=10)
    orijen.program.name, orijen.name = "Orijen Cat", "Small bags"
    orijen.program.save()
    orijen.save()
    owners = [
        factories.PetOwnerFactory(
            retailer=retailer,
            first_name=f"Owner{i}",
            last_name="Paper",
            email=f"owner{i}@example.com",
            phone=f"(555) 02{i:02d}-1000",
        )
        for i in range(40)
    ]
    for owner in owners[:10]:
        add_purchases(owner=owner, program_card=acana, quantity=5)
    for owner in owners[:3]:
        edit_card_notes(card=owner.cards.get(), notes="Gold customer", actor=admin_user)
    return owners


def paper_csv(owners) -> str:
    good = []
    for i, owner in enumerate(owners):
        punches = 8 if i < 10 else 1 + i % 11  # the first ten complete their card and spill
        if i < 20:  # matched by email
            who = f"{owner.email.upper()},,,"
        elif i < 30:  # by the phone's digits, however written
            who = f",555.02{i:02d}.1000,,"
        else:  # by the exact name
            who = f",,{owner.first_name.lower()},PAPER"
        good.append(f"{who},Acana Dog — Large bags,{punches},2024-0{1 + i % 9}-1{i % 10}")
    good += [
        f"{o.email},,,,orijen cat small bags,3,03/0{n + 1}/2024" for n, o in enumerate(owners[:4])
    ]
    good += [f"new{n}@example.com,,New{n},Customer,Large bags,2," for n in range(3)]
    bad = {
        7: "owner1@example.com,,,,Blue Buffalo Puppy,2,",
        23: ",,Ghost,Person,Large bags,2,",
        41: "owner2@example.com,,,,Large bags,15,",
    }
    lines, rows = [HEADER], iter(good)
    for number in range(2, 52):
        lines.append(bad[number] if number in bad else next(rows))
    return "\n".join(lines) + "\n"


def card_section(page, live_server, owner) -> str:
    page.goto(f"{live_server.url}/owners/{owner.pk}/")
    cards = page.locator(
        "section.panel", has=page.get_by_role("heading", name="Frequent Buyer Cards")
    )
    return cards.inner_html()


def test_fifty_paper_cards_three_bad_preview_import_and_undo(
    page, screenshot, live_server, store, admin_user
):
    page.goto(f"{live_server.url}/paper-cards/")
    log_in(page, admin_user)
    page.get_by_role("heading", name="Paper Cards").wait_for()
    before = {owner.pk: card_section(page, live_server, owner) for owner in store}
    assert "5/12" in before[store[0].pk] and "Gold customer" in before[store[0].pk]

    page.goto(f"{live_server.url}/paper-cards/")
    screenshot("paper-01-upload")
    page.get_by_label("Paper cards file (CSV)").set_input_files(
        files=[
            {"name": "paper-cards.csv", "mimeType": "text/csv", "buffer": paper_csv(store).encode()}
        ]
    )
    page.get_by_label(re.compile("Create pet owners not found")).check()
    page.get_by_role("button", name="Preview").click()

    page.get_by_role("heading", name="Preview").wait_for()
    assert (
        "47 cards will be imported, with 3 new pet owners" in page.locator("#preview").inner_text()
    )
    bad = page.locator("#bad-rows tbody tr")
    assert bad.count() == 3
    for index, (number, (_what, reason)) in enumerate(sorted(BAD.items())):
        text = bad.nth(index).inner_text()
        assert text.startswith(str(number)) and reason in text, text
    assert page.locator("#good-rows tbody tr").count() == 47
    screenshot("paper-02-preview")
    assert not Purchase.objects.filter(paper_import_row__isnull=False).exists()

    page.get_by_role("button", name="Import 47 cards").click()
    page.get_by_text("Imported 47 paper cards; 3 rows skipped.").wait_for()
    screenshot("paper-03-imported")
    assert PetOwner.objects.filter(email__startswith="new").count() == 3
    assert (
        Purchase.objects.filter(paper_import_row__isnull=False).count()
        == sum(8 if i < 10 else 1 + i % 11 for i in range(40)) + 4 * 3 + 3 * 2
    )
    converted = card_section(page, live_server, store[0])
    assert converted != before[store[0].pk]
    assert "Gold customer" in converted and "originally dated 2024-01-10" in converted
    screenshot("paper-04-owner-page-converted")

    batch_url = page.url if "/paper-cards/" in page.url else None
    page.goto(f"{live_server.url}/paper-cards/")
    page.get_by_role("link", name="paper-cards.csv").click()
    assert batch_url is None or page.url == batch_url
    page.get_by_role("button", name="Undo this import").click()
    page.get_by_text("Import undone").wait_for()
    assert "3 pet owner(s) it created were removed" in page.locator(".messages").inner_text()
    screenshot("paper-05-undone")
    page.get_by_role("button", name="Undo this import").wait_for(state="detached")

    after = {owner.pk: card_section(page, live_server, owner) for owner in store}
    assert after == before
    assert not PetOwner.objects.filter(email__startswith="new").exists()
    assert not Purchase.objects.filter(paper_import_row__isnull=False).exists()
    assert Card.objects.filter(owner__in=store).count() == 10

    # Edit Card Notes in place on the owner page (htmx), as the seeds have the dates recorded.
    page.goto(f"{live_server.url}/owners/{store[0].pk}/")
    page.get_by_role("link", name="Edit Card Notes").click()
    notes = page.get_by_label(re.compile("^Card notes of card"))
    assert notes.input_value() == "Gold customer"
    notes.fill("Gold customer\nPaper card: 4 punches 2023-11-02")
    page.get_by_role("button", name="Save Card Notes").click()
    page.get_by_text("Card notes saved.").wait_for()
    assert "Paper card: 4 punches 2023-11-02" in page.locator(".card-notes-text").inner_text()
    screenshot("paper-06-card-notes-saved")
