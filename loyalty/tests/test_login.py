"""Logging in: straight back to where the user was going; repeated failures are throttled."""

from django.conf import settings
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


def test_spraying_30_usernames_once_each_from_one_address_is_throttled(client, db):
    """Issue 13: axes alone locks a username+address pair, so one try per username never
    locked anything. The address limit pauses every log-in from that address."""
    real = factories.UserFactory()
    answers = [
        client.post(
            reverse("login"),
            {"username": f"guess-{n}", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        for n in range(30)
    ]
    assert answers.count(429) == 30 - settings.LOGIN_ADDRESS_FAILURE_LIMIT + 1
    assert 429 not in answers[: settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1]
    paused = client.post(
        reverse("login"),
        {"username": real.username, "password": "pw-for-tests"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert paused.status_code == 429 and "from this network are paused" in paused.content.decode()
    elsewhere = client.post(
        reverse("login"),
        {"username": real.username, "password": "pw-for-tests"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert elsewhere.status_code == 302


def test_a_cashiers_occasional_typo_does_not_add_up_for_the_store(client, db):
    """A successful log-in clears that username's failures, so a shared register's address
    only reaches the limit with failures nobody followed with the right password."""
    users = [factories.UserFactory() for _ in range(3)]
    for _ in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        for user in users:
            client.post(reverse("login"), {"username": user.username, "password": "typo"})
            response = client.post(
                reverse("login"), {"username": user.username, "password": "pw-for-tests"}
            )
            assert response.status_code == 302
            client.logout()
