"""The tenancy gate: look-ups by id scoped to the user's retailer; role checks (DESIGN.md §2)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Card, PetOwner, User, Visit, VisitLine


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


def get_owner_for(user: User, owner_id: int) -> PetOwner:
    """Another retailer's owner answers 404 exactly like a missing one."""
    return get_object_or_404(PetOwner, pk=owner_id, retailer_id=user.retailer_id)


def get_card_for(user: User, card_id: int) -> Card:
    return get_object_or_404(
        Card.objects.select_related("program_card__program", "owner"),
        pk=card_id,
        retailer_id=user.retailer_id,
    )


def get_visit_for(user: User, visit_id: int) -> Visit:
    """A visit of the user's retailer with its owner, location and retailer loaded."""
    return get_object_or_404(
        Visit.objects.select_related("owner", "location", "retailer"),
        pk=visit_id,
        retailer_id=user.retailer_id,
        owner__isnull=False,
    )


def get_visit_line_for(visit: Visit, line_id: int) -> VisitLine:
    return get_object_or_404(
        VisitLine.objects.select_related(
            "visit__owner", "visit__location", "visit__retailer", "item"
        ),
        pk=line_id,
        visit=visit,
    )
