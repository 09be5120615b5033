"""Every admin screen, walked by URL: a cashier gets 403, another store's admin gets 404 for
every object of ours (SPEC §1), and neither changes anything.

The URLs come from the resolver, so a new admin screen is covered the day it is added; a new
kind of id in a URL fails here until the test knows how to make one.
"""

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver

from integrations.api_v1.credentials import issue_key
from loyalty.models import (
    AuditEvent,
    Card,
    DistributorReport,
    Location,
    PetOwner,
    PointReward,
    Program,
    Redemption,
    User,
)
from loyalty.services.owners import ensure_test_owner
from loyalty.services.sales import start_visit
from loyalty.tests import factories


def admin_routes(patterns=None):
    """(name, path parameters) of every view behind `admin_required`."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_routes(pattern.url_patterns)
        elif getattr(pattern.callback, "admin_only", False):
            yield pattern.name, list(pattern.pattern.converters)


ROUTES = sorted(admin_routes())


def store_objects(retailer) -> dict:
    """One object of each kind an admin URL names, all belonging to `retailer`."""
    location = factories.LocationFactory(retailer=retailer)
    owner = factories.PetOwnerFactory(retailer=retailer)
    card = factories.enrolled_card(retailer, required=1)
    custom = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    factories.ProgramCardFactory(program=custom, purchases_required=5)
    cashier = factories.UserFactory(retailer=retailer, role="cashier", home_location=location)
    visit = start_visit(
        retailer=retailer,
        owner=ensure_test_owner(retailer),
        location=location,
        cashier=cashier,
        pos_system="lightspeed",
        pos_sale_id=f"sale-{uuid.uuid4().hex[:8]}",
        subtotal=None,
        total=None,
    )
    enrollment = retailer.enrollments.get(program=card.program)
    redemption = _redemption(retailer, card, owner)
    report = DistributorReport.objects.create(
        retailer=retailer,
        distributor=enrollment.distributor,
        redemption=redemption,
        account_number="ACCT-1",
        state="failed",
    )
    return {
        "owner_id": owner.pk,
        "program_id": custom.pk,
        "enrollment_id": enrollment.pk,
        "item_id": factories.ItemFactory(retailer=retailer).pk,
        "user_id": cashier.pk,
        "location_id": location.pk,
        "reward_id": PointReward.objects.create(
            retailer=retailer, name="Free toy", points_required=100
        ).pk,
        "visit_id": visit.pk,
        "report_id": report.pk,
        "credential_id": issue_key(
            location=location, actor=None, pos_system="pinogy"
        ).credential.pk,
        "kind": "buy-x-get-y",
        "redemption_id": redemption.pk,
        "action": "remove",
        "batch_id": _paper_import(retailer, owner, card).pk,
    }


def _paper_import(retailer, owner, program_card):
    """An imported paper-card batch (the owner's card), so Undo has something to take back."""
    from loyalty.selectors.paper_import import batch_preview
    from loyalty.services.paper_import import import_paper_batch, upload_paper_file

    admin = factories.UserFactory(retailer=retailer, role="admin")
    header = "email,phone,first_name,last_name,program_card,punches,original_dates\n"
    batch = upload_paper_file(
        retailer=retailer,
        actor=admin,
        filename="cards.csv",
        data=f"{header}{owner.email},,,,{program_card.name},1,\n".encode(),
        create_owners=False,
    )
    fingerprint = batch_preview(batch=batch).fingerprint
    return import_paper_batch(batch=batch, actor=admin, fingerprint=fingerprint).batch


def _redemption(retailer, program_card, owner):
    card = Card.objects.create(
        retailer=retailer, owner=owner, program_card=program_card, status="redeemed"
    )
    return Redemption.objects.create(
        retailer=retailer, card=card, item=program_card.redeemable_items.get()
    )


def url_for(name, params, objects):
    missing = [p for p in params if p not in objects]
    assert not missing, f"{name}: teach this test to make a {missing} for the URL"
    return reverse(name, kwargs={p: objects[p] for p in params})


def test_the_walk_finds_the_admin_screens():
    names = {name for name, _ in ROUTES}
    expected = {"users", "custom_programs", "available_programs", "points_settings"}
    assert expected <= names and len(names) > 20


@pytest.fixture
def ours(retailer):
    return store_objects(retailer)


@pytest.mark.parametrize(("name", "params"), ROUTES, ids=[name for name, _ in ROUTES])
def test_a_cashier_gets_403_on_every_admin_screen(cashier_client, ours, name, params):
    url = url_for(name, params, ours)
    audits = AuditEvent.objects.count()
    get = cashier_client.get(url)
    post = cashier_client.post(url, {"name": "Hijack", "active": "0"})
    assert get.status_code == 403, url
    assert post.status_code == 403, url
    assert "Only an admin of this store" in post.content.decode()
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize(
    ("name", "params"),
    [(name, params) for name, params in ROUTES if set(params) - {"kind"}],
    ids=[name for name, params in ROUTES if set(params) - {"kind"}],
)
def test_another_stores_admin_gets_404_for_each_of_our_objects(
    client, ours, other_retailer, name, params
):
    client.force_login(factories.UserFactory(retailer=other_retailer, role="admin"))
    url = url_for(name, params, ours)
    audits = AuditEvent.objects.count()
    get = client.get(url)
    post = client.post(url, {"name": "Hijack", "active": "0", "password1": "x"})
    assert get.status_code in (404, 405), url  # 405: a POST-only action
    assert post.status_code == 404, url
    assert AuditEvent.objects.count() == audits


def list_pages(client) -> str:
    """The text of every admin screen without an id in its URL, as the logged-in admin sees it."""
    pages = []
    for name in [name for name, params in ROUTES if not params]:
        if name.startswith("lightspeed_") and name != "lightspeed_connect":
            continue  # the OAuth round trip, not a list (tested in integrations/lightspeed)
        if name.endswith("_preview"):
            continue  # a POST-only preview of a form
        response = client.get(reverse(name), follow=True)
        if response.status_code == 405:
            continue  # a POST-only action, walked by the tests above
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages.append(body.decode())
    return "\n".join(pages)


def test_another_stores_admin_sees_none_of_our_rows_on_the_list_screens(
    client, retailer, ours, other_retailer
):
    ours_by_name = [
        PetOwner.objects.get(pk=ours["owner_id"]).last_name,
        User.objects.get(pk=ours["user_id"]).username,
        Program.objects.get(pk=ours["program_id"]).name,
        Location.objects.get(pk=ours["location_id"]).name,
        "Free toy",
    ]
    client.force_login(factories.UserFactory(retailer=retailer, role="admin"))
    seen_by_us = list_pages(client)
    assert all(text in seen_by_us for text in ours_by_name)  # the lists do show them
    client.force_login(factories.UserFactory(retailer=other_retailer, role="admin"))
    seen_by_them = list_pages(client)
    assert [text for text in ours_by_name if text in seen_by_them] == []


def test_no_template_comment_spills_onto_the_admin_pages(admin_client):
    """Django's {# #} comments end at the line's end: a multi-line one shows as text."""
    page = admin_client.get(reverse("users")).content.decode()
    assert "{#" not in page and "#}" not in page
    templates = Path(settings.BASE_DIR) / "templates"
    spilling = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if any("{#" in line and "#}" not in line for line in path.read_text().splitlines())
    ]
    assert spilling == []
