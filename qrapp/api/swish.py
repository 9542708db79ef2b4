"""Swish's callback and the receipts' download, as plain routes.

The callback is unauthenticated by nature (Swish POSTs it from its own servers), so its
body is only a hint of WHICH request changed: the status comes from Swish over mTLS
(services.billing.swish.refresh). A forged "PAID" therefore changes nothing. Swish resends
a callback that did not get a 200, so a failure to reach Swish answers 503 (try again)
and a request we do not know answers 200 (there is nothing to retry).
"""

from __future__ import annotations

import json
import logging
import uuid

from sqlmodel import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from qrapp.api.session_auth import actor_from_request
from qrapp.core import routes as paths
from qrapp.db import read_session
from qrapp.models.billing_swish import SwishPayment
from qrapp.services.billing import swish
from qrapp.services.billing.swish_api import SwishUnavailable
from qrapp.services.errors import NotFound, NotSignedIn, PermissionDenied, ServiceError

log = logging.getLogger(__name__)

MAX_CALLBACK_BYTES = 16 * 1024  # Swish's payment object is well under 1 KB


def _wake(request_id: str) -> None:
    with read_session() as session:
        if session.get(SwishPayment, request_id) is not None:
            swish.refresh(request_id)
            return
        refund_of = session.exec(
            select(SwishPayment.id).where(SwishPayment.refund_id == request_id)
        ).first()
    if refund_of is not None:
        swish.refresh_refund(request_id)


async def callback(request: Request) -> Response:
    body = await request.body()
    if len(body) > MAX_CALLBACK_BYTES:
        return PlainTextResponse("Too large.", status_code=413)
    try:
        request_id = json.loads(body).get("id")
    except (ValueError, AttributeError):
        return PlainTextResponse("Expected Swish's JSON callback.", status_code=400)
    if not isinstance(request_id, str) or not swish.INSTRUCTION_ID.fullmatch(request_id):
        return PlainTextResponse("Expected Swish's JSON callback.", status_code=400)
    try:
        await run_in_threadpool(_wake, request_id)
    except SwishUnavailable as exc:
        log.warning("Swish callback for %s: Swish unreachable (%s)", request_id, exc.detail)
        return PlainTextResponse("Try again later.", status_code=503)
    except NotFound:
        pass
    return Response(status_code=200)


def _receipt(request: Request) -> Response:
    actor = actor_from_request(request)
    try:
        invoice_id = uuid.UUID(request.path_params["invoice_id"])
    except ValueError:
        raise NotFound("receipt") from None
    pdf = swish.receipt_pdf(actor=actor, invoice_id=invoice_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="receipt-{invoice_id}.pdf"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def receipt(request: Request) -> Response:
    try:
        return await run_in_threadpool(_receipt, request)
    except NotSignedIn as exc:
        return PlainTextResponse(exc.message, status_code=401)
    except PermissionDenied as exc:
        return PlainTextResponse(exc.message, status_code=403)
    except ServiceError as exc:  # missing and another workspace's receipts answer alike
        return PlainTextResponse(exc.message, status_code=404)


routes = [
    Route(paths.SWISH_CALLBACK, callback, methods=["POST"]),
    Route(paths.BILLING_RECEIPT, receipt, methods=["GET"]),
]
