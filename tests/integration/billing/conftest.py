"""Fixtures of the PayPal and Klarna tests (paypal, klarna, owner, web): each test gets
a fresh simulator with qrapp pointed at it (settings), an owner with a workspace, and our
HTTP app for the webhooks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import func, select
from starlette.testclient import TestClient

from qrapp.api.app import build
from qrapp.db import read_session
from qrapp.models.billing import BillingEvent, Invoice, Subscription
from qrapp.services.authz import Actor
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.environment import patched_env
from tests.support.klarna_sim import KlarnaSim, klarna_sim
from tests.support.paypal_sim import PayPalSim, paypal_sim


@dataclass
class Owner:
    token: str

    @property
    def actor(self) -> Actor:
        return actor(self.token)

    @property
    def workspace_id(self):
        return self.actor.workspace_id


@pytest.fixture
def owner(clean_db) -> Owner:
    return Owner(sign_up_and_session("owner@example.com", "Olga Owner"))


@pytest.fixture
def paypal(clean_db) -> Iterator[PayPalSim]:
    with paypal_sim() as sim:
        env = {
            "PAYPAL_API_BASE": sim.url,
            "PAYPAL_CLIENT_ID": sim.client_id,
            "PAYPAL_CLIENT_SECRET": sim.client_secret,
            "PAYPAL_WEBHOOK_ID": sim.webhook_id,
        }
        with patched_env(env):
            yield sim


@pytest.fixture
def klarna(clean_db) -> Iterator[KlarnaSim]:
    with klarna_sim() as sim:
        env = {
            "KLARNA_API_BASE": sim.url,
            "KLARNA_USERNAME": sim.username,
            "KLARNA_PASSWORD": sim.password,
        }
        with patched_env(env):
            yield sim


@pytest.fixture
def web() -> Iterator[TestClient]:
    with TestClient(build(), base_url="http://localhost:8000") as client:
        yield client


# Helpers the tests import (plain functions, not fixtures).


def subscription(workspace_id) -> Subscription | None:
    with read_session() as s:
        return s.exec(select(Subscription).where(Subscription.workspace_id == workspace_id)).first()


def invoices(workspace_id) -> list[Invoice]:
    with read_session() as s:
        return list(
            s.exec(
                select(Invoice)
                .where(Invoice.workspace_id == workspace_id)
                .order_by(Invoice.created_at)
            ).all()
        )


def event_count() -> int:
    with read_session() as s:
        return s.exec(select(func.count()).select_from(BillingEvent)).one()
