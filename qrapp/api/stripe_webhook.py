"""Stripe's webhook: POST routes.STRIPE_WEBHOOK.

The signature is checked on the raw body, byte for byte as Stripe signed it, with
Stripe's five-minute tolerance (an old timestamp is a replay). A verified event is stored
once and processed by the worker (services.billing.stripe_events); this route answers
fast so Stripe does not retry while we work. Anything unverified gets 400 and changes
nothing.
"""

from __future__ import annotations

import logging

import stripe
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from qrapp.api.capped_body import read_capped
from qrapp.core import routes as paths
from qrapp.services.billing import stripe_events
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300
# Stripe's events are a few kB; a body far larger is not one of them.
MAX_BODY = 512 * 1024


async def stripe_webhook(request: Request) -> Response:
    secret = get_settings().stripe_webhook_secret
    if not secret:
        return PlainTextResponse("Stripe webhooks are not set up here.", 503)
    payload = await read_capped(request, MAX_BODY)
    if payload is None:
        return PlainTextResponse("Too large.", 413)
    try:
        event = stripe.Webhook.construct_event(
            payload, request.headers.get("stripe-signature"), secret, tolerance=TOLERANCE_SECONDS
        )
        data = event.to_dict()
        await run_in_threadpool(stripe_events.receive, data)
    except stripe.SignatureVerificationError:
        return PlainTextResponse("Bad signature.", 400)
    except (ValueError, TypeError, AttributeError, KeyError):  # not JSON, or not an event
        return PlainTextResponse("Bad payload.", 400)
    return JSONResponse({"received": True})


routes = [Route(paths.STRIPE_WEBHOOK, stripe_webhook, methods=["POST"])]
