"""The distributor's credit-status callback (docs/distributor-reports.md): signed JSON in,
JSON out. A machine endpoint: the HMAC signature is its authentication, not a login."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from loyalty.errors import DomainError
from loyalty.models import AnswerSource
from loyalty.selectors.distributor_reports import claim_for_callback
from loyalty.services.distributor_reports.credits import EventReused, answer_report

from .callbacks import CallbackError, parse, verify


@csrf_exempt  # signed by the distributor; no browser session is involved
@require_POST
def credit_status(request: HttpRequest) -> JsonResponse:
    """The body names the report; the secret of the distributor it was sent to must have
    signed it. Nothing is read from the body but its report id before the signature holds."""
    body = request.body
    try:
        callback = parse(body)
    except CallbackError as exc:
        return JsonResponse({"error": exc.message}, status=exc.status)
    report = claim_for_callback(report_id=callback.report_id)
    if report is None:
        message = f"No report {callback.report_id} was sent to a distributor."
        return JsonResponse({"error": message, "report_id": callback.report_id}, status=404)
    try:
        verify(
            secret=report.distributor.callback_secret,
            timestamp=request.headers.get("X-Astro-Timestamp", ""),
            signature=request.headers.get("X-Astro-Signature", ""),
            body=body,
        )
        outcome = answer_report(
            report=report,
            answer=callback.answer,
            source=AnswerSource.CALLBACK,
            body_sha256=callback.body_sha256,
        )
    except CallbackError as exc:
        return JsonResponse({"error": exc.message}, status=exc.status)
    except EventReused as exc:
        return JsonResponse({"error": exc.message}, status=422)
    except DomainError as exc:  # not delivered yet, or an old revision: try again or fix it
        return JsonResponse({"error": exc.message, "report_id": str(report.pk)}, status=409)
    return JsonResponse(
        {
            "status": outcome,
            "report_id": str(report.pk),
            "event_id": callback.answer.event_id,
            "state": report.state,
        }
    )
