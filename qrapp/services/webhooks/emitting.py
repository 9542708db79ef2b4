"""Recording events: one message per subscribed, enabled endpoint, in the transaction of
the change it tells about, queued for delivery once that commits (a rolled-back change
sends nothing). A workspace without endpoints costs one indexed query."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from qrapp.core.ids import uuid7
from qrapp.db import Transaction, transaction
from qrapp.models.types import utcnow
from qrapp.models.webhooks import PENDING, WebhookEndpoint, WebhookMessage
from qrapp.services.webhooks import events, queueing
from qrapp.settings import get_settings


def subscribed(
    session: Session, workspace_ids: Iterable[uuid.UUID], event_type: str
) -> list[WebhookEndpoint]:
    ids = list(set(workspace_ids))
    if not ids:
        return []
    rows = session.exec(
        select(WebhookEndpoint).where(
            col(WebhookEndpoint.workspace_id).in_(ids), col(WebhookEndpoint.enabled).is_(True)
        )
    ).all()
    return [ep for ep in rows if event_type in (ep.event_types or [])]


def body_of(event_type: str, data: dict[str, Any], at: dt.datetime) -> str:
    """The Standard Webhooks payload: {type, timestamp, data}, fixed once for every try."""
    payload = {"type": event_type, "timestamp": at.isoformat(), "data": data}
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)


def _record(
    session: Session, endpoint: WebhookEndpoint, event_type: str, body: str, now: dt.datetime
) -> uuid.UUID:
    message = WebhookMessage(
        msg_id="msg_" + uuid7().hex,
        workspace_id=endpoint.workspace_id,
        endpoint_id=endpoint.id,
        event_type=event_type,
        body=body,
        status=PENDING,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message.id


def emit(tx: Transaction, workspace_id: uuid.UUID, event_type: str, data: dict[str, Any]) -> None:
    """Tell the workspace's endpoints subscribed to `event_type`."""
    if event_type not in events.EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    endpoints = subscribed(tx.session, [workspace_id], event_type)
    if not endpoints:
        return
    now = utcnow()
    body = body_of(event_type, data, now)
    ids = [_record(tx.session, ep, event_type, body, now) for ep in endpoints]
    tx.after_commit(lambda: queueing.schedule(ids))


def emit_many(event_type: str, items: list[tuple[uuid.UUID, dict[str, Any]]]) -> int:
    """Events of one type for several workspaces (after a batch commits), in one
    transaction of their own with one endpoint query. Returns the messages recorded."""
    if not items:
        return 0
    with transaction() as tx:
        endpoints = subscribed(tx.session, [ws for ws, _data in items], event_type)
        if not endpoints:
            return 0
        now = utcnow()
        ids = [
            _record(tx.session, ep, event_type, body_of(event_type, data, now), now)
            for ws, data in items
            for ep in endpoints
            if ep.workspace_id == ws
        ]
        tx.after_commit(lambda: queueing.schedule(ids))
    return len(ids)


def emit_scans(rows: list[dict[str, Any]]) -> int:
    """scan.created for scans the ingest has committed: per workspace, one message per
    batch of up to WEBHOOKS_SCAN_BATCH scans. Returns the messages recorded."""
    if not rows:
        return 0
    by_workspace: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_workspace[row["workspace_id"]].append(row)
    size = max(1, get_settings().webhooks_scan_batch)
    with transaction() as tx:
        endpoints = subscribed(tx.session, by_workspace, "scan.created")
        if not endpoints:
            return 0
        now = utcnow()
        ids: list[uuid.UUID] = []
        for ep in endpoints:
            scans = by_workspace[ep.workspace_id]
            for start in range(0, len(scans), size):
                data = {"scans": [events.scan_data(r) for r in scans[start : start + size]]}
                body = body_of("scan.created", data, now)
                ids.append(_record(tx.session, ep, "scan.created", body, now))
        tx.after_commit(lambda: queueing.schedule(ids))
    return len(ids)
