"""One catch-up pass by hand: send every due pending distributor report now (SPEC §6)."""

from django.core.management.base import BaseCommand

from loyalty.models import DistributorReport, ReportState
from loyalty.services.distributor_reports.outbox import send_due_reports


class Command(BaseCommand):
    help = "Send every distributor report that is pending and due, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="stop after this many")

    def handle(self, *args, limit=None, **options):
        tried = send_due_reports(limit=limit)
        counts = {
            state: DistributorReport.objects.filter(state=state).count()
            for state in ReportState.values
        }
        self.stdout.write(
            f"Tried {tried} report(s). Now pending {counts['pending']}, sent {counts['sent']}, "
            f"failed {counts['failed']}."
        )
