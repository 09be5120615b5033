"""A store set up for the outage tests, and the two callers that use it over real HTTP: the
cashier's browser (login, then Redeem Selected Items) and the POS (a sale, then a redemption).

Every step produces one distributor report: the cashier's redemption, the BOGO offer on the
POS's sale and the POS's redemption, so "each report arrives exactly once" can be counted.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from http.cookies import SimpleCookie

import httpx
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from integrations.api_v1.credentials import issue_key
from loyalty.models import Card, Offer
from loyalty.models.cards import CardStatus
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories

PASSWORD = "outage-test-password-7"  # noqa: S105 - a test login
# Production settings see every request as HTTPS behind the load balancer's header.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class Answer:
    status: int
    seconds: float
    body: str
    content_type: str
    request_id: str

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Browser:
    """A cashier's browser over plain HTTP behind a TLS-terminating proxy: it keeps Secure
    cookies itself (a cookie jar would not send them over http://)."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {**PROXY_HEADERS, "Origin": f"https://{self.base_url.split('//')[1]}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return headers | (extra or {})

    def send(self, method: str, path: str, **kwargs) -> Answer:
        headers = self._headers(kwargs.pop("headers", None))
        headers.setdefault("X-Request-ID", uuid.uuid4().hex)
        started = time.monotonic()
        try:
            response = httpx.request(
                method, self.base_url + path, headers=headers, timeout=30, **kwargs
            )
        except httpx.TransportError as exc:
            return Answer(0, time.monotonic() - started, repr(exc), "", headers["X-Request-ID"])
        seconds = time.monotonic() - started
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(
            response.status_code,
            seconds,
            response.text,
            response.headers.get("content-type", ""),
            response.headers.get("x-request-id", ""),
        )

    def log_in(self, username: str) -> None:
        page = self.send("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert page.status == 200 and token, page.body[:500]
        data = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
        answer = self.send("POST", "/login/", data=data)
        assert answer.status == 302, answer.body[:500]


@dataclass
class Step:
    """What one outage phase does: the cashier's redemption and the POS's sale and redemption."""

    visit_id: int
    web_card_id: int
    item_id: int
    pos_customer_id: str
    api_card_number: str
    sale_id: str


class OutageStore:
    """A retailer on the POS API whose manufacturer program and BOGO offer report to the
    receiver sandbox at `receiver_url`."""

    def __init__(self, receiver_url: str) -> None:
        self.retailer = factories.RetailerFactory(name="Outage Pets", pos_integration="pinogy")
        self.location = factories.LocationFactory(retailer=self.retailer)
        self.cashier = factories.UserFactory(
            retailer=self.retailer, role="cashier", home_location=self.location
        )
        # Production's hasher: the test settings' fast one is not on its list.
        hasher = PBKDF2PasswordHasher()
        self.cashier.password = hasher.encode(PASSWORD, hasher.salt())
        self.cashier.save()
        self.api_key = issue_key(location=self.location, actor=None).key
        distributor = factories.DistributorFactory(
            delivery_method="https",
            endpoint_url=receiver_url,
            signing_secret=settings.DISTRIBUTOR_SANDBOX_SECRET,
        )
        self.program_card = factories.ProgramCardFactory(purchases_required=1)
        factories.EnrollmentFactory(
            retailer=self.retailer, program=self.program_card.program, distributor=distributor
        )
        self.offer_item = factories.ItemFactory(description="Acana Puppy 25 lb")
        offer = Offer.objects.create(
            name="Acana BOGO",
            kind="bogo",
            manufacturer=factories.ManufacturerFactory(name="Champion"),
            starts_at=timezone.now() - timedelta(days=10),
        )
        offer.qualifying_items.add(self.offer_item)
        offer.retailers.add(self.retailer)
        factories.EnrollmentFactory(
            retailer=self.retailer,
            program=factories.ProgramFactory(manufacturer=offer.manufacturer),
            distributor=distributor,
        )

    def _complete_card(self, owner) -> Card:
        card = Card.objects.create(
            retailer=self.retailer,
            owner=owner,
            program_card=self.program_card,
            status=CardStatus.COMPLETE,
        )
        card.purchases.create(retailer=self.retailer, item=self.program_card.qualifying_items.get())
        return card

    def step(self, name: str) -> Step:
        """Fresh owners, cards and a visit for one phase, so each phase reports anew."""
        walk_in = factories.PetOwnerFactory(retailer=self.retailer)
        web_card = self._complete_card(walk_in)
        visit = factories.VisitFactory(owner=walk_in, location=self.location)
        linked = factories.PetOwnerFactory(retailer=self.retailer)
        customer_id = f"C-{name}"
        link_pos_customer(
            owner=linked, pos_system="pinogy", pos_customer_id=customer_id, actor=None
        )
        api_card = self._complete_card(linked)
        return Step(
            visit_id=visit.pk,
            web_card_id=web_card.pk,
            item_id=self.program_card.redeemable_items.get().pk,
            pos_customer_id=customer_id,
            api_card_number=api_card.card_number,
            sale_id=f"S-{name}",
        )

    def sale_body(self, step: Step) -> dict:
        price, quantity = Decimal("20.00"), 2
        return {
            "pos_sale_id": step.sale_id,
            "pos_customer_id": step.pos_customer_id,
            "completed_at": timezone.now().isoformat(),
            "subtotal": str(price * quantity),
            "total": str(price * quantity),
            "lines": [
                {
                    "line_id": "1",
                    "upc": self.offer_item.upc,
                    "description": self.offer_item.description,
                    "quantity": quantity,
                    "unit_price": str(price),
                }
            ],
        }


def cashier_redeems(browser: Browser, step: Step) -> Answer:
    """Redeem Selected Items on the Finish screen, as htmx sends it."""
    return browser.send(
        "POST",
        f"/visits/{step.visit_id}/redeem/",
        data={f"card_{step.web_card_id}": str(step.item_id)},
        headers={"HX-Request": "true"},
    )


def pos_posts_sale(pos: Browser, key: str, store: OutageStore, step: Step) -> Answer:
    return pos.send(
        "POST",
        "/api/v1/sales/",
        json=store.sale_body(step),
        headers={"Authorization": f"Api-Key {key}"},
    )


def pos_redeems(pos: Browser, key: str, step: Step) -> Answer:
    body = {
        "pos_customer_id": step.pos_customer_id,
        "card_id": step.api_card_number,
        "item_id": step.item_id,
    }
    return pos.send(
        "POST", "/api/v1/redemptions/", json=body, headers={"Authorization": f"Api-Key {key}"}
    )
