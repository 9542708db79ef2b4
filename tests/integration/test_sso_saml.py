"""SAML 2.0 sign-in against a real pysaml2 IdP (tests/support/saml_idp.py), over the
backend's HTTP routes: the good path and every refusal (unsigned, wrong signing key, wrong
audience, wrong recipient, expired, replayed, another browser, another workspace)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models import AuditLog, SamlAssertionSeen
from qrapp.models.audit import AuditAction
from qrapp.services.errors import FieldErrors
from qrapp.services.sso import connections, saml, tickets
from qrapp.settings import get_settings
from tests.integration.helpers import BINDING
from tests.integration.sso_support import backend_client, path_of, role_in, tenant
from tests.support.saml_idp import parse_redirect, running_idp


@pytest.fixture(scope="session")
def idp(tmp_path_factory):
    with running_idp(tmp_path_factory.mktemp("saml-idp")) as server:
        yield server


@pytest.fixture
def acme(clean_db, idp, private_webhooks):
    idp.mode = "good"
    t = tenant("owner@acme.example", "acme.example")
    conn = connections.create_connection(
        actor=t.actor,
        protocol="saml",
        name="Acme IdP",
        config={"idp_metadata_url": idp.metadata_url, "group_roles": {"qr-admins": "admin"}},
    )
    return t, conn


def _to_idp(client, connection_id):
    """Start a sign-in; the AuthnRequest the IdP got and the RelayState."""
    ticket = tickets.issue(binding=BINDING, connection_id=connection_id)
    started = client.get(f"/auth/sso/{connection_id}/start?t={ticket}&next=/codes")
    assert started.status_code == 303, started.text
    return parse_redirect(started.headers["location"])


def _post(client, connection_id, saml_response, relay_state):
    return client.post(
        f"/auth/saml/{connection_id}/acs",
        data={"SAMLResponse": saml_response, "RelayState": relay_state},
    )


def test_a_signed_assertion_signs_the_person_in_with_their_mapped_role(acme, idp):
    t, conn = acme
    client = backend_client()
    request = _to_idp(client, conn.id)
    assert request.acs_url == saml.acs_url(conn.id)
    assert request.sp_entity_id == saml.sp_entity_id(conn.id)
    answered = _post(client, conn.id, idp.response_for(request, "carol"), request.relay_state)
    assert answered.status_code == 303, answered.text
    finished = client.get(path_of(answered.headers["location"]))
    assert finished.status_code == 303, finished.text
    session = client.get(path_of(finished.headers["location"]))
    assert session.status_code == 303
    assert session.headers["location"].endswith("/codes")
    assert get_settings().session_cookie_name in session.cookies
    assert role_in(t.workspace_id, "carol@acme.example") == "admin"  # qr-admins -> admin
    with read_session() as s:
        assert s.exec(select(SamlAssertionSeen)).first() is not None


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("unsigned", "was not signed"),
        ("wrong_key", "signature did not match"),
        ("wrong_audience", "wrong audience"),
        ("wrong_recipient", "wrong recipient"),
        ("expired", "has expired"),
    ],
)
def test_a_bad_answer_is_refused_with_a_reason(acme, idp, mode, message):
    t, conn = acme
    client = backend_client()
    request = _to_idp(client, conn.id)
    idp.mode = mode
    answered = _post(client, conn.id, idp.response_for(request, "carol"), request.relay_state)
    assert answered.status_code == 403
    assert message in answered.text
    assert "Back to the login page" in answered.text
    assert role_in(t.workspace_id, "carol@acme.example") is None
    with read_session() as s:
        failed = s.exec(
            select(AuditLog).where(AuditLog.action == AuditAction.SSO_LOGIN_FAILED)
        ).all()
    assert [f.workspace_id for f in failed] == [t.workspace_id]


def test_a_replayed_assertion_is_refused(acme, idp):
    _t, conn = acme
    client = backend_client()
    request = _to_idp(client, conn.id)
    response = idp.response_for(request, "dave")
    assert _post(client, conn.id, response, request.relay_state).status_code == 303
    again = _post(client, conn.id, response, request.relay_state)
    assert again.status_code == 403
    assert "already used" in again.text


def test_the_finish_works_only_in_the_browser_that_started(acme, idp):
    _t, conn = acme
    client = backend_client()
    request = _to_idp(client, conn.id)
    answered = _post(client, conn.id, idp.response_for(request, "dave"), request.relay_state)
    stranger = backend_client(binding="someone-elses-browser-binding")
    refused = stranger.get(path_of(answered.headers["location"]))
    assert refused.status_code == 403
    assert "another browser" in refused.text


def test_a_workspace_connection_never_admits_anyone_to_another(acme, idp):
    a, conn_a = acme
    b = tenant("owner@other.example", "other.example")
    conn_b = connections.create_connection(
        actor=b.actor,
        protocol="saml",
        name="Other IdP",
        config={"idp_metadata_xml": idp.metadata_xml},
    )
    client = backend_client()
    # A's answer posted to B's ACS: not B's request, not B's audience.
    request = _to_idp(client, conn_a.id)
    wrong_door = _post(client, conn_b.id, idp.response_for(request, "carol"), request.relay_state)
    assert wrong_door.status_code == 403
    assert role_in(b.workspace_id, "carol@acme.example") is None
    # B's own connection, but carol's domain is A's: B cannot admit her.
    request = _to_idp(client, conn_b.id)
    refused = _post(client, conn_b.id, idp.response_for(request, "carol"), request.relay_state)
    assert refused.status_code == 403
    assert "not one this workspace has verified" in refused.text
    assert role_in(b.workspace_id, "carol@acme.example") is None
    # Nor does A's connection admit B's people (erin@other.example).
    request = _to_idp(client, conn_a.id)
    refused = _post(client, conn_a.id, idp.response_for(request, "erin"), request.relay_state)
    assert refused.status_code == 403
    assert role_in(a.workspace_id, "erin@other.example") is None
    assert role_in(b.workspace_id, "erin@other.example") is None


def test_our_metadata_names_the_entity_id_and_acs(acme):
    _t, conn = acme
    answer = backend_client().get(f"/auth/saml/{conn.id}/metadata")
    assert answer.status_code == 200
    assert saml.sp_entity_id(conn.id) in answer.text
    assert saml.acs_url(conn.id) in answer.text
    assert backend_client().get("/auth/saml/not-a-uuid/metadata").status_code == 404


def test_metadata_without_a_signing_certificate_is_refused(acme):
    t, _conn = acme
    xml = (
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        'Location="https://idp.test/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>'
    )
    for config, field in [
        ({"idp_metadata_xml": xml}, "idp_metadata_xml"),
        ({"idp_metadata_xml": "<not-metadata/>"}, "idp_metadata_xml"),
        ({"idp_metadata_url": "ftp://idp.test/md"}, "idp_metadata_url"),
    ]:
        with pytest.raises(FieldErrors) as refused:
            connections.create_connection(actor=t.actor, protocol="saml", name="x", config=config)
        assert field in refused.value.errors


def test_a_metadata_url_on_our_own_network_is_not_fetched(acme, idp):
    """The webhooks' address rules: with private addresses not allowed (as in production),
    the test IdP's metadata URL on 127.0.0.1 is refused at the field, and nothing is kept."""
    from tests.support.environment import patched_env

    t, _conn = acme
    before = len(connections.list_connections(actor=t.actor))
    with (
        patched_env({"WEBHOOKS_ALLOW_PRIVATE": "false"}),
        pytest.raises(FieldErrors) as refused,
    ):
        connections.create_connection(
            actor=t.actor, protocol="saml", name="y", config={"idp_metadata_url": idp.metadata_url}
        )
    assert "idp_metadata_url" in refused.value.errors
    assert len(connections.list_connections(actor=t.actor)) == before


def test_a_start_without_the_login_pages_ticket_goes_nowhere(acme):
    """Another site cannot send a visitor through an IdP it controls (login CSRF)."""
    _t, conn = acme
    started = backend_client().get(f"/auth/sso/{conn.id}/start?next=/codes")
    assert started.status_code == 303
    assert "/login?sso_error=" in started.headers["location"]
    # ...and there is no other way in: SAML has no start route of its own.
    assert backend_client().get(f"/auth/saml/{conn.id}/login").status_code == 404


def test_an_admins_test_sign_in_checks_the_answer_and_logs_nobody_in(acme, idp):
    t, conn = acme
    client = backend_client()
    client.cookies.set(get_settings().session_cookie_name, t.session)
    started = client.get(f"/auth/sso/{conn.id}/start?test=1")
    assert started.status_code == 303, started.text
    request = parse_redirect(started.headers["location"])
    answered = _post(client, conn.id, idp.response_for(request, "carol"), request.relay_state)
    assert answered.status_code == 303
    assert answered.headers["location"].endswith("/settings/sso?test=ok")
    assert role_in(t.workspace_id, "carol@acme.example") is None
    idp.mode = "unsigned"  # a broken set-up is reported, not accepted
    request = parse_redirect(client.get(f"/auth/sso/{conn.id}/start?test=1").headers["location"])
    refused = _post(client, conn.id, idp.response_for(request, "carol"), request.relay_state)
    assert refused.status_code == 403
    assert "was not signed" in refused.text
