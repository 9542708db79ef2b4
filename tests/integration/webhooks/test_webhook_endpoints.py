"""Managing endpoints: owners and admins only, within their workspace; clear messages for
bad input, and nothing stored."""

from __future__ import annotations

import pytest
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models.webhooks import WebhookEndpoint
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied
from qrapp.services.webhooks import endpoints

pytestmark = pytest.mark.integration


def test_owners_and_admins_manage_endpoints(people, receiver):
    for role in ("owner", "admin"):
        ep = endpoints.create_endpoint(
            actor=people[role], url=receiver.url, event_types=["code.created"], description=role
        )
        assert ep.secret.startswith("whsec_")
    assert [e.description for e in endpoints.list_endpoints(actor=people["owner"])] == [
        "owner",
        "admin",
    ]
    changed = endpoints.update_endpoint(
        actor=people["admin"], endpoint_id=ep.id, event_types=["page.published", "lead.created"]
    )
    assert changed.event_types == ("page.published", "lead.created")
    endpoints.delete_endpoint(actor=people["owner"], endpoint_id=ep.id)
    assert len(endpoints.list_endpoints(actor=people["admin"])) == 1


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_cannot_manage_endpoints(people, receiver, role):
    ep = endpoints.create_endpoint(
        actor=people["admin"], url=receiver.url, event_types=["code.created"]
    )
    someone = people[role]
    calls = [
        lambda: endpoints.list_endpoints(actor=someone),
        lambda: endpoints.get_endpoint(actor=someone, endpoint_id=ep.id),
        lambda: endpoints.create_endpoint(
            actor=someone, url=receiver.url, event_types=["code.created"]
        ),
        lambda: endpoints.update_endpoint(actor=someone, endpoint_id=ep.id, enabled=False),
        lambda: endpoints.rotate_secret(actor=someone, endpoint_id=ep.id),
        lambda: endpoints.delete_endpoint(actor=someone, endpoint_id=ep.id),
        lambda: endpoints.list_deliveries(actor=someone, endpoint_id=ep.id),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert endpoints.get_endpoint(actor=people["admin"], endpoint_id=ep.id).enabled


def test_another_workspaces_endpoints_are_invisible(people, receiver):
    ep = endpoints.create_endpoint(
        actor=people["admin"], url=receiver.url, event_types=["code.created"]
    )
    b = people["stranger"]  # the owner of workspace B
    assert endpoints.list_endpoints(actor=b) == []
    for call in (
        lambda: endpoints.get_endpoint(actor=b, endpoint_id=ep.id),
        lambda: endpoints.update_endpoint(actor=b, endpoint_id=ep.id, url=receiver.url),
        lambda: endpoints.rotate_secret(actor=b, endpoint_id=ep.id),
        lambda: endpoints.delete_endpoint(actor=b, endpoint_id=ep.id),
        lambda: endpoints.list_deliveries(actor=b, endpoint_id=ep.id),
    ):
        with pytest.raises(NotFound):
            call()
    assert endpoints.get_endpoint(actor=people["admin"], endpoint_id=ep.id).url == receiver.url


def test_bad_input_gets_clear_messages_and_stores_nothing(people):
    with pytest.raises(FieldErrors) as err:
        endpoints.create_endpoint(
            actor=people["admin"], url="ftp://x", event_types=[], description="d" * 201
        )
    assert set(err.value.errors) == {"url", "event_types", "description"}
    assert err.value.errors["event_types"] == "Choose at least one event to send."
    with pytest.raises(FieldErrors) as err:
        endpoints.create_endpoint(
            actor=people["admin"], url="https://x.example", event_types=["nope"]
        )
    assert "nope" in err.value.errors["event_types"]
    with read_session() as s:
        assert s.exec(select(WebhookEndpoint)).all() == []
