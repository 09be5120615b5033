"""The report filters: the GET form parsed and checked, its date range, and what it offers."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from loyalty.models import Distributor, Enrollment, Location, Program, Retailer
from loyalty.models.programs import CUSTOM_KINDS
from loyalty.presentation import charts

DEFAULT_DAYS = 30
MAX_DAYS = 731  # two years: beyond that a weekly chart stops being readable


@dataclass(frozen=True)
class ReportFilters:
    start: date
    end: date
    program_id: int | None = None
    location_id: int | None = None
    distributor_id: int | None = None

    @property
    def since(self) -> datetime:
        """The start of the first day in the store's time zone (the range includes both days)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def unit(self) -> str:
        return charts.period_unit(self.start, self.end)


def parse_filters(
    query: Mapping[str, str], *, today: date
) -> tuple[ReportFilters | None, list[str]]:
    """The GET form as filters; with any message, no filters, so nothing is shown by guesswork."""
    errors: list[str] = []

    def day(name: str, label: str, default: date) -> date | None:
        raw = (query.get(name) or "").strip()
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors.append(f"{label} “{raw}” is not a date. Use the calendar or type YYYY-MM-DD.")
            return None

    def number(name: str) -> int | None:
        raw = (query.get(name) or "").strip()
        if raw and not raw.isdigit():
            errors.append(f"Pick the {name} from the list.")
        return int(raw) if raw.isdigit() else None

    start = day("start", "From", today - timedelta(days=DEFAULT_DAYS - 1))
    end = day("end", "To", today)
    chosen = {name: number(name) for name in ("program", "location", "distributor")}
    if start and end and start > end:
        errors.append(f"“From” ({start:%b %-d, %Y}) is after “To” ({end:%b %-d, %Y}).")
    elif start and end and (end - start).days + 1 > MAX_DAYS:
        errors.append("Pick a range of two years or less.")
    if errors or start is None or end is None:
        return None, errors
    filters = ReportFilters(
        start=start,
        end=end,
        program_id=chosen["program"],
        location_id=chosen["location"],
        distributor_id=chosen["distributor"],
    )
    return filters, []


# --- What the filter forms offer: only this retailer's programs, locations, distributors -----


def store_programs(*, retailer: Retailer) -> list[Program]:
    """Manufacturer programs the store is enrolled in and the store's own programs."""
    enrolled = Enrollment.objects.filter(retailer=retailer).values("program_id")
    return list(
        Program.objects.filter(Q(retailer=retailer) | Q(pk__in=enrolled)).order_by("name", "pk")
    )


def custom_programs(*, retailer: Retailer) -> list[Program]:
    return list(
        Program.objects.filter(retailer=retailer, kind__in=CUSTOM_KINDS).order_by("name", "pk")
    )


def store_locations(*, retailer: Retailer) -> list[Location]:
    return list(Location.objects.filter(retailer=retailer).order_by("name"))


def store_distributors(*, retailer: Retailer) -> list[Distributor]:
    return list(Distributor.objects.filter(enrollments__retailer=retailer).distinct())
