"""Helpers of the Stripe tests: people in a workspace, the webhook route in front of a
client, and a subscription made the way a person makes one (Checkout, then its signed
completion event)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import select
from starlette.testclient import TestClient

from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import Membership, User, Workspace
from qrapp.models.billing import BillingEvent, Subscription
from qrapp.services.authz import Actor
from qrapp.services.billing import stripe_billing, stripe_catalog
from qrapp.settings import get_settings
from tests.support import stripe_fake
from tests.support.waiting import eventually


def people(name: str, roles=(Role.OWNER,)) -> tuple[Workspace, dict[str, Actor]]:
    """A workspace with one person per role (rows made directly: the sign-up flow is
    tested elsewhere; here only the actor's role in the workspace matters)."""
    actors = {}
    with transaction() as tx:
        ws = Workspace(name=name)
        tx.session.add(ws)
        tx.session.flush()
        for role in roles:
            user = User(
                email=f"{role.value}.{ws.id.hex[-8:]}@billing.example",
                name=role.value.title(),
                password_hash="!",  # nobody logs in with it
            )
            tx.session.add(user)
            tx.session.flush()
            tx.session.add(Membership(workspace_id=ws.id, user_id=user.id, role=role.value))
            actors[role.value] = Actor(
                user_id=user.id,
                email=user.email,
                name=user.name,
                email_verified=True,
                session_id=uuid.uuid4(),
                workspace_id=ws.id,
                role=role,
            )
    return ws, actors


def app_page(path: str) -> str:
    return f"{get_settings().app_url.rstrip('/')}{path}"


def webhook() -> TestClient:
    from qrapp.api.app import build

    return TestClient(build())


def post_event(payload: dict[str, Any], **signing: Any):
    body, headers = stripe_fake.signed(payload, **signing)
    return webhook().post(routes.STRIPE_WEBHOOK, content=body, headers=headers)


def events(event_id: str | None = None) -> list[BillingEvent]:
    with read_session() as s:
        query = select(BillingEvent)
        if event_id:
            query = query.where(BillingEvent.event_id == event_id)
        return list(s.exec(query).all())


def processed(event_id: str, timeout: float = 30) -> BillingEvent:
    """The stored event once the real worker has processed it."""

    def done():
        rows = events(event_id)
        return rows[0] if rows and rows[0].processed_at else None

    return eventually(done, timeout, interval=0.1, message=f"event {event_id} not processed")


def deliver(payload: dict[str, Any]) -> BillingEvent:
    response = post_event(payload)
    assert response.status_code == 200, response.text
    return processed(payload["id"])


def subscription(ws: Workspace) -> Subscription | None:
    with read_session() as s:
        return s.exec(select(Subscription).where(Subscription.workspace_id == ws.id)).first()


def workspace(ws: Workspace) -> Workspace:
    with read_session() as s:
        row = s.get(Workspace, ws.id)
        assert row is not None
        return row


def ensure_catalog() -> None:
    stripe_catalog.sync()


def subscribe(
    owner: Actor, plan: str = "pro", interval: str = "month", currency: str = "SEK", **complete
) -> str:
    """Checkout as a person goes through it; returns the Stripe subscription id."""
    ensure_catalog()
    url = stripe_billing.checkout_url(
        actor=owner,
        plan=plan,
        interval=interval,
        currency=currency,
        success_url=app_page("/billing?paid=1"),
        cancel_url=app_page("/billing"),
    )
    session_id = urlsplit(url).path.rsplit("/", 1)[1]
    completed = stripe_fake.complete_checkout(session_id, **complete)
    deliver(stripe_fake.event("checkout.session.completed", completed))
    return completed["subscription"]
