"""Issue 13, finding 7: a strict CSP on every page, and shared registers time out when idle."""

import time

import pytest
from django.urls import reverse

from loyalty.security.session_idle import LAST_SEEN

STRICT = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
}


def policy(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.mark.parametrize(
    "path",
    ["/login/", "/owners/", "/api/v1/docs/", "/api/v1/ping/", "/no-such-page/", "/admin/login/"],
)
def test_every_kind_of_page_carries_the_strict_policy(admin_client, path):
    response = admin_client.get(path)
    assert STRICT <= policy(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_no_template_has_inline_script_handlers_or_styles():
    """What the policy would block, caught before a browser sees it."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", re.I)
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_a_register_idle_past_the_timeout_is_logged_out_and_comes_back(
    settings, cashier_client, retailer
):
    sally = retailer.pet_owners.get(is_test=True)
    page = reverse("owner_detail", args=[sally.pk])
    assert cashier_client.get(page).status_code == 200
    _age_session(cashier_client, settings.SESSION_IDLE_TIMEOUT + 60)
    response = cashier_client.get(page, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={page}"
    assert "logged out after 12 hours without activity" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_activity_within_the_timeout_keeps_the_register_logged_in(settings, cashier_client):
    _age_session(cashier_client, settings.SESSION_IDLE_TIMEOUT - 60)
    assert cashier_client.get(reverse("owner_search")).status_code == 200
    # The visit counted as activity: the clock starts again.
    assert time.time() - cashier_client.session[LAST_SEEN] < 5


def test_an_htmx_click_after_the_timeout_loads_the_login_page_whole(settings, cashier_client):
    _age_session(cashier_client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = cashier_client.get(reverse("owner_search"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_the_session_cookie_lasts_no_longer_than_the_idle_timeout(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 12 * 3600 == settings.SESSION_COOKIE_AGE
