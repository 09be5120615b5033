"""The Paper Cards screens and Edit Card Notes through the client, as an admin or cashier acts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from loyalty.models import AuditEvent, Card, PaperImport, Purchase
from loyalty.tests import factories
from loyalty.tests.test_paper_import import HEADER


@pytest.fixture
def card(retailer):
    return factories.enrolled_card(retailer, required=10)


def post_file(client, content: bytes, **extra):
    upload = SimpleUploadedFile("cards.csv", content, content_type="text/csv")
    return client.post(reverse("paper_import"), {"file": upload, **extra})


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "The file is empty"),
        ("email;phone\nzoë;1\n".encode("cp1252"), "not UTF-8 text"),
        (b"name,points\nJane,5\n", "must be the template&#x27;s header"),
        (HEADER.encode(), "no cards"),
        (HEADER.encode() + b"x" * 2_000_001, "larger than 2 MB"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_keeps_nothing(admin_client, content, said):
    response = post_file(admin_client, content)
    assert response.status_code == 422
    assert said in response.content.decode()
    assert not PaperImport.objects.exists()


def test_preview_import_and_undo_through_the_screens(admin_client, retailer, card):
    jane = factories.PetOwnerFactory(retailer=retailer, email="jane@example.com", phone="5550101")
    body = f"{HEADER}jane@example.com,,,,{card.name},4,2024-01-02\n,,,Nobody,{card.name},1,\n"
    response = post_file(admin_client, body.encode(), create_owners="on")
    batch = PaperImport.objects.get()
    assert response.url == reverse("paper_import_batch", args=[batch.pk])
    page = admin_client.get(response.url).content.decode()
    assert "Import 1 card" in page and "Owner not found" in page
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    run = reverse("paper_import_run", args=[batch.pk])
    for _click in range(2):  # a double click imports once
        response = admin_client.post(run, {"fingerprint": fingerprint}, follow=True)
    assert "already imported" in response.content.decode()
    assert Purchase.objects.filter(card__owner=jane).count() == 4
    owner_page = admin_client.get(jane.get_absolute_url()).content.decode()
    assert "originally dated 2024-01-02" in owner_page and "4/10" in owner_page
    undo = reverse("paper_import_undo", args=[batch.pk])
    admin_client.post(undo)
    response = admin_client.post(undo, follow=True)
    assert "already undone" in response.content.decode()
    assert not Card.objects.filter(owner=jane).exists()


def test_the_template_names_one_of_the_stores_cards(admin_client, card):
    response = admin_client.get(reverse("paper_import_template"))
    lines = response.content.decode().splitlines()
    assert lines[0] == HEADER.strip()
    assert card.name in lines[1]


def test_a_cashier_cannot_open_paper_cards(cashier_client):
    assert cashier_client.get(reverse("paper_import")).status_code == 403
    assert cashier_client.get(reverse("paper_import_template")).status_code == 403


def test_a_cashier_edits_card_notes_and_the_change_is_audited(cashier_client, retailer):
    card = factories.CardFactory(owner=factories.PetOwnerFactory(retailer=retailer))
    url = reverse("card_notes", args=[card.pk])
    form = cashier_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Save Card Notes" in form
    response = cashier_client.post(
        url, {"notes": "Paper card: 3 punches, 2024-05-01"}, HTTP_HX_REQUEST="true"
    )
    assert "Card notes saved." in response.content.decode()
    cashier_client.post(url, {"notes": "Paper card: 3 punches, 2024-05-01"})  # same again
    card.refresh_from_db()
    assert card.notes == "Paper card: 3 punches, 2024-05-01"
    [event] = AuditEvent.objects.filter(action="card.notes_edited")
    assert event.data == {"before": "", "after": card.notes}
    page = cashier_client.get(card.owner.get_absolute_url()).content.decode()
    assert "Paper card: 3 punches, 2024-05-01" in page and "Edit Card Notes" in page


def test_another_stores_card_notes_answer_404(client, retailer, other_retailer):
    card = factories.CardFactory(owner=factories.PetOwnerFactory(retailer=retailer))
    client.force_login(factories.UserFactory(retailer=other_retailer, role="cashier"))
    url = reverse("card_notes", args=[card.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"notes": "hijack"}).status_code == 404
    card.refresh_from_db()
    assert card.notes == ""
