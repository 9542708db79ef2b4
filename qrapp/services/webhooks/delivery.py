"""Attempting a message: the Standard Webhooks retry schedule (immediately, 5 s, 5 min,
30 min, 2 h, 5 h, 10 h, 10 h) with jitter, the same id and body every time; 2xx is
delivered. An endpoint whose messages keep failing is disabled and its owners told.

Every function takes `now` so tests follow the schedule with a fake clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid

import sqlalchemy as sa
from sqlmodel import col, select

from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.db import Transaction, transaction
from qrapp.models import Membership, User
from qrapp.models.audit import AuditAction
from qrapp.models.types import utcnow
from qrapp.models.webhooks import (
    DELIVERED,
    FAILED,
    PENDING,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookMessage,
)
from qrapp.services import audit
from qrapp.services.mail import app_link, queue_mail
from qrapp.services.webhooks import addresses, queueing, sender, signing
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

# Seconds before each attempt of a run: the first at once, then the spec's backoff.
SCHEDULE: tuple[int, ...] = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
JITTER = 0.1  # +-10 %, so endpoints that failed together are not retried together
# A claimed attempt is not claimed again for this long (a crashed worker's comes back).
LEASE = dt.timedelta(minutes=2)


def retry_delay(attempt_in_run: int, rng: random.Random | None = None) -> float | None:
    """Seconds from a failed attempt (1-based within its run) to the next; None when the
    schedule is used up."""
    if attempt_in_run >= len(SCHEDULE):
        return None
    base = SCHEDULE[attempt_in_run]
    return base * (1 + (rng or random).uniform(-JITTER, JITTER))


def _claim(message_id: uuid.UUID, now: dt.datetime) -> bool:
    """Take the due attempt of a pending message; False when another worker has it, it is
    not due yet, or it is settled."""
    with transaction() as tx:
        taken = tx.session.exec(
            sa.update(WebhookMessage)
            .where(
                col(WebhookMessage.id) == message_id,
                col(WebhookMessage.status) == PENDING,
                col(WebhookMessage.next_attempt_at) <= now,
            )
            .values(attempts=WebhookMessage.attempts + 1, next_attempt_at=now + LEASE)
        ).rowcount
    return bool(taken)


def _secrets(endpoint: WebhookEndpoint, now: dt.datetime) -> list[str]:
    keys = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and until > now:
        keys.append(endpoint.previous_secret)
    return keys


def _send(endpoint: WebhookEndpoint, message: WebhookMessage, now: dt.datetime):
    try:
        target = addresses.check(endpoint.url)
    except addresses.UnsafeUrl as exc:
        return sender.Outcome(None, "", 0, str(exc)[:300])
    timestamp = int(now.timestamp())
    headers = {
        "webhook-id": message.msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(
            _secrets(endpoint, now), message.msg_id, timestamp, message.body
        ),
    }
    return sender.post(target, headers, message.body)


def attempt(
    message_id: uuid.UUID,
    *,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
    queue_retry: bool = True,
) -> str | None:
    """Make the due attempt of a message. Returns its status afterwards (None when there
    was nothing to do). With `queue_retry`, a failed attempt queues the next one."""
    now = now or utcnow()
    if not _claim(message_id, now):
        return None
    with transaction() as tx:
        message = tx.session.get(WebhookMessage, message_id)
        endpoint = tx.session.get(WebhookEndpoint, message.endpoint_id) if message else None
    if message is None or endpoint is None:
        return None
    if not endpoint.enabled:
        outcome = sender.Outcome(None, "", 0, "The endpoint is disabled.")
    else:
        try:
            outcome = _send(endpoint, message, now)
        except Exception:  # a bug must not leave the message leased and unexplained
            log.exception("webhook attempt of %s failed", message.msg_id)
            outcome = sender.Outcome(None, "", 0, "Could not send (an internal error).")
    delay: float | None = None
    with transaction() as tx:
        message = tx.session.get(WebhookMessage, message_id, with_for_update=True)
        endpoint = tx.session.get(WebhookEndpoint, message.endpoint_id) if message else None
        if message is None or endpoint is None:
            return None
        delay = _settle(tx, endpoint, message, outcome, now, rng)
        status = message.status
    if delay is not None and queue_retry:
        queueing.schedule([message_id], countdown=delay)
    return status


def _settle(
    tx: Transaction,
    endpoint: WebhookEndpoint,
    message: WebhookMessage,
    outcome: sender.Outcome,
    now: dt.datetime,
    rng: random.Random | None,
) -> float | None:
    """Log the attempt and decide what comes next; the delay to the retry, if any."""
    tx.session.add(
        WebhookAttempt(
            message_id=message.id,
            attempt=message.attempts,
            at=now,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            response_head=outcome.response_head,
            error=outcome.error,
        )
    )
    message.last_status_code = outcome.status_code
    message.last_response_head = outcome.response_head
    message.last_duration_ms = outcome.duration_ms
    message.last_error = outcome.error
    delay = None
    if outcome.ok:
        message.status, message.delivered_at, message.next_attempt_at = DELIVERED, now, None
        endpoint.failure_streak, endpoint.failing_since = 0, None
    elif not endpoint.enabled:
        message.status, message.next_attempt_at = FAILED, None
    else:
        endpoint.failing_since = endpoint.failing_since or now
        delay = retry_delay(message.attempts - message.schedule_from, rng)
        if delay is None:
            message.status, message.next_attempt_at = FAILED, None
            endpoint.failure_streak += 1
        else:
            message.next_attempt_at = now + dt.timedelta(seconds=delay)
        _maybe_disable(tx, endpoint, now)
    tx.session.add(message)
    tx.session.add(endpoint)
    return delay


def _maybe_disable(tx: Transaction, endpoint: WebhookEndpoint, now: dt.datetime) -> None:
    s = get_settings()
    since = endpoint.failing_since or now
    if endpoint.failure_streak >= s.webhooks_disable_after_messages:
        reason = f"{endpoint.failure_streak} messages in a row could not be delivered."
    elif now - since >= dt.timedelta(days=s.webhooks_disable_after_days):
        reason = f"Every delivery failed for {s.webhooks_disable_after_days} days."
    else:
        return
    endpoint.enabled, endpoint.disabled_reason = False, reason
    endpoint.updated_at = now
    audit.record(
        tx.session,
        action=AuditAction.WEBHOOK_DISABLED,
        actor_user_id=None,
        workspace_id=endpoint.workspace_id,
        target_type="webhook_endpoint",
        target_id=str(endpoint.id),
        details={"reason": reason},
    )
    _mail_owners(tx, endpoint, reason)


def _mail_owners(tx: Transaction, endpoint: WebhookEndpoint, reason: str) -> None:
    owners = tx.session.exec(
        select(User.email)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(
            col(Membership.workspace_id) == endpoint.workspace_id,
            col(Membership.role) == Role.OWNER.value,
        )
    ).all()
    text = (
        f"We stopped sending webhooks to {endpoint.url} because it kept failing.\n\n"
        f"{reason}\n\nFix the endpoint, then enable it again in Settings -> Webhooks:\n"
        f"{app_link(routes.SETTINGS_WEBHOOKS)}\n"
    )
    for email in owners:
        queue_mail(tx, to=email, subject="A webhook endpoint was disabled", text=text)


def sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Queue messages whose attempt is due (a lost queue message, a crashed worker's
    lease run out): the safety net beside the countdowns. Returns how many."""
    now = now or utcnow()
    with transaction() as tx:
        due = tx.session.exec(
            select(WebhookMessage.id)
            .where(
                col(WebhookMessage.status) == PENDING,
                col(WebhookMessage.next_attempt_at) <= now - dt.timedelta(seconds=30),
            )
            .order_by(col(WebhookMessage.next_attempt_at))
            .limit(limit)
        ).all()
    queueing.schedule(due)
    return len(due)
