"""Messages to pet owners (SPEC §8): the store's Messages settings with a live preview, the
Messages report (admins), and the owner's side: one-click unsubscribe, the open pixel, STOP."""

import base64

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from loyalty.access import admin_required
from loyalty.contracts.messages import sms_backend
from loyalty.forms.messages import TEXT_FIELDS, MessageSettingsForm
from loyalty.presentation import spreadsheet
from loyalty.presentation.text import when
from loyalty.rules.message_text import PLACEHOLDERS
from loyalty.selectors import messages as queries
from loyalty.services.messages import consent
from loyalty.services.messages.store import save_message_settings

PAGE = "loyalty/messages/settings.html"
REPORT = "loyalty/messages/report.html"
REPORT_HEADER = ["created", "pet owner", "message", "by", "to", "state", "sent", "opened",
                 "unsubscribed", "note"]  # fmt: skip
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _texts(form: MessageSettingsForm) -> dict[str, str]:
    source = form.data if form.is_bound else {n: form[n].value() for n in TEXT_FIELDS}
    return {name.removesuffix("_text"): source.get(name, "") or "" for name in TEXT_FIELDS}


def _context(request: HttpRequest, form: MessageSettingsForm) -> dict:
    retailer = request.user.retailer
    previews = queries.preview_texts(retailer=retailer, texts=_texts(form))
    return {"form": form, "previews": previews, "placeholders": PLACEHOLDERS}


@admin_required
@require_http_methods(["GET", "POST"])
def message_settings(request: HttpRequest) -> HttpResponse:
    retailer = request.user.retailer
    current = queries.message_settings(retailer=retailer)
    form = MessageSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        save_message_settings(retailer=retailer, values=form.cleaned_data, actor=request.user)
        messages.success(request, "Messages settings saved.")
        return redirect("message_settings")
    status = 422 if form.errors else 200
    return render(request, PAGE, _context(request, form), status=status)


@admin_required
@require_POST
def message_preview(request: HttpRequest) -> HttpResponse:
    """The live preview: the wording being typed, filled in with a sample owner; saves nothing."""
    form = MessageSettingsForm(request.POST)
    return render(request, f"{PAGE}#preview", _context(request, form))


@admin_required
def messages_report(request: HttpRequest) -> HttpResponse:
    retailer = request.user.retailer
    if request.GET.get("format") == "csv":
        return _csv(queries.report_messages(retailer=retailer, limit=None))
    context = {
        "totals": queries.message_totals(retailer=retailer),
        "rows": queries.report_messages(retailer=retailer),
        "limit": queries.REPORT_LIMIT,
        "tab": "messages",
    }
    return render(request, REPORT, context)


def _csv(rows) -> StreamingHttpResponse:
    writer = spreadsheet.writer(_Echo())
    zone = timezone.get_current_timezone()

    def lines():
        with timezone.override(zone):  # streamed after the middleware: keep the store's zone
            yield writer.writerow(REPORT_HEADER)
            for m in rows:
                yield writer.writerow([
                    when(m.created_at), m.owner.full_name, m.get_kind_display(),
                    m.get_channel_display(), m.recipient, m.get_state_display(),
                    when(m.sent_at), when(m.opened_at), when(m.unsubscribed_at), m.note,
                ])  # fmt: skip

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="messages.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


# Mail clients post RFC 8058 one-click unsubscribes with no cookie and no CSRF token; the
# signed link is the authority.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners open links); POST, from the page or the mail client, does it."""
    if request.method == "GET":
        message = consent.message_for_unsubscribe(token=token)
        done = False
    else:
        message, done = consent.unsubscribe(token=token), True
    if message is None:
        raise Http404("This unsubscribe link is not valid.")
    context = {"message": message, "done": done, "token": token}
    return render(request, "loyalty/messages/unsubscribe.html", context)


def message_opened(request: HttpRequest, token: str) -> HttpResponse:
    consent.record_open(token=token)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """The SMS provider's webhook for replies: STOP stops texts to that number."""
    inbound = sms_backend().parse_inbound(
        url=request.build_absolute_uri(),
        params=request.POST.dict(),
        signature=request.headers.get("X-Twilio-Signature", ""),
    )
    if inbound is None:
        return HttpResponse("Not signed by the SMS provider.", status=403)
    consent.sms_stop(sender=inbound.sender, body=inbound.body)
    return HttpResponse("<Response/>", content_type="text/xml")
