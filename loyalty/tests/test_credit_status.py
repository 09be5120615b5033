"""Distributor credit status (SPEC §6): the signed callback, fix and resubmit, the totals on
Redemption Reports, and the credit file. The receiver sandbox end to end is in
test_credit_status_sandbox.py."""

import json
import re
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from integrations.distributors.client import sign
from loyalty.models import AuditEvent, DistributorReport, ReportStatusChange
from loyalty.services.distributor_reports.payloads import report_payload
from loyalty.tests import factories
from loyalty.tests.test_report_screen import make_report

pytestmark = pytest.mark.django_db
SECRET = "callback-secret-of-this-distributor"
CALLBACK = "/distributors/credit-status/"


def sent_report(retailer, **kwargs) -> DistributorReport:
    report = make_report(retailer, state="sent", **kwargs)
    report.distributor.callback_secret = SECRET
    report.distributor.save()
    return report


def callback(client, body: dict, *, secret=SECRET, timestamp=None, raw=None):
    data = raw if raw is not None else json.dumps(body).encode()
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return client.post(
        CALLBACK,
        data,
        content_type="application/json",
        HTTP_X_ASTRO_TIMESTAMP=stamp,
        HTTP_X_ASTRO_SIGNATURE=sign(secret, stamp, data),
    )


def decline(report, event="evt-1", reason="Ineligible Free Good Size", **extra) -> dict:
    return {"event_id": event, "report_id": str(report.pk), "status": "declined",
            "reason": reason, "note": "Only the 4 lb bag is free.", **extra}  # fmt: skip


def test_a_decline_is_applied_once_and_its_repeat_answers_200_changing_nothing(client, retailer):
    report = sent_report(retailer)
    first = callback(client, decline(report))
    assert first.status_code == 200 and first.json()["status"] == "applied"
    report.refresh_from_db()
    assert report.state == "declined" and report.decline_reason == "ineligible_free_good_size"
    assert report.get_decline_reason_display() == "Ineligible Free Good Size"
    again = callback(client, decline(report))
    assert again.status_code == 200 and again.json() | {"event_id": None} == {
        "status": "duplicate", "report_id": str(report.pk), "event_id": None, "state": "declined"
    }  # fmt: skip
    [change] = ReportStatusChange.objects.all()
    assert (change.from_state, change.to_state, change.source) == ("sent", "declined", "callback")


@pytest.mark.parametrize(
    ("secret", "age", "why"),
    [("not-the-secret", 0, "signature"), (SECRET, 3600, "5 minutes"), (SECRET, -3600, "5 minutes")],
)
def test_a_bad_signature_or_a_stale_timestamp_is_403_and_changes_nothing(
    client, retailer, secret, age, why
):
    report = sent_report(retailer)
    response = callback(client, decline(report), secret=secret, timestamp=int(time.time()) - age)
    assert response.status_code == 403 and why in response.json()["error"]
    report.refresh_from_db()
    assert report.state == "sent" and not ReportStatusChange.objects.exists()


def test_a_distributor_without_a_callback_secret_is_refused(client, retailer):
    report = make_report(retailer, state="sent")
    response = callback(client, decline(report), secret="")
    assert response.status_code == 403 and "no callback secret" in response.json()["error"]


def test_another_distributors_secret_cannot_answer_for_this_one(client, retailer):
    mine = sent_report(retailer)
    other = sent_report(retailer)
    other.distributor.callback_secret = "the other distributor's"
    other.distributor.save()
    response = callback(client, decline(mine), secret="the other distributor's")
    assert response.status_code == 403


def test_an_unknown_report_is_a_clear_404_json(client, retailer):
    missing = "4b0c6d1e-0000-4000-8000-000000000000"
    response = callback(client, {"event_id": "e", "report_id": missing, "status": "credited"})
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": f"No report {missing} was sent to a distributor.", "report_id": missing
    }  # fmt: skip


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"report_id": "x", "status": "credited"}, "event_id is required"),
        ({"event_id": "e", "report_id": "x", "status": "paid"}, 'status must be "credited"'),
        ({"event_id": "e", "report_id": "x", "status": "declined"}, "needs a reason"),
        ({"event_id": "e", "report_id": "x", "status": "declined", "reason": "Late"}, "reason"),
        ({"event_id": "e", "report_id": "x", "status": "credited", "amount": "-3"}, "amount"),
        ({"event_id": "e", "report_id": "x", "status": "credited", "revision": "1"}, "revision"),
    ],
)
def test_a_bad_body_is_a_400_naming_the_field(client, body, message):
    response = callback(client, body)
    assert response.status_code == 400 and message in response.json()["error"]


def test_not_json_is_a_400(client):
    assert callback(client, {}, raw=b"status=credited").status_code == 400


def test_an_answer_before_delivery_or_about_an_old_revision_is_a_409(client, retailer):
    report = sent_report(retailer)
    DistributorReport.objects.filter(pk=report.pk).update(state="pending")
    early = callback(client, decline(report))
    assert early.status_code == 409 and "has not received it yet" in early.json()["error"]
    DistributorReport.objects.filter(pk=report.pk).update(state="resubmitted", revision=1)
    stale = callback(client, decline(report, event="evt-2", revision=0))
    assert stale.status_code == 409 and "revision 0" in stale.json()["error"]
    assert not ReportStatusChange.objects.exists()


def test_an_event_id_reused_with_another_body_is_refused(client, retailer):
    report = sent_report(retailer)
    callback(client, decline(report))
    other = callback(client, decline(report, reason="Item Not In Program"))
    assert other.status_code == 422 and "another body" in other.json()["error"]
    report.refresh_from_db()
    assert report.decline_reason == "ineligible_free_good_size"


def test_a_credit_records_the_amount_or_else_the_free_items_value(client, retailer):
    report = sent_report(retailer)
    callback(client, {"event_id": "c1", "report_id": str(report.pk), "status": "credited"})
    report.refresh_from_db()
    assert report.state == "credited" and report.credit_amount == Decimal("54.99")
    second = sent_report(retailer)
    body = {"event_id": "c2", "report_id": str(second.pk), "status": "CREDITED", "amount": 41.5}
    assert callback(client, body).status_code == 200
    second.refresh_from_db()
    assert second.credit_amount == Decimal("41.50")


# --- Fix and resubmit ------------------------------------------------------------------------


def declined_report(client, retailer) -> DistributorReport:
    report = sent_report(retailer)
    callback(client, decline(report))
    report.refresh_from_db()
    return report


def test_an_admin_fixes_the_free_item_and_account_and_resubmits_once(admin_client, retailer):
    report = declined_report(Client(), retailer)
    program_card = report.redemption.card.program_card
    smaller = factories.ItemFactory(size="4 lb", list_price=Decimal("19.99"))
    program_card.redeemable_items.add(smaller)
    url = reverse("resubmit_report", args=[report.pk])
    page = admin_client.get(url).content.decode()
    assert "Ineligible Free Good Size" in page and "Only the 4 lb bag is free." in page
    fix = {"item": smaller.pk, "account_number": "PP-2", "note": "The 4 lb bag."}
    response = admin_client.post(url, fix)
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.revision, report.account_number) == ("pending", 1, "PP-2")
    assert report.idempotency_key == f"{report.pk}.r1"
    payload = report_payload(report)
    assert payload["revision"] == 1 and payload["item"]["upc"] == smaller.gtin
    assert payload["store"]["distributor_account_number"] == "PP-2"
    again = admin_client.post(url, fix)  # the double click
    assert again.status_code == 422 and "only a declined claim" in again.content.decode()
    report.refresh_from_db()
    assert report.revision == 1
    assert AuditEvent.objects.filter(action="report.resubmitted").count() == 1
    change = ReportStatusChange.objects.get(to_state="pending")
    assert change.source == "admin" and "Account number: " in change.note


def test_a_free_item_the_program_card_does_not_allow_is_refused(admin_client, retailer):
    report = declined_report(Client(), retailer)
    stranger = factories.ItemFactory()
    url = reverse("resubmit_report", args=[report.pk])
    response = admin_client.post(url, {"item": stranger.pk, "account_number": ""})
    assert response.status_code == 422
    report.refresh_from_db()
    assert report.state == "declined" and report.revision == 0


def test_cashiers_get_403_and_another_stores_claim_is_404(
    cashier_user, admin_client, other_retailer
):
    theirs = declined_report(Client(), other_retailer)
    cashier = Client()
    cashier.force_login(cashier_user)
    url = reverse("resubmit_report", args=[theirs.pk])
    assert cashier.get(url).status_code == 403 and cashier.post(url).status_code == 403
    assert cashier.get(reverse("credit_file")).status_code == 403
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"account_number": "X"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "declined" and theirs.account_number != "X"


def test_the_screen_filters_and_totals_by_state_and_shows_money_per_distributor(
    admin_client, retailer
):
    credited = sent_report(retailer)
    callback(Client(), {"event_id": "c", "report_id": str(credited.pk), "status": "credited"})
    declined_report(Client(), retailer)
    sent_report(retailer)
    page = admin_client.get(reverse("redemption_reports")).content.decode()
    # Each claim is worth its free item's list price, $54.99.
    for state in ("credited", "declined", "sent"):
        assert state_total(page, state) == ("1", "54.99")
    assert "Fix and resubmit" in page and "Ineligible Free Good Size" in page
    only = admin_client.get(reverse("redemption_reports"), {"state": "declined"}).content.decode()
    assert only.count('class="report-') == 1 and 'id="total-credited"' not in only
    # Three distributors (one per enrolled card), each with what it credited and still owes.
    assert money(page, credited.distributor_id) == ("54.99", "0.00")
    assert money(only, credited.distributor_id) is None


def state_total(page: str, state: str) -> tuple[str, str] | None:
    """The Credit status table's row for `state`: (reports, value of claims)."""
    found = re.search(
        rf'id="total-{state}">.*?<td class="num">(\d+)</td><td class="num">\$([\d.]+)</td>', page
    )
    return found.groups() if found else None  # type: ignore[return-value]


def money(page: str, distributor_id: int) -> tuple[str, str] | None:
    """The distributor's (credited, still owed) on the screen."""
    found = re.search(
        rf'id="money-{distributor_id}">.*?class="num credited">\$([\d.]+)</td>'
        r'<td class="num owed">\$([\d.]+)</td>',
        page,
    )
    return found.groups() if found else None  # type: ignore[return-value]


# --- The credit file -------------------------------------------------------------------------


def upload(client, text: str, **extra):
    file = SimpleUploadedFile("credits.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("credit_file"), {"file": file, **extra})


def test_a_credit_file_with_bad_rows_names_them_and_applies_nothing(admin_client, retailer):
    good = sent_report(retailer)
    pending = make_report(retailer)
    text = (
        "Report ID,Status,Reason,Note,Amount\n"
        f"{good.pk},Credited,,,54.99\n"
        f"{good.redemption.reward_id},Credited,,,\n"
        "R-NOTACLAIM,Credited,,,\n"
        f"{sent_report(retailer).pk},Declined,Too late,,\n"
        f"{pending.pk},Credited,,,\n"
        f"{sent_report(retailer).pk},Credited,,,12.345\n"
    )
    preview = upload(admin_client, text).content.decode()
    assert "5 with a problem" in preview and "Apply 6 rows" not in preview
    assert "The same claim is on line 2 too." in preview
    assert "No claim of this store has the id “R-NOTACLAIM”." in preview
    assert "“Too late” is not a decline reason" in preview
    assert "has not received it yet" in preview and "12.345" in preview
    applied = admin_client.post(reverse("credit_file"), {"text": text, "apply": "1"})
    assert applied.status_code == 422 and "Nothing was applied" in applied.content.decode()
    assert not ReportStatusChange.objects.exists()
    assert set(DistributorReport.objects.values_list("state", flat=True)) == {"sent", "pending"}


def test_a_good_credit_file_previews_then_applies_in_one_go_and_again_changes_nothing(
    admin_client, retailer
):
    credit, refuse = sent_report(retailer), sent_report(retailer)
    text = (
        "reward id,status,reason,note\n"
        f"{credit.redemption.reward_id},credited,,\n"
        f"{refuse.redemption.reward_id},declined,Item Not In Program,Not on the list\n"
    )
    preview = upload(admin_client, text).content.decode()
    assert "0 with a problem" in preview and "Apply 2 rows" in preview
    assert not ReportStatusChange.objects.exists()  # a preview changes nothing
    done = admin_client.post(reverse("credit_file"), {"text": text, "apply": "1"})
    assert done.status_code == 200 and "Applied 2 rows" in done.content.decode()
    credit.refresh_from_db(), refuse.refresh_from_db()
    assert credit.state == "credited" and refuse.decline_reason == "item_not_in_program"
    assert set(ReportStatusChange.objects.values_list("source", flat=True)) == {"file"}
    again = upload(admin_client, text).content.decode()
    assert again.count("(no change)") == 2
    admin_client.post(reverse("credit_file"), {"text": text, "apply": "1"})
    assert ReportStatusChange.objects.count() == 2


def test_a_credit_file_without_the_columns_or_of_another_store_matches_nothing(
    admin_client, other_retailer
):
    theirs = sent_report(other_retailer)
    missing = upload(admin_client, "id;status\n1;credited\n").content.decode()
    assert "must name a Report ID" in missing
    foreign = upload(admin_client, f"report id,status\n{theirs.pk},credited\n").content.decode()
    assert "No claim of this store has the id" in foreign
    assert upload(admin_client, "").status_code == 422
