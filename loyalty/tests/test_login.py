"""Logging in: straight back to where the user was going; repeated failures are throttled."""

from django.test import override_settings
from django.urls import reverse

from loyalty.tests import factories


def test_logging_in_returns_to_the_page_asked_for(client, cashier_user, retailer):
    sally = retailer.pet_owners.get(is_test=True)
    target = reverse("owner_detail", args=[sally.pk])
    login_page = client.get(target, follow=True)
    assert "Log in to Astro" in login_page.content.decode()
    response = client.post(
        reverse("login"),
        {"username": cashier_user.username, "password": "pw-for-tests", "next": target},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == target
    assert "Sally Pet Owner" in response.content.decode()


def test_a_wrong_password_says_so(client, cashier_user):
    response = client.post(
        reverse("login"), {"username": cashier_user.username, "password": "nope"}
    )
    assert "didn't match" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_login_for_a_while(client, db):
    user = factories.UserFactory()
    for _ in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": user.username, "password": "pw-for-tests"}
    )
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_the_demo_login_page_names_the_demo_logins_only_with_the_sandbox_on(client, db, settings):
    page = client.get("/login/").content.decode()
    assert "demo-cashier" in page and "astro-cashier-demo" in page
    settings.POS_SANDBOX_ENABLED = False  # production
    page = client.get("/login/").content.decode()
    assert "demo-cashier" not in page and "Demo store" not in page
