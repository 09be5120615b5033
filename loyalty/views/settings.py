"""Admin-only settings screens."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from loyalty.access import admin_required
from loyalty.models import Retailer
from loyalty.services.audit import record_audit


class PointsSettingsForm(forms.ModelForm):
    class Meta:
        model = Retailer
        fields = ["points_basis", "points_per_dollar"]
        labels = {"points_basis": "Points are earned on", "points_per_dollar": "Points per dollar"}


@admin_required
def points_settings(request: HttpRequest) -> HttpResponse:
    retailer = request.user.retailer
    form = PointsSettingsForm(request.POST or None, instance=retailer)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_audit(
            retailer=retailer,
            actor=request.user,
            action="settings.points_changed",
            target=retailer,
            data={k: str(v) for k, v in form.cleaned_data.items()},
        )
        messages.success(request, "Loyalty points settings saved.")
        return redirect("points_settings")
    return render(request, "loyalty/settings/points.html", {"form": form})
