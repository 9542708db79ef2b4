"""POST /billing/webhooks/paypal (routes.PAYPAL_WEBHOOK): PayPal's webhook deliveries.

The raw body is read (capped) and handed to services.billing.paypal_webhooks: PayPal
confirms the signature before anything is stored; the event is stored once and then
processed in this request (one read of the subscription from PayPal). Answers: 200
stored or already stored (a failed processing is retried by the beat), 400 not from
PayPal (nothing stored), 413 too big, 503 PayPal could not be asked (it delivers again).
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from qrapp.api.capped_body import read_capped
from qrapp.core import routes as paths
from qrapp.services.billing import paypal_webhooks
from qrapp.services.billing.paypal_api import PayPalError

log = logging.getLogger(__name__)

# PayPal's events are a few kB (a subscription or a sale); anything far larger is not one.
MAX_BODY_BYTES = 256 * 1024


async def paypal_webhook(request: Request) -> Response:
    body = await read_capped(request, MAX_BODY_BYTES)
    if body is None:
        return JSONResponse({"error": "too large"}, status_code=413)
    try:
        row_id = await run_in_threadpool(paypal_webhooks.receive, request.headers, body)
    except paypal_webhooks.WebhookRejected as exc:
        log.warning("PayPal webhook refused: %s", exc)
        return JSONResponse({"error": "not verified"}, status_code=400)
    except PayPalError:
        return JSONResponse({"error": "try again"}, status_code=503)
    if row_id is not None:
        try:
            await run_in_threadpool(paypal_webhooks.process, row_id)
        except Exception:  # stored: the beat processes it again
            log.exception("PayPal event %s not processed", row_id)
    return JSONResponse({"received": True})


routes = [Route(paths.PAYPAL_WEBHOOK, paypal_webhook, methods=["POST"])]
