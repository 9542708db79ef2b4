"""LDAP sign-in against a real OpenLDAP (tests/support/ldap_server.py): LDAPS and StartTLS,
the service account's search, the person's bind, groups -> roles; refusals for a wrong
password, an unknown person, an untrusted server certificate and plain LDAP; the
throttle; and tenancy (a workspace's directory admits only to that workspace)."""

from __future__ import annotations

import pytest

from qrapp.services.accounts import accounts
from qrapp.services.errors import FieldErrors, ServiceError, Throttled
from qrapp.services.sso import connections, ldap
from qrapp.settings import get_settings
from tests.integration.helpers import BINDING
from tests.integration.sso_support import role_in, tenant
from tests.support import ldap_server as directory
from tests.support.ldap_server import LdapServer


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    server = LdapServer(tmp_path_factory.mktemp("slapd")).start()
    yield server
    server.stop()


def _config(slapd: LdapServer, **changes) -> dict:
    return {
        "url": slapd.ldaps_url,
        "ca_pem": slapd.ca_pem,
        "bind_dn": directory.READER_DN,
        "bind_password": directory.READER_PASSWORD,
        "base_dn": directory.BASE_DN,
        "group_roles": {directory.ADMINS_DN: "admin", directory.STAFF_DN: "editor"},
        **changes,
    }


@pytest.fixture
def acme(clean_db, slapd):
    t = tenant("owner@acme.example", "acme.example")
    conn = connections.create_connection(
        actor=t.actor, protocol="ldap", name="Acme directory", config=_config(slapd)
    )
    return t, conn


def _sign_in(email: str, password: str, ip: str = "198.51.100.7") -> str:
    handoff = ldap.log_in(email=email, password=password, ip=ip, binding=BINDING)
    session = accounts.start_session(handoff=handoff, binding=BINDING)
    assert session
    return session


def test_directory_people_sign_in_with_their_groups_roles(acme):
    t, _conn = acme
    _sign_in("alice@acme.example", directory.PASSWORDS["alice"])
    _sign_in("bob@acme.example", directory.PASSWORDS["bob"])
    assert role_in(t.workspace_id, "alice@acme.example") == "admin"  # admins (and staff)
    assert role_in(t.workspace_id, "bob@acme.example") == "editor"  # staff


def test_starttls_on_plain_ldap_works_and_plain_ldap_alone_is_refused(acme, slapd):
    t, conn = acme
    connections.update_connection(
        actor=t.actor,
        connection_id=conn.id,
        config=_config(slapd, url=slapd.ldap_url, starttls=True),
    )
    _sign_in("bob@acme.example", directory.PASSWORDS["bob"])
    assert role_in(t.workspace_id, "bob@acme.example") == "editor"
    with pytest.raises(FieldErrors) as refused:
        connections.update_connection(
            actor=t.actor, connection_id=conn.id, config=_config(slapd, url=slapd.ldap_url)
        )
    assert "TLS is required" in refused.value.errors["url"]


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("alice@acme.example", "not-her-password"),
        ("alice@acme.example", ""),  # an empty password would be an anonymous bind
        ("nobody@acme.example", "whatever-1"),
        ("alice@unbound.example", directory.PASSWORDS["alice"]),  # no workspace's domain
    ],
)
def test_wrong_password_or_unknown_person_is_refused(acme, email, password):
    t, _conn = acme
    with pytest.raises(ServiceError) as refused:
        ldap.log_in(email=email, password=password, ip="198.51.100.7", binding=BINDING)
    assert refused.value.message == ldap.LOGIN_FAILED
    assert role_in(t.workspace_id, email) is None


def test_an_untrusted_server_certificate_is_refused(acme, slapd):
    t, conn = acme
    # No CA given: the system's trust store, which does not know the test CA.
    connections.update_connection(
        actor=t.actor, connection_id=conn.id, config=_config(slapd, ca_pem="")
    )
    with pytest.raises(ServiceError) as refused:
        ldap.log_in(
            email="alice@acme.example",
            password=directory.PASSWORDS["alice"],
            ip="198.51.100.7",
            binding=BINDING,
        )
    assert refused.value.message == ldap.UNREACHABLE
    assert role_in(t.workspace_id, "alice@acme.example") is None
    result = ldap.test_connection(actor=t.actor, connection_id=conn.id)
    assert not result.ok
    assert "CERTIFICATE_VERIFY_FAILED" in result.message


def test_the_admins_test_connection_reports_success_and_a_bad_bind(acme, slapd):
    t, conn = acme
    assert ldap.test_connection(actor=t.actor, connection_id=conn.id).ok
    connections.update_connection(
        actor=t.actor, connection_id=conn.id, config=_config(slapd, bind_password="wrong")
    )
    result = ldap.test_connection(actor=t.actor, connection_id=conn.id)
    assert not result.ok
    assert "service account" in result.message


def test_directory_guesses_are_throttled_like_passwords(acme):
    limit = get_settings().login_max_failures_per_account
    for _ in range(limit):
        with pytest.raises(ServiceError) as refused:
            ldap.log_in(email="alice@acme.example", password="guess", ip="", binding=BINDING)
        assert not isinstance(refused.value, Throttled)
    with pytest.raises(Throttled):
        ldap.log_in(
            email="alice@acme.example",
            password=directory.PASSWORDS["alice"],
            ip="",
            binding=BINDING,
        )


def test_a_workspace_directory_never_admits_anyone_to_another(acme, slapd):
    a, _conn_a = acme
    b = tenant("owner@other.example", "other.example")
    connections.create_connection(
        actor=b.actor, protocol="ldap", name="Other directory", config=_config(slapd)
    )
    # Mallory's domain is B's: B's directory admits her to B, never to A.
    _sign_in("mallory@other.example", directory.PASSWORDS["mallory"])
    assert role_in(b.workspace_id, "mallory@other.example") == "viewer"
    assert role_in(a.workspace_id, "mallory@other.example") is None
    # Alice is in the same directory B points at, but her domain is A's: A only.
    _sign_in("alice@acme.example", directory.PASSWORDS["alice"])
    assert role_in(a.workspace_id, "alice@acme.example") == "admin"
    assert role_in(b.workspace_id, "alice@acme.example") is None
