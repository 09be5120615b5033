"""The distributor's credit file on Redemption Reports (SPEC §6): upload, preview, apply."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from loyalty.access import admin_required
from loyalty.forms.reports import CreditFileForm
from loyalty.services.distributor_reports.credit_files import (
    CreditFileRefused,
    apply_credit_file,
    preview_credit_file,
)

PAGE = "loyalty/distributor_reports/credit_file.html"


@admin_required
def credit_file(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST a file: its preview. POST "apply" with the previewed text:
    every row applied in one transaction, or none when a row is bad."""
    form = CreditFileForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method != "POST" or not form.is_valid():
        status = 422 if form.errors else 200
        return render(request, PAGE, context, status=status)
    retailer, text = request.user.retailer, form.cleaned_data["text"]
    if request.POST.get("apply"):
        try:
            context["applied"] = apply_credit_file(retailer=retailer, text=text, actor=request.user)
        except CreditFileRefused as exc:
            context |= {"preview": exc.preview, "error": exc.message, "text": text}
            return render(request, PAGE, context, status=422)
        return render(request, PAGE, context)
    context |= {"preview": preview_credit_file(retailer=retailer, text=text), "text": text}
    return render(request, PAGE, context)
