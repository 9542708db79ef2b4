"""Deliveries end to end: every request the receiver gets is verified with the independent
`standardwebhooks` library; retries and resends keep the id; the schedule is followed (a
fake clock); failing endpoints are disabled and their owners mailed; during a rotation's
overlap both secrets verify."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid

import pytest
from sqlmodel import select
from standardwebhooks.webhooks import Webhook

from qrapp.db import read_session, transaction
from qrapp.models.types import utcnow
from qrapp.models.webhooks import WebhookEndpoint, WebhookMessage
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.webhooks import delivery, emitting, endpoints
from qrapp.services.webhooks.delivery import JITTER, SCHEDULE
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

CODE_EVENTS = ["code.created", "code.updated", "code.deleted"]


def verified(secret: str, request) -> dict:
    """The payload, when the library accepts the request's signature (raises otherwise)."""
    return Webhook(secret).verify(request.body, request.headers)


def _messages(endpoint_id):
    with read_session() as s:
        return s.exec(
            select(WebhookMessage)
            .where(WebhookMessage.endpoint_id == endpoint_id)
            .order_by(WebhookMessage.created_at, WebhookMessage.id)
        ).all()


def test_code_events_reach_the_receiver_signed(people, receiver):
    ep = endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=CODE_EVENTS)
    code = qrcodes.create(
        actor=people["editor"], data=CodeInput(name="Menu", destination="https://a.example")
    )
    qrcodes.rename(actor=people["editor"], code_id=code.id, name="Lunch menu")
    qrcodes.delete(actor=people["editor"], code_id=code.id)

    requests = eventually(lambda: len(receiver.received()) >= 3 and receiver.received(), 60)
    payloads = [verified(ep.secret, r) for r in requests]
    assert sorted(p["type"] for p in payloads) == sorted(CODE_EVENTS)
    assert {p["data"]["id"] for p in payloads} == {str(code.id)}
    renamed = next(p for p in payloads if p["type"] == "code.updated")
    assert renamed["data"]["name"] == "Lunch menu"
    assert len({r.headers["webhook-id"] for r in requests}) == 3
    assert all(r.headers["webhook-id"].startswith("msg_") for r in requests)
    eventually(lambda: all(m.status == "delivered" for m in _messages(ep.id)), 30)


def test_an_unsubscribed_event_or_another_workspace_sends_nothing(people, receiver, held):
    endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=["code.deleted"])
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    qrcodes.create(actor=people["stranger"], data=CodeInput(name="B", destination="b.example"))
    assert held == []
    with read_session() as s:
        assert s.exec(select(WebhookMessage)).all() == []


def test_a_failed_delivery_is_retried_by_the_worker_with_the_same_id(people, receiver):
    receiver.script = [(500, {})]
    ep = endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=CODE_EVENTS)
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))

    # The first answer is 500; the spec's second try comes about 5 seconds later.
    requests = eventually(lambda: len(receiver.received()) >= 2 and receiver.received(), 60)
    assert requests[0].headers["webhook-id"] == requests[1].headers["webhook-id"]
    assert requests[0].body == requests[1].body
    assert verified(ep.secret, requests[1])["type"] == "code.created"
    gap = int(requests[1].headers["webhook-timestamp"]) - int(
        requests[0].headers["webhook-timestamp"]
    )
    assert gap >= 4
    (message,) = eventually(lambda: [m for m in _messages(ep.id) if m.status == "delivered"], 30)
    assert message.attempts == 2
    assert message.last_status_code == 204


def test_the_retry_schedule_is_followed_with_the_same_id(people, receiver, held):
    receiver.default = (503, {})
    ep = endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=CODE_EVENTS)
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    (message_id,) = held
    rng = random.Random(7)
    now = utcnow() + dt.timedelta(hours=1)  # ahead of the real clock: nothing else is due
    for n in range(1, len(SCHEDULE) + 1):
        assert delivery.attempt(message_id, now=now, rng=rng, queue_retry=False)
        (message,) = _messages(ep.id)
        assert message.attempts == n
        if n == len(SCHEDULE):
            assert message.status == "failed"
            assert message.next_attempt_at is None
            break
        assert message.status == "pending"
        wait = (message.next_attempt_at - now).total_seconds()
        assert SCHEDULE[n] * (1 - JITTER) - 0.01 <= wait <= SCHEDULE[n] * (1 + JITTER) + 0.01
        # Not due a moment before its time.
        early = message.next_attempt_at - dt.timedelta(seconds=0.5)
        assert delivery.attempt(message_id, now=early, rng=rng, queue_retry=False) is None
        now = message.next_attempt_at

    requests = receiver.received()
    assert len(requests) == len(SCHEDULE)
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    assert len({r.body for r in requests}) == 1
    stamps = [int(r.headers["webhook-timestamp"]) for r in requests]
    assert stamps == sorted(stamps)
    assert stamps[-1] - stamps[0] >= sum(SCHEDULE) * (1 - JITTER) - 1  # about 27.6 hours
    # A settled message is not attempted again.
    assert delivery.attempt(message_id, now=now + dt.timedelta(days=1), queue_retry=False) is None
    assert len(receiver.received()) == len(SCHEDULE)


def _fail_together(message_ids, start):
    """Attempt the messages side by side, as they fall due, until each is settled."""
    now = start
    while True:
        for message_id in message_ids:
            delivery.attempt(message_id, now=now, queue_retry=False)
        with read_session() as s:
            due = [
                m.next_attempt_at
                for m in (s.get(WebhookMessage, i) for i in message_ids)
                if m.status == "pending"
            ]
        if not due:
            return
        now = max(due)


def test_an_endpoint_failing_message_after_message_is_disabled_and_the_owner_mailed(
    people, receiver, held, mail
):
    receiver.default = (500, {})
    ep = endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=CODE_EVENTS)
    now = utcnow() + dt.timedelta(hours=1)
    for i in range(5):
        qrcodes.create(
            actor=people["editor"], data=CodeInput(name=f"C{i}", destination="a.example")
        )
    assert len(held) == 5
    _fail_together(list(held), now)  # about 28 hours: the streak, not the days, disables

    got = endpoints.get_endpoint(actor=people["admin"], endpoint_id=ep.id)
    assert not got.enabled
    assert "5 messages in a row" in got.disabled_reason
    msg = mail.wait_for("owner@hooks.example", "webhook endpoint was disabled", timeout=60)
    assert receiver.url in msg.get_payload()
    # A disabled endpoint gets no new messages.
    qrcodes.create(actor=people["editor"], data=CodeInput(name="late", destination="a.example"))
    assert len(held) == 5
    # Enabled again, it starts afresh.
    endpoints.update_endpoint(actor=people["admin"], endpoint_id=ep.id, enabled=True)
    with read_session() as s:
        row = s.get(WebhookEndpoint, ep.id)
        assert row.enabled
        assert row.failure_streak == 0
        assert row.failing_since is None


def test_an_endpoint_failing_for_days_is_disabled(people, receiver, held):
    receiver.default = (500, {})
    ep = endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=CODE_EVENTS)
    start = utcnow() + dt.timedelta(hours=1)
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    delivery.attempt(held[0], now=start, queue_retry=False)
    assert endpoints.get_endpoint(actor=people["admin"], endpoint_id=ep.id).enabled
    qrcodes.create(actor=people["editor"], data=CodeInput(name="B", destination="a.example"))
    delivery.attempt(held[1], now=start + dt.timedelta(days=5, seconds=1), queue_retry=False)
    got = endpoints.get_endpoint(actor=people["admin"], endpoint_id=ep.id)
    assert not got.enabled
    assert "5 days" in got.disabled_reason


def test_during_a_rotation_both_secrets_verify(people, receiver, held):
    ep = endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=CODE_EVENTS)
    rotated = endpoints.rotate_secret(actor=people["admin"], endpoint_id=ep.id)
    assert rotated.secret != ep.secret
    assert rotated.previous_secret_until is not None
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    assert delivery.attempt(held[-1], queue_retry=False) == "delivered"
    (request,) = receiver.received()
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verified(ep.secret, request)["type"] == "code.created"
    assert verified(rotated.secret, request)["type"] == "code.created"

    # After the overlap only the new secret signs.
    with transaction() as tx:
        row = tx.session.get(WebhookEndpoint, ep.id)
        row.previous_secret_until = utcnow() - dt.timedelta(seconds=1)
        tx.session.add(row)
    qrcodes.create(actor=people["editor"], data=CodeInput(name="B", destination="a.example"))
    assert delivery.attempt(held[-1], queue_retry=False) == "delivered"
    later = receiver.received()[-1]
    assert verified(rotated.secret, later)["type"] == "code.created"
    with pytest.raises(Exception, match=r"(?i)signature"):
        verified(ep.secret, later)


def test_resend_sends_the_same_message_again_through_the_worker(people, receiver):
    ep = endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=CODE_EVENTS)
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    eventually(lambda: len(receiver.received()) == 1, 60)
    (row,) = eventually(
        lambda: [
            d
            for d in endpoints.list_deliveries(actor=people["admin"], endpoint_id=ep.id)
            if d.status == "delivered"
        ],
        30,
    )
    assert row.event_type == "code.created"
    assert row.status_code == 204
    assert json.loads(row.body)["type"] == "code.created"
    endpoints.resend(actor=people["admin"], message_id=row.id)
    requests = eventually(lambda: len(receiver.received()) == 2 and receiver.received(), 60)
    assert requests[0].headers["webhook-id"] == requests[1].headers["webhook-id"] == row.msg_id
    verified(ep.secret, requests[1])
    eventually(
        lambda: (
            endpoints.list_deliveries(actor=people["admin"], endpoint_id=ep.id)[0].attempts == 2
        ),
        30,
    )


def test_scans_are_announced_in_batches_per_workspace(people, receiver, held):
    ep = endpoints.create_endpoint(
        actor=people["admin"], url=receiver.url, event_types=["scan.created"]
    )
    code = qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    rows = [
        {
            "event_id": uuid.uuid4(),
            "qrcode_id": code.id,
            "workspace_id": code.workspace_id,
            "occurred_at": utcnow(),
            "country": "SE",
            "device_type": "mobile",
            "visitor_hash": "secret-hash",
        }
        for _ in range(250)
    ]
    other = dict(rows[0], workspace_id=people["stranger"].workspace_id)
    assert emitting.emit_scans([*rows, other]) == 3  # 100 + 100 + 50, none for B
    sizes = []
    for m in _messages(ep.id):
        payload = json.loads(m.body)
        assert payload["type"] == "scan.created"
        sizes.append(len(payload["data"]["scans"]))
        assert "secret-hash" not in m.body  # the visitor hash never leaves
    assert sorted(sizes) == [50, 100, 100]
