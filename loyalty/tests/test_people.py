"""Users and locations: adding cashiers, passwords, deactivation, POS settings (SPEC §1)."""

import pytest
from django.urls import reverse

from loyalty.errors import DomainError
from loyalty.models import AuditEvent, Location, User
from loyalty.services.staff import set_user_active
from loyalty.tests import factories

HX = {"HTTP_HX_REQUEST": "true"}
GOOD_PASSWORD = "correct-horse-battery-9"


def new_cashier(location, **values):
    data = {
        "username": "jess",
        "first_name": "Jess",
        "last_name": "Cole",
        "email": "jess@example.com",
        "home_location": location.pk,
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    return {**data, **values}


def location_data(**values):
    data = {"name": "Main Street", "address": "12 Main St", "pos_shop_id": "1"}
    return {**data, "pos_return_url": "https://us.merchantos.com/register", **values}


def test_the_users_page_lists_the_stores_users_only(admin_client, admin_user, cashier_user):
    stranger = factories.UserFactory(retailer=factories.RetailerFactory(), username="stranger")
    page = admin_client.get(reverse("users")).content.decode()
    assert admin_user.username in page and cashier_user.username in page
    assert stranger.username not in page


@pytest.mark.parametrize(
    "name", ["users", "user_create", "locations", "location_create", "points_settings"]
)
def test_a_cashier_gets_403_on_every_admin_screen(cashier_client, name):
    response = cashier_client.get(reverse(name))
    assert response.status_code == 403
    assert "Only an admin" in response.content.decode()


def test_an_admin_adds_a_cashier_who_can_log_in(admin_client, client, retailer, location):
    response = admin_client.post(reverse("user_create"), new_cashier(location))
    assert response.status_code == 302
    user = User.objects.get(username="jess")
    assert (user.retailer, user.role, user.home_location) == (retailer, "cashier", location)
    assert AuditEvent.objects.filter(action="user.created", target_id=str(user.pk)).exists()
    assert GOOD_PASSWORD not in str(AuditEvent.objects.values_list("data", flat=True))
    admin_client.logout()
    logged_in = client.post(reverse("login"), {"username": "jess", "password": GOOD_PASSWORD})
    assert logged_in.status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "This password is entirely numeric."),
        ("abc", "This password is too short."),
        ("password", "This password is too common."),
        ("jess@example", "The password is too similar to the email address."),
    ],
)
def test_a_weak_password_is_refused_and_saves_nothing(admin_client, location, password, message):
    data = new_cashier(location, password1=password, password2=password)
    response = admin_client.post(reverse("user_create"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert 'value="jess@example.com"' in page  # what was typed stays
    assert not User.objects.filter(username="jess").exists()


def test_a_duplicate_username_is_refused_whatever_the_case(admin_client, location, cashier_user):
    data = new_cashier(location, username=cashier_user.username.upper())
    response = admin_client.post(reverse("user_create"), data)
    assert response.status_code == 422
    assert "That username is taken. Pick another one." in response.content.decode()
    assert User.objects.filter(username__iexact=cashier_user.username).count() == 1


def test_another_retailers_location_cannot_be_a_home_location(admin_client, other_retailer):
    theirs = factories.LocationFactory(retailer=other_retailer)
    response = admin_client.post(reverse("user_create"), new_cashier(theirs))
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="jess").exists()


def test_an_admin_resets_a_password_and_the_old_one_stops_working(
    admin_client, client, cashier_user
):
    url = reverse("user_password", args=[cashier_user.pk])
    assert "in person or by phone" in admin_client.get(url).content.decode()
    data = {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    assert admin_client.post(url, data).status_code == 302
    cashier_user.refresh_from_db()
    assert cashier_user.check_password(GOOD_PASSWORD)
    assert not cashier_user.check_password("pw-for-tests")
    assert AuditEvent.objects.filter(action="user.password_reset").exists()


def test_a_weak_new_password_is_refused(admin_client, cashier_user):
    url = reverse("user_password", args=[cashier_user.pk])
    response = admin_client.post(url, {"new_password1": "1234", "new_password2": "1234"})
    assert response.status_code == 422
    assert "This password is too short." in response.content.decode()
    cashier_user.refresh_from_db()
    assert cashier_user.check_password("pw-for-tests")


def test_another_retailers_user_is_404(admin_client, other_retailer):
    theirs = factories.UserFactory(retailer=other_retailer)
    assert admin_client.get(reverse("user_password", args=[theirs.pk])).status_code == 404
    response = admin_client.post(reverse("user_toggle", args=[theirs.pk]), {"is_active": "0"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_a_deactivated_user_cannot_log_in_and_is_logged_out(admin_client, cashier_user):
    from django.test import Client

    counter = Client()
    counter.force_login(cashier_user)
    url = reverse("user_toggle", args=[cashier_user.pk])
    row = admin_client.post(url, {"is_active": "0"}, **HX).content.decode()
    assert "Deactivated" in row and "Reactivate" in row
    assert AuditEvent.objects.filter(action="user.deactivated").exists()
    assert counter.get(reverse("owner_search")).status_code == 302  # sent to the login page
    fresh = Client()
    data = {"username": cashier_user.username, "password": "pw-for-tests"}
    assert fresh.post(reverse("login"), data).status_code == 200  # the form again, no session
    assert "_auth_user_id" not in fresh.session
    admin_client.post(url, {"is_active": "1"})
    assert fresh.post(reverse("login"), data).status_code == 302


def test_an_admin_cannot_deactivate_themself(admin_client, admin_user):
    url = reverse("user_toggle", args=[admin_user.pk])
    response = admin_client.post(url, {"is_active": "0"}, **HX)
    assert response.status_code == 422
    assert "You cannot deactivate your own login" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_last_active_admin_cannot_be_deactivated(retailer, admin_user):
    # Two admins deactivating each other: the second one must lose.
    second = factories.UserFactory(retailer=retailer, role="admin")
    set_user_active(user=second, is_active=False, actor=admin_user)
    with pytest.raises(DomainError, match="last active admin"):
        set_user_active(user=admin_user, is_active=False, actor=second)
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_locations_show_the_button_url_to_copy(admin_client, location):
    page = admin_client.get(reverse("locations")).content.decode()
    assert f"http://testserver/pos/lightspeed/{location.button_token}/" in page
    assert location.name in page


def test_an_admin_adds_a_location(admin_client, retailer):
    response = admin_client.post(reverse("location_create"), location_data())
    assert response.status_code == 302
    location = Location.objects.get(retailer=retailer, name="Main Street")
    assert (location.pos_shop_id, location.pos_return_url) == (
        "1",
        "https://us.merchantos.com/register",
    )
    assert AuditEvent.objects.filter(action="location.created").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/",
        "http://us.merchantos.com/",
        "https://lightspeedapp.com@evil.com/",
        "https://evil-merchantos.com/",
    ],
)
def test_a_bad_return_url_is_refused_and_saves_nothing(admin_client, location, url):
    edit = reverse("location_edit", args=[location.pk])
    response = admin_client.post(edit, location_data(pos_return_url=url))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Use an https:// address on one of these hosts" in page
    assert "Main Street" in page  # the form keeps what was typed
    location.refresh_from_db()
    assert location.pos_return_url == "" and location.name != "Main Street"


def test_a_location_name_already_used_is_refused(admin_client, retailer, location):
    factories.LocationFactory(retailer=retailer, name="Main Street")
    edit = reverse("location_edit", args=[location.pk])
    response = admin_client.post(edit, location_data())
    assert response.status_code == 422
    assert "Another location of your store already has that name." in response.content.decode()


def test_editing_a_location_is_audited_with_before_and_after(admin_client, location):
    old_name = location.name
    edit = reverse("location_edit", args=[location.pk])
    assert admin_client.post(edit, location_data()).status_code == 302
    location.refresh_from_db()
    assert location.name == "Main Street"
    event = AuditEvent.objects.get(action="location.changed")
    assert event.data["before"]["name"] == old_name
    assert event.data["after"]["pos_shop_id"] == "1"


def test_another_retailers_location_is_404(admin_client, other_retailer):
    theirs = factories.LocationFactory(retailer=other_retailer, name="Theirs")
    edit = reverse("location_edit", args=[theirs.pk])
    assert admin_client.get(edit).status_code == 404
    assert admin_client.post(edit, location_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
