"""Beat tasks of the PayPal and Klarna payments (issue 13): thin, idempotent."""

from __future__ import annotations

from workers.celery_app import app

KLARNA_CHARGE_DUE_TASK = "qrapp.billing.klarna_charge_due"
PAYPAL_PENDING_TASK = "qrapp.billing.paypal_process_pending"


@app.task(name=KLARNA_CHARGE_DUE_TASK)
def klarna_charge_due() -> int:
    """Idempotent: a period is charged once (an open charge is retried with its own
    Klarna idempotency key; a paid one moves the period past the due window)."""
    from qrapp.services.billing import klarna_renewals

    return klarna_renewals.charge_due()


@app.task(name=PAYPAL_PENDING_TASK)
def paypal_process_pending() -> int:
    """Idempotent: each stored event is processed by re-reading PayPal's state."""
    from qrapp.services.billing import paypal_webhooks

    return paypal_webhooks.process_pending()
