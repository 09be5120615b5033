"""Settings → POS API → Product filter (admins only): which sales link a customer (SPEC §5)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from loyalty.access import admin_required, get_location_for

from .forms import FilterConditionForm
from .product_filter import add_condition, conditions_for, describe, remove_condition
from .queries import filter_conditions

PAGE = "api_v1/product_filter.html"


@admin_required
@require_http_methods(["GET", "POST"])
def product_filter(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id)
    form = FilterConditionForm()
    if request.method == "POST" and "remove" in request.POST:
        removed = remove_condition(
            location=location, condition_id=_int(request.POST["remove"]), actor=request.user
        )
        if removed:
            messages.success(request, "Condition removed.")
        return redirect("api_product_filter", location.pk)
    if request.method == "POST":
        form = FilterConditionForm(request.POST)
        if form.is_valid():
            add_condition(location=location, values=form.cleaned_data, actor=request.user)
            messages.success(request, "Condition added.")
            return redirect("api_product_filter", location.pk)
    context = {
        "location": location,
        "conditions": filter_conditions(location=location),
        "sentence": describe(conditions_for(location)),
        "form": form,
    }
    return render(request, PAGE, context, status=422 if form.errors else 200)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0
