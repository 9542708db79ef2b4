"""Custom-domain fixtures: one authoritative DNS server for the session (the checks are
pointed at it through DNS_NAMESERVERS), owners on a plan with custom domains."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from qrapp.services.domains import live
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.dns_server import DnsServer
from tests.support.environment import patched_env
from tests.support.plans import give_plan

EDGE_HOST = "edge.qrapp.test"


@pytest.fixture(scope="session")
def dns_server() -> Iterator[DnsServer]:
    server = DnsServer().start()
    yield server
    server.stop()


@pytest.fixture
def dns(dns_server, clean_db) -> Iterator[DnsServer]:
    env = {"DNS_NAMESERVERS": dns_server.setting, "DOMAINS_EDGE_HOST": EDGE_HOST}
    dns_server.reset()
    with patched_env(env):
        live.forget()
        yield dns_server
    live.forget()


def new_owner(plan: str | None = "business"):
    owner = actor(sign_up_and_session(f"owner-{uuid.uuid4().hex[:8]}@example.com", "Owner"))
    if plan:
        give_plan(owner.workspace_id, plan)
    return owner


def publish(dns: DnsServer, hostname: str, token: str, target: str = EDGE_HOST) -> None:
    """The records a customer creates: the TXT token and the CNAME to our edge."""
    dns.set(f"_qrapp-challenge.{hostname}", "TXT", token)
    dns.set(hostname, "CNAME", target)


def unpublish(dns: DnsServer, hostname: str) -> None:
    dns.clear(f"_qrapp-challenge.{hostname}")
    dns.clear(hostname)
