"""The tenancy gate: look-ups by id scoped to the user's retailer; role checks (DESIGN.md §2)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import constant_time_compare

from .models import (
    Card,
    CashBackPlan,
    Coupon,
    Distributor,
    DistributorReport,
    Enrollment,
    Item,
    Location,
    PaperImport,
    PetOwner,
    PointReward,
    PrepaidPackage,
    PrepaidPlan,
    Program,
    ProgramCard,
    Redemption,
    User,
    Visit,
    VisitLine,
)
from .models.programs import CUSTOM_KINDS, ProgramKind
from .security.card_links import read_card_token
from .selectors.catalog import visible_programs
from .selectors.checkout import exception_cards
from .selectors.distributor_reports import report_rows
from .selectors.prepared import PreparedRead


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "403.html", {"message": message}, status=403)


def retailer_required(view: Callable) -> Callable:
    """A logged-in user of a retailer (admin or cashier). Platform staff use Django admin."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.retailer_id is None:
            return _forbidden(request, "This login is not part of a store account.")
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view: Callable) -> Callable:
    """SPEC §1: a cashier reaching an admin screen gets 403 and a clear page."""

    @retailer_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_retail_admin:
            return _forbidden(request, "Only an admin of this store can open this page.")
        return view(request, *args, **kwargs)

    # Lets the permissions test find every admin screen; decorators above it keep the mark.
    wrapper.admin_only = True
    return wrapper


def get_own(rows: type[Model] | QuerySet, user: User, **lookup) -> Model:
    """Any row with a `retailer` of the user's own, looked up by what the request named: for the
    rows of an integration's own models (API keys, POS connections), which this module does
    not import."""
    return get_object_or_404(rows, retailer_id=user.retailer_id, **lookup)


def get_owner_for(user: User, owner_id: int) -> PetOwner:
    """Another retailer's owner answers 404 exactly like a missing one."""
    return get_object_or_404(PetOwner, pk=owner_id, retailer_id=user.retailer_id)


def get_card_for(user: User, card_id: int) -> Card:
    return get_object_or_404(
        Card.objects.select_related("program_card__program", "owner"),
        pk=card_id,
        retailer_id=user.retailer_id,
    )


# Every checkout and Finish request and action reads its visit: its SQL is compiled once.
_VISIT = PreparedRead(
    lambda visit_id, retailer_id: Visit.objects.select_related("owner", "location").filter(
        pk=visit_id, retailer_id=retailer_id, owner__isnull=False
    )
)


def get_visit_for(user: User, visit_id: int) -> Visit:
    """A visit of the user's retailer with its owner, location and retailer loaded."""
    found = _VISIT.objects(visit_id, user.retailer_id)
    if not found:
        raise Http404("No Visit matches the given query.")
    [visit] = found
    # The very row the filter names, which the login backend read with the user: joining it
    # again cost every checkout action a fourth table's columns (SPEC §9).
    visit.retailer = user.retailer
    return visit


def get_visit_line_for(visit: Visit, line_id: int) -> VisitLine:
    return get_object_or_404(
        VisitLine.objects.select_related(
            "visit__owner", "visit__location", "visit__retailer", "item"
        ),
        pk=line_id,
        visit=visit,
    )


# Every button click reads its location: its SQL is compiled once.
_BUTTON_LOCATION = PreparedRead(
    lambda token, retailer_id: Location.objects.select_related("retailer").filter(
        button_token=token, retailer_id=retailer_id
    )
)


def get_location_by_button_for(user: User, token: str) -> Location:
    """The location whose Astro Loyalty button URL carries `token` (another store's: 404)."""
    found = _BUTTON_LOCATION.objects(token, user.retailer_id)
    if not found:
        raise Http404("No Location matches the given query.")
    return found[0]


def get_visit_card_for(visit: Visit, card_id: int) -> Card:
    """A card of the visit's own pet owner: a checkout never reaches another owner's card."""
    return get_object_or_404(
        Card.objects.select_related("program_card__program", "owner"),
        pk=card_id,
        retailer_id=visit.retailer_id,
        owner_id=visit.owner_id,
    )


def get_exception_card_for(visit: Visit, program_card_id: int) -> ProgramCard:
    """A program card this visit's store may add an Unknown Item to by exception."""
    found = [card for card in exception_cards(visit) if card.pk == program_card_id]
    if not found:
        raise Http404("No ProgramCard matches the given query.")
    return found[0]


def get_coupon_for(owner: PetOwner, coupon_id: int) -> Coupon:
    return get_object_or_404(Coupon, pk=coupon_id, owner=owner, retailer_id=owner.retailer_id)


def get_enrollable_program(program_id: int) -> Program:
    """An active manufacturer program, which any store may enroll in (platform-owned)."""
    return get_object_or_404(Program, pk=program_id, retailer__isnull=True, is_active=True)


def get_distributor(distributor_id: int) -> Distributor:
    """A distributor (platform-owned); enrolling checks that it serves the program."""
    return get_object_or_404(Distributor, pk=distributor_id)


def get_distributor_report_for(user: User, report_id) -> DistributorReport:
    """A report of the user's store, with what its row on Redemption Reports shows."""
    return get_object_or_404(report_rows(retailer=user.retailer), pk=report_id)


# --- The store's admin screens ---------------------------------------------------------------


def get_program_for(user: User, program_id: int) -> Program:
    """A manufacturer program the store may see: any active one, or one it is enrolled in."""
    return get_object_or_404(visible_programs(user.retailer_id), pk=program_id)


def get_enrollment_for(user: User, enrollment_id: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.select_related("program", "distributor", "location", "retailer"),
        pk=enrollment_id,
        retailer_id=user.retailer_id,
    )


def get_item_for(user: User, item_id: int) -> Item:
    """One of the store's own items; platform catalog items are not the store's to edit."""
    return get_object_or_404(
        Item.objects.select_related("brand"), pk=item_id, retailer_id=user.retailer_id
    )


def get_custom_program_for(user: User, program_id: int) -> Program:
    """One of the store's own programs; a platform program answers 404 here too."""
    return get_object_or_404(
        Program.objects.select_related("prepaid_plan", "cash_back_plan"),
        pk=program_id,
        retailer_id=user.retailer_id,
        kind__in=CUSTOM_KINDS,
    )


def get_staff_user_for(user: User, user_id: int) -> User:
    return get_object_or_404(User, pk=user_id, retailer_id=user.retailer_id)


def get_paper_import_for(user: User, batch_id: int) -> PaperImport:
    """One of the store's paper-card imports (another store's answers 404)."""
    return get_object_or_404(
        PaperImport.objects.select_related("retailer", "uploaded_by", "imported_by", "undone_by"),
        pk=batch_id,
        retailer_id=user.retailer_id,
    )


def get_location_for(user: User, location_id: int) -> Location:
    return get_object_or_404(Location, pk=location_id, retailer_id=user.retailer_id)


def get_point_reward_for(user: User, reward_id: int) -> PointReward:
    return get_object_or_404(PointReward, pk=reward_id, retailer_id=user.retailer_id)


# --- Custom programs at checkout: only what belongs to the visit's store and owner ------------


def get_prepaid_plan_for(visit: Visit, plan_id: int) -> PrepaidPlan:
    return get_object_or_404(
        PrepaidPlan.objects.select_related("program"),
        pk=plan_id,
        program__retailer_id=visit.retailer_id,
        program__kind=ProgramKind.PREPAID,
    )


def get_package_for(visit: Visit, package_id: int) -> PrepaidPackage:
    """Only a package of the visit's own owner can be drawn down at this checkout."""
    return get_object_or_404(
        PrepaidPackage.objects.select_related("plan__program"),
        pk=package_id,
        retailer_id=visit.retailer_id,
        owner_id=visit.owner_id,
    )


def get_cash_back_plan_for(visit: Visit, plan_id: int) -> CashBackPlan:
    return get_object_or_404(
        CashBackPlan.objects.select_related("program"),
        pk=plan_id,
        program__retailer_id=visit.retailer_id,
        program__kind=ProgramKind.CASH_BACK,
    )


def get_visit_redemption_for(visit: Visit, redemption_id: int) -> Redemption:
    """A reward redeemed in this visit (the Finish screen's Undo)."""
    return get_object_or_404(
        Redemption, pk=redemption_id, retailer_id=visit.retailer_id, visit_id=visit.pk
    )


def get_owner_redemption_for(owner: PetOwner, redemption_id: int) -> Redemption:
    """A reward of this pet owner's cards (History's Remove Only and Remove and Reselect)."""
    return get_object_or_404(
        Redemption, pk=redemption_id, retailer_id=owner.retailer_id, card__owner_id=owner.pk
    )


def get_visit_point_reward_for(visit: Visit, reward_id: int) -> PointReward:
    """One of the visit's store's point rewards."""
    return get_object_or_404(PointReward, pk=reward_id, retailer_id=visit.retailer_id)


# --- The pet owner's own card page: no login, the signed link is the key (SPEC §8) -----------


def get_owner_by_card_link(token: str) -> PetOwner:
    """The owner a card page link names. A tampered link is 404 before any query; a rotated-
    away or revoked key, or a merged-away owner, is the same 404 as an unknown owner."""
    found = read_card_token(token)
    if found is None:
        raise Http404("No such card page.")
    owner_id, key = found
    owner = (
        PetOwner.objects.select_related("retailer")
        .filter(pk=owner_id, merged_into__isnull=True)
        .first()
    )
    if owner is None or not owner.card_key or not constant_time_compare(owner.card_key, key):
        raise Http404("No such card page.")
    return owner
