"""SSRF probes: with the test setting off, loopback, private, metadata, mapped and NAT64
addresses are refused when an endpoint is saved and again at every delivery; a name is
checked on what it resolves to; a redirect is never followed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from qrapp.db import read_session, transaction
from qrapp.models.types import utcnow
from qrapp.models.webhooks import WebhookAttempt, WebhookEndpoint
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.errors import FieldErrors
from qrapp.services.webhooks import addresses, delivery, endpoints
from tests.integration.webhooks.conftest import resolving_to
from tests.support.environment import patched_env

pytestmark = pytest.mark.integration

PROBES = [
    "https://127.0.0.1/hooks",
    "https://[::1]/hooks",
    "https://10.0.0.1/hooks",
    "https://169.254.169.254/latest/meta-data",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://[64:ff9b::7f00:1]/hooks",
    "https://100.64.0.1/hooks",
    "https://localhost/hooks",
]


@pytest.fixture
def strict():
    """The production rule: no private addresses, https only."""
    with patched_env({"WEBHOOKS_ALLOW_PRIVATE": "false"}):
        yield


def _endpoint_count() -> int:
    with read_session() as s:
        return len(s.exec(select(WebhookEndpoint)).all())


@pytest.mark.parametrize("url", PROBES)
def test_private_addresses_are_refused_when_saved(people, strict, url):
    with pytest.raises(FieldErrors) as err:
        endpoints.create_endpoint(actor=people["admin"], url=url, event_types=["code.created"])
    assert "cannot be sent to" in err.value.errors["url"] or "local name" in err.value.errors["url"]
    assert _endpoint_count() == 0


def test_plain_http_is_refused_outside_development(people, strict):
    with pytest.raises(FieldErrors) as err:
        endpoints.create_endpoint(
            actor=people["admin"], url="http://hooks.example.com/x", event_types=["code.created"]
        )
    assert err.value.errors["url"] == "The URL must use https://."


def test_a_name_is_checked_on_every_address_it_resolves_to(people, strict):
    with (
        addresses.using_resolver(resolving_to("127.0.0.1")),
        pytest.raises(FieldErrors) as err,
    ):
        endpoints.create_endpoint(
            actor=people["admin"], url="https://hooks.example.com/x", event_types=["code.created"]
        )
    assert "hooks.example.com (127.0.0.1)" in err.value.errors["url"]
    public_and_private = resolving_to("93.184.215.14", "10.1.2.3")
    with addresses.using_resolver(public_and_private), pytest.raises(FieldErrors) as err:
        endpoints.create_endpoint(
            actor=people["admin"], url="https://hooks.example.com/x", event_types=["code.created"]
        )
    assert "10.1.2.3" in err.value.errors["url"]
    with addresses.using_resolver(resolving_to("93.184.215.14")):
        ok = endpoints.create_endpoint(
            actor=people["admin"], url="https://hooks.example.com/x", event_types=["code.created"]
        )
    assert ok.url == "https://hooks.example.com/x"


def test_a_name_that_turns_private_later_is_refused_at_delivery(people, held, receiver):
    with addresses.using_resolver(resolving_to("93.184.215.14")):
        ep = endpoints.create_endpoint(
            actor=people["admin"],
            url=f"https://hooks.example.com:{receiver.port}/x",
            event_types=["code.created"],
        )
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    with (
        patched_env({"WEBHOOKS_ALLOW_PRIVATE": "false"}),
        addresses.using_resolver(resolving_to("127.0.0.1")),
    ):
        assert delivery.attempt(held[0], queue_retry=False) == "pending"
    assert receiver.received() == []
    with read_session() as s:
        (attempt,) = s.exec(select(WebhookAttempt)).all()
    assert attempt.status_code is None
    assert "loopback" in attempt.error
    assert ep.id


def test_a_redirect_to_a_private_address_is_not_followed(people, held, receiver, other_receiver):
    receiver.script = [(302, {"Location": other_receiver.url})]
    endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=["code.created"])
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    assert delivery.attempt(held[0], queue_retry=False) == "pending"  # to be retried
    assert len(receiver.received()) == 1
    assert other_receiver.received() == []
    with read_session() as s:
        (attempt,) = s.exec(select(WebhookAttempt)).all()
    assert attempt.status_code == 302


def test_an_endpoint_saved_before_the_rule_tightened_is_refused_at_delivery(people, held, receiver):
    endpoints.create_endpoint(actor=people["admin"], url=receiver.url, event_types=["code.created"])
    qrcodes.create(actor=people["editor"], data=CodeInput(name="A", destination="a.example"))
    with patched_env({"WEBHOOKS_ALLOW_PRIVATE": "false"}):
        delivery.attempt(held[0], now=utcnow() + dt.timedelta(seconds=1), queue_retry=False)
    assert receiver.received() == []
    with transaction() as tx:
        (attempt,) = tx.session.exec(select(WebhookAttempt)).all()
    assert "https" in attempt.error
