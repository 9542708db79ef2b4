"""The other services' events: page.published, subscription.changed (only on a change),
lead.created and scan.created from the ingest's hook."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models.types import utcnow
from qrapp.models.webhooks import WebhookMessage
from qrapp.services.pages import editing
from qrapp.services.webhooks import endpoints, hooks
from tests.support.plans import give_plan

pytestmark = pytest.mark.integration


def _payloads(event_type: str) -> list[dict]:
    with read_session() as s:
        rows = s.exec(
            select(WebhookMessage)
            .where(WebhookMessage.event_type == event_type)
            .order_by(WebhookMessage.created_at, WebhookMessage.id)
        ).all()
    return [json.loads(m.body) for m in rows]


def test_page_published(people, receiver, held):
    endpoints.create_endpoint(
        actor=people["admin"], url=receiver.url, event_types=["page.published"]
    )
    page = editing.create_page(actor=people["editor"], name="Spring menu")
    editing.publish(actor=people["editor"], page_id=page.id)
    (payload,) = _payloads("page.published")
    assert payload["data"] == {"id": str(page.id), "name": "Spring menu", "version": 1}
    assert len(held) == 1


def test_subscription_changed_only_when_the_plan_or_status_moves(people, receiver, held):
    endpoints.create_endpoint(
        actor=people["admin"], url=receiver.url, event_types=["subscription.changed"]
    )
    ws = people["owner"].workspace_id
    give_plan(ws, "pro")
    give_plan(ws, "pro")  # the same state again (a provider repeating itself)
    give_plan(ws, "business")
    changes = [
        (p["data"]["previous_plan"], p["data"]["plan"]) for p in _payloads("subscription.changed")
    ]
    assert changes == [(None, "pro"), ("pro", "business")]


def test_the_ingest_hook_announces_leads_and_scans(people, receiver, held):
    endpoints.create_endpoint(
        actor=people["admin"], url=receiver.url, event_types=["lead.created", "scan.created"]
    )
    ws = people["owner"].workspace_id
    lead = {
        "id": uuid.uuid4(),
        "workspace_id": ws,
        "page_id": uuid.uuid4(),
        "fields": [{"name": "email", "label": "E-mail", "value": "a@b.example"}],
        "consent_text": "",
        "created_at": utcnow(),
    }
    scan = {
        "event_id": uuid.uuid4(),
        "qrcode_id": uuid.uuid4(),
        "workspace_id": ws,
        "occurred_at": utcnow() - dt.timedelta(seconds=2),
    }
    hooks.ingested([scan], [lead])
    (lead_payload,) = _payloads("lead.created")
    assert lead_payload["data"]["fields"][0]["value"] == "a@b.example"
    (scan_payload,) = _payloads("scan.created")
    assert scan_payload["data"]["scans"][0]["id"] == str(scan["event_id"])
    assert len(held) == 2
