"""A workspace's webhook endpoints: add, change, enable/disable, rotate the secret,
delete; the delivery log and resending. Owners and admins (WEBHOOKS_MANAGE) only, always
within the actor's workspace (another workspace's endpoint is "not found")."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session, col, func, select

from qrapp.core.permissions import Permission
from qrapp.db import Transaction, read_session, transaction
from qrapp.models.audit import AuditAction
from qrapp.models.types import utcnow
from qrapp.models.webhooks import PENDING, WebhookAttempt, WebhookEndpoint, WebhookMessage
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.errors import FieldErrors, NotFound, ServiceError
from qrapp.services.webhooks import addresses, queueing, signing
from qrapp.services.webhooks.events import EVENT_TYPES

V = TypeVar("V")
R = TypeVar("R")

MAX_ENDPOINTS = 20
DESCRIPTION_MAX = 200
ROTATION_OVERLAP = dt.timedelta(hours=24)


@dataclass(frozen=True)
class EndpointView:
    id: uuid.UUID
    url: str
    description: str
    event_types: tuple[str, ...]
    secret: str
    previous_secret_until: dt.datetime | None
    enabled: bool
    disabled_reason: str
    created_at: dt.datetime


@dataclass(frozen=True)
class DeliveryView:
    id: uuid.UUID
    msg_id: str
    event_type: str
    status: str
    attempts: int
    status_code: int | None
    duration_ms: int | None
    response_head: str
    error: str
    body: str
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None


def _view(ep: WebhookEndpoint, now: dt.datetime) -> EndpointView:
    overlap = (
        ep.previous_secret_until
        if ep.previous_secret_until and ep.previous_secret_until > now
        else None
    )
    return EndpointView(
        id=ep.id,
        url=ep.url,
        description=ep.description,
        event_types=tuple(ep.event_types or ()),
        secret=ep.secret,
        previous_secret_until=overlap,
        enabled=ep.enabled,
        disabled_reason=ep.disabled_reason,
        created_at=ep.created_at,
    )


def check_url(url: str) -> str:
    """The URL as stored, or FieldErrors saying why it cannot be called."""
    try:
        addresses.check(url)
    except addresses.UnsafeUrl as exc:
        raise FieldErrors({"url": str(exc)}) from None
    return url.strip()


def _check_events(event_types: Sequence[str]) -> list[str]:
    chosen = [e for e in EVENT_TYPES if e in set(event_types)]
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        raise FieldErrors({"event_types": f"Unknown event type: {', '.join(unknown)}."})
    if not chosen:
        raise FieldErrors({"event_types": "Choose at least one event to send."})
    return chosen


def _check_description(description: str) -> str:
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise FieldErrors(
            {"description": f"Keep the description under {DESCRIPTION_MAX} characters."}
        )
    return description


def _endpoint_or_raise(session: Session, workspace_id: uuid.UUID, endpoint_id: uuid.UUID):
    ep = session.get(WebhookEndpoint, endpoint_id)
    if ep is None or ep.workspace_id != workspace_id:
        raise NotFound("webhook endpoint")
    return ep


def _audit(tx: Transaction, actor: Actor, ep: WebhookEndpoint, action: AuditAction, ip: str):
    audit.record(
        tx.session,
        action=action,
        actor_user_id=actor.user_id,
        workspace_id=ep.workspace_id,
        target_type="webhook_endpoint",
        target_id=str(ep.id),
        ip=ip,
        details={"url": ep.url},
    )


def list_endpoints(*, actor: Actor) -> list[EndpointView]:
    workspace_id = require(actor, Permission.WEBHOOKS_MANAGE)
    now = utcnow()
    with read_session() as s:
        rows = s.exec(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.workspace_id == workspace_id)
            .order_by(col(WebhookEndpoint.created_at))
        ).all()
        return [_view(ep, now) for ep in rows]


def get_endpoint(*, actor: Actor, endpoint_id: uuid.UUID) -> EndpointView:
    workspace_id = require(actor, Permission.WEBHOOKS_MANAGE)
    with read_session() as s:
        return _view(_endpoint_or_raise(s, workspace_id, endpoint_id), utcnow())


def _checked(errors: dict[str, str], check: Callable[[V], R], value: V) -> R | None:
    try:
        return check(value)
    except FieldErrors as exc:
        errors |= exc.errors
        return None


def create_endpoint(
    *, actor: Actor, url: str, event_types: Sequence[str], description: str = "", ip: str = ""
) -> EndpointView:
    workspace_id = require(actor, Permission.WEBHOOKS_MANAGE)
    errors: dict[str, str] = {}
    clean_url = _checked(errors, check_url, url)
    clean_events = _checked(errors, _check_events, event_types)
    clean_description = _checked(errors, _check_description, description)
    if errors or clean_url is None or clean_events is None or clean_description is None:
        raise FieldErrors(errors)  # every field's message at once
    with transaction() as tx:
        count = tx.session.exec(
            select(func.count()).where(WebhookEndpoint.workspace_id == workspace_id)
        ).one()
        if count >= MAX_ENDPOINTS:
            raise ServiceError(f"A workspace can have at most {MAX_ENDPOINTS} webhook endpoints.")
        ep = WebhookEndpoint(
            workspace_id=workspace_id,
            url=clean_url,
            description=clean_description,
            event_types=clean_events,
            secret=signing.new_secret(),
            created_by=actor.user_id,
        )
        tx.session.add(ep)
        _audit(tx, actor, ep, AuditAction.WEBHOOK_CREATED, ip)
    return _view(ep, utcnow())


def update_endpoint(
    *,
    actor: Actor,
    endpoint_id: uuid.UUID,
    url: str | None = None,
    event_types: Sequence[str] | None = None,
    description: str | None = None,
    enabled: bool | None = None,
    ip: str = "",
) -> EndpointView:
    """Change what is given. Enabling again starts the failure count afresh."""
    workspace_id = require(actor, Permission.WEBHOOKS_MANAGE)
    new_url = check_url(url) if url is not None else None
    new_events = _check_events(event_types) if event_types is not None else None
    new_description = _check_description(description) if description is not None else None
    now = utcnow()
    with transaction() as tx:
        ep = _endpoint_or_raise(tx.session, workspace_id, endpoint_id)
        if new_url is not None:
            ep.url = new_url
        if new_events is not None:
            ep.event_types = new_events
        if new_description is not None:
            ep.description = new_description
        if enabled is not None and enabled != ep.enabled:
            ep.enabled = enabled
            ep.disabled_reason = "" if enabled else "Disabled by a person."
            ep.failure_streak, ep.failing_since = 0, None
        ep.updated_at = now
        tx.session.add(ep)
        _audit(tx, actor, ep, AuditAction.WEBHOOK_UPDATED, ip)
    return _view(ep, now)


def rotate_secret(
    *, actor: Actor, endpoint_id: uuid.UUID, now: dt.datetime | None = None, ip: str = ""
) -> EndpointView:
    """A new secret; the old one keeps signing too for 24 hours (both signatures sent)."""
    workspace_id = require(actor, Permission.WEBHOOKS_MANAGE)
    now = now or utcnow()
    with transaction() as tx:
        ep = _endpoint_or_raise(tx.session, workspace_id, endpoint_id)
        ep.previous_secret, ep.secret = ep.secret, signing.new_secret()
        ep.previous_secret_until = now + ROTATION_OVERLAP
        ep.updated_at = now
        tx.session.add(ep)
        _audit(tx, actor, ep, AuditAction.WEBHOOK_SECRET_ROTATED, ip)
    return _view(ep, now)


def delete_endpoint(*, actor: Actor, endpoint_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.WEBHOOKS_MANAGE)
    with transaction() as tx:
        ep = _endpoint_or_raise(tx.session, workspace_id, endpoint_id)
        _audit(tx, actor, ep, AuditAction.WEBHOOK_DELETED, ip)
        tx.session.delete(ep)


def list_deliveries(*, actor: Actor, endpoint_id: uuid.UUID, limit: int = 50) -> list[DeliveryView]:
    """The endpoint's newest messages, each with its latest attempt."""
    workspace_id = require(actor, Permission.WEBHOOKS_MANAGE)
    with read_session() as s:
        _endpoint_or_raise(s, workspace_id, endpoint_id)
        messages = s.exec(
            select(WebhookMessage)
            .where(WebhookMessage.endpoint_id == endpoint_id)
            .order_by(col(WebhookMessage.created_at).desc(), col(WebhookMessage.id).desc())
            .limit(max(1, min(limit, 200)))
        ).all()
        last_at = dict(
            s.exec(
                select(WebhookAttempt.message_id, func.max(WebhookAttempt.at))
                .where(col(WebhookAttempt.message_id).in_([m.id for m in messages]))
                .group_by(col(WebhookAttempt.message_id))
            ).all()
        )
        return [
            DeliveryView(
                id=m.id,
                msg_id=m.msg_id,
                event_type=m.event_type,
                status=m.status,
                attempts=m.attempts,
                status_code=m.last_status_code,
                duration_ms=m.last_duration_ms,
                response_head=m.last_response_head,
                error=m.last_error,
                body=m.body,
                created_at=m.created_at,
                last_attempt_at=last_at.get(m.id),
            )
            for m in messages
        ]


def resend(*, actor: Actor, message_id: uuid.UUID, now: dt.datetime | None = None) -> None:
    """Send a message again (same id, same body) with a fresh retry schedule."""
    workspace_id = require(actor, Permission.WEBHOOKS_MANAGE)
    now = now or utcnow()
    with transaction() as tx:
        message = tx.session.get(WebhookMessage, message_id)
        if message is None or message.workspace_id != workspace_id:
            raise NotFound("webhook message")
        ep = _endpoint_or_raise(tx.session, workspace_id, message.endpoint_id)
        if not ep.enabled:
            raise ServiceError("Enable the endpoint before resending to it.")
        message.status, message.next_attempt_at = PENDING, now
        message.schedule_from = message.attempts
        tx.session.add(message)
        tx.after_commit(lambda: queueing.schedule([message_id]))
