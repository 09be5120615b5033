"""Users and locations of the store (SPEC §1): admin-only screens, every change audited."""

from functools import partial

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from loyalty.access import admin_required, get_location_for, get_staff_user_for
from loyalty.contracts.registry import redirect_pos_for
from loyalty.errors import DomainError
from loyalty.forms.staff import CashierCreateForm, LocationForm, PasswordResetForm
from loyalty.models import Location
from loyalty.selectors.staff import store_locations, store_users
from loyalty.services import staff


def _users_context(request: HttpRequest, **extra) -> dict:
    return {"users": store_users(retailer=request.user.retailer), **extra}


@admin_required
def users(request: HttpRequest) -> HttpResponse:
    return render(request, "loyalty/staff/users.html", _users_context(request))


@admin_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    retailer = request.user.retailer
    form = CashierCreateForm(request.POST or None, retailer=retailer)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff.create_cashier(
                retailer=retailer,
                values=form.cleaned_data,
                password=form.cleaned_data["password1"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"Added the cashier {user.username}. Give them the initial password in person.",
            )
            return redirect("users")
    status = 422 if form.errors else 200
    return render(request, "loyalty/staff/user_form.html", {"form": form}, status=status)


@admin_required
@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_staff_user_for(request.user, user_id)
    form = PasswordResetForm(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        staff.reset_password(
            user=target, password=form.cleaned_data["new_password1"], actor=request.user
        )
        if target.pk == request.user.pk:
            update_session_auth_hash(request, target)  # keep the admin logged in here
        messages.success(
            request,
            f"New password saved for {target.username}. Tell it to them in person or by phone, "
            "never by email. The old password no longer works.",
        )
        return redirect("users")
    context = {"form": form, "target": target}
    status = 422 if form.errors else 200
    return render(request, "loyalty/staff/password.html", context, status=status)


@admin_required
@require_POST
def user_toggle(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate (is_active=0) or reactivate (is_active=1) a login."""
    target = get_staff_user_for(request.user, user_id)
    make_active = request.POST.get("is_active") == "1"
    error = ""
    try:
        target = staff.set_user_active(user=target, is_active=make_active, actor=request.user)
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        context = {"account": target, "row_error": error}
        status = 422 if error else 200
        return render(request, "loyalty/staff/users.html#user-row", context, status=status)
    if error:
        messages.error(request, error)
    else:
        state = "reactivated" if make_active else "deactivated"
        messages.success(request, f"{target.username} is {state}.")
    return redirect("users")


def _location_form(request: HttpRequest, location: Location | None = None) -> LocationForm:
    retailer = request.user.retailer
    return LocationForm(
        request.POST or None,
        instance=location,
        retailer=retailer,
        return_url_problem=partial(
            redirect_pos_for(retailer).return_url_problem, retailer=retailer
        ),
    )


@admin_required
def locations(request: HttpRequest) -> HttpResponse:
    rows = [
        {"location": location, "button_url": _button_url(request, location)}
        for location in store_locations(retailer=request.user.retailer)
    ]
    return render(request, "loyalty/staff/locations.html", {"rows": rows})


def _button_url(request: HttpRequest, location: Location) -> str:
    """What the POS's Astro Loyalty button opens; its token names this location."""
    return request.build_absolute_uri(redirect_pos_for(location.retailer).button_path(location))


@admin_required
@require_http_methods(["GET", "POST"])
def location_create(request: HttpRequest) -> HttpResponse:
    form = _location_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            location = staff.create_location(
                retailer=request.user.retailer, values=form.cleaned_data, actor=request.user
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Added the location {location.name}.")
            return redirect("locations")
    return _location_page(request, form, None)


@admin_required
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id)
    form = _location_form(request, location)
    if request.method == "POST" and form.is_valid():
        try:
            location = staff.update_location(
                location=location, values=form.cleaned_data, actor=request.user
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Saved the location {location.name}.")
            return redirect("locations")
    return _location_page(request, form, get_location_for(request.user, location_id))


def _location_page(
    request: HttpRequest, form: LocationForm, location: Location | None
) -> HttpResponse:
    context = {
        "form": form,
        "location": location,
        "button_url": _button_url(request, location) if location else "",
    }
    status = 422 if form.errors else 200
    return render(request, "loyalty/staff/location_form.html", context, status=status)
