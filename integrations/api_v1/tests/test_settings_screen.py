"""Settings → POS API: an admin turns the API on, gets a key once, revokes it; the filter."""

import pytest
from django.urls import reverse

from integrations.api_v1.models import ApiCredential, ProductFilterCondition
from loyalty.models import AuditEvent
from loyalty.tests import factories

from .conftest import ApiCaller

pytestmark = pytest.mark.urls("integrations.api_v1.tests.urls")


def issue(admin_client, location, **extra):
    return admin_client.post(reverse("api_issue_key"), {"location": location.pk, **extra})


def test_an_admin_turns_the_api_on_and_sees_the_key_once(admin_client, retailer, location):
    page = admin_client.get(reverse("api_settings"))
    assert "The POS API is off" in page.content.decode()
    response = issue(admin_client, location, pos_system="pinogy")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    credential = ApiCredential.objects.get()
    html = response.content.decode()
    assert "Copy this API key now" in html and credential.username in html
    key = html.split('aria-label="API key"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert ApiCaller(admin_client, key).get("/api/v1/customers/?email=a@b.co").status_code == 200
    retailer.refresh_from_db()
    assert retailer.pos_integration == "pinogy"
    later = admin_client.get(reverse("api_settings")).content.decode()
    assert key not in later and credential.key_prefix in later
    assert AuditEvent.objects.filter(action="api.key_issued").count() == 1


def test_a_second_pos_integration_is_refused_with_an_explanation(admin_client, retailer, location):
    retailer.pos_integration = "lightspeed"
    retailer.save()
    assert "uses the Lightspeed Retail (redirect) integration" in (
        admin_client.get(reverse("api_settings")).content.decode()
    )
    response = issue(admin_client, location, pos_system="celerant")
    assert response.status_code == 422
    assert "one POS integration at a time" in response.content.decode()
    assert not ApiCredential.objects.exists()
    retailer.refresh_from_db()
    assert retailer.pos_integration == "lightspeed"


def test_the_pos_system_must_be_chosen_first(admin_client, location):
    response = issue(admin_client, location)
    assert response.status_code == 422
    assert "choose the POS system" in response.content.decode()


def test_revoking_a_key_stops_it_at_once(admin_client, retailer, location):
    html = issue(admin_client, location, pos_system="pinogy").content.decode()
    key = html.split('aria-label="API key"')[0].rsplit('value="', 1)[1].split('"')[0]
    credential = ApiCredential.objects.get()
    response = admin_client.post(reverse("api_revoke_key", args=[credential.pk]), follow=True)
    assert "Revoked the key" in response.content.decode()
    assert ApiCaller(admin_client, key).get("/api/v1/customers/?email=a@b.co").status_code == 401


def test_another_retailers_key_cannot_be_revoked(admin_client, other_retailer):
    from integrations.api_v1.credentials import issue_key

    other_retailer.pos_integration = "celerant"
    other_retailer.save()
    theirs = issue_key(location=factories.LocationFactory(retailer=other_retailer), actor=None)
    response = admin_client.post(reverse("api_revoke_key", args=[theirs.credential.pk]))
    assert response.status_code == 404
    assert ApiCredential.objects.get().is_active


def test_turning_the_api_off_revokes_every_key(admin_client, retailer, location):
    issue(admin_client, location, pos_system="pinogy")
    issue(admin_client, location)
    response = admin_client.post(reverse("api_disable"), follow=True)
    assert "2 key(s) revoked" in response.content.decode()
    assert not ApiCredential.objects.filter(revoked_at__isnull=True).exists()
    retailer.refresh_from_db()
    assert retailer.pos_integration == ""


def test_cashiers_get_403_on_every_api_settings_screen(cashier_client, location):
    urls = [
        reverse("api_settings"),
        reverse("api_product_filter", args=[location.pk]),
    ]
    assert [cashier_client.get(url).status_code for url in urls] == [403, 403]
    assert (
        cashier_client.post(reverse("api_issue_key"), {"location": location.pk}).status_code == 403
    )
    assert not ApiCredential.objects.exists()


def test_the_product_filter_reads_back_as_a_sentence(admin_client, location):
    url = reverse("api_product_filter", args=[location.pk])
    assert "Every customer is linked" in admin_client.get(url).content.decode()
    admin_client.post(url, {"field": "brand", "operator": "equal", "value": "Acana"})
    admin_client.post(url, {"join": "or", "field": "brand", "operator": "equal", "value": "Orijen"})
    page = admin_client.post(
        url,
        {"join": "and", "field": "category", "operator": "not_equal", "value": "Treats"},
        follow=True,
    )
    assert (
        "whose brand is Acana OR brand is Orijen AND category is not Treats."
        in page.content.decode()
    )
    first = ProductFilterCondition.objects.get(position=0)
    admin_client.post(url, {"remove": first.pk})
    rows = list(ProductFilterCondition.objects.values_list("position", "join", "value"))
    assert rows == [(0, "", "Orijen"), (1, "and", "Treats")]


def test_a_filter_condition_without_a_value_keeps_what_was_entered(admin_client, location):
    url = reverse("api_product_filter", args=[location.pk])
    response = admin_client.post(url, {"field": "category", "operator": "not_equal", "value": " "})
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required" in html or "Enter the brand" in html
    assert 'value="not_equal" selected' in html
    assert not ProductFilterCondition.objects.exists()


def test_another_retailers_location_filter_is_not_found(admin_client, other_retailer):
    elsewhere = factories.LocationFactory(retailer=other_retailer)
    url = reverse("api_product_filter", args=[elsewhere.pk])
    assert admin_client.get(url).status_code == 404
