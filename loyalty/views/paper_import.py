"""Paper-card conversion (admins): upload a CSV, preview it, import it, undo the batch."""

import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from loyalty.access import admin_required, get_paper_import_for
from loyalty.errors import DomainError
from loyalty.forms.paper_import import PaperFileForm
from loyalty.models.paper_import import PaperImportState
from loyalty.presentation import spreadsheet
from loyalty.selectors import paper_batches
from loyalty.services.paper_import import (
    UPLOAD_READ_LIMIT,
    PreviewChanged,
    import_paper_batch,
    upload_paper_file,
)
from loyalty.services.paper_import_undo import undo_paper_batch

PAGE = "loyalty/paper_import/paper_import.html"
BATCH = "loyalty/paper_import/batch.html"


@admin_required
@require_http_methods(["GET", "POST"])
def paper_import(request: HttpRequest) -> HttpResponse:
    """The upload form, the store's importable cards and its past imports."""
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = PaperFileForm(*data)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = upload_paper_file(
                retailer=request.user.retailer,
                actor=request.user,
                filename=upload.name or "paper-cards.csv",
                data=upload.read(UPLOAD_READ_LIMIT),
                create_owners=form.cleaned_data["create_owners"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("paper_import_batch", batch_id=batch.pk)
    context = {"form": form, "error": error} | paper_batches.import_page(
        retailer=request.user.retailer
    )
    status = 422 if request.method == "POST" else 200
    return render(request, PAGE, context, status=status)


@admin_required
def paper_import_template(request: HttpRequest) -> HttpResponse:
    """The CSV template: the header and two example lines naming one of the store's cards."""
    buffer = io.StringIO()
    spreadsheet.writer(buffer).writerows(
        paper_batches.template_rows(retailer=request.user.retailer)
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="paper-cards-template.csv"'
    return response


@admin_required
def paper_import_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A previewed batch's plan, or what an imported (or undone) batch did."""
    batch = get_paper_import_for(request.user, batch_id)
    return render(request, BATCH, paper_batches.batch_page(batch=batch))


@admin_required
@require_POST
def paper_import_run(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_paper_import_for(request.user, batch_id)
    try:
        result = import_paper_batch(
            batch=batch, actor=request.user, fingerprint=request.POST.get("fingerprint", "")
        )
    except PreviewChanged as exc:
        messages.warning(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = result.batch
        if result.already:
            messages.info(request, "This file is already imported; nothing was added again.")
        else:
            messages.success(
                request,
                f"Imported {done.imported_rows} paper card{'s' if done.imported_rows != 1 else ''}"
                f"; {done.skipped_rows} row{'s' if done.skipped_rows != 1 else ''} skipped.",
            )
    return redirect("paper_import_batch", batch_id=batch.pk)


@admin_required
@require_POST
def paper_import_undo(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Undo this import: the whole batch at once, or a message saying why not."""
    batch = get_paper_import_for(request.user, batch_id)
    try:
        result = undo_paper_batch(batch=batch, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("paper_import_batch", batch_id=batch.pk)
    if result.already:
        messages.info(request, "This import was already undone; nothing changed.")
    elif result.batch.state == PaperImportState.UNDONE:
        text = "Import undone: its punches, cards and notes are gone."
        if result.owners_removed:
            text += f" {result.owners_removed} pet owner(s) it created were removed."
        if result.owners_kept:
            text += f" {result.owners_kept} it created are kept: they have other history now."
        messages.success(request, text)
    return redirect("paper_import_batch", batch_id=batch.pk)
