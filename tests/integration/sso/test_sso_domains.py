"""E-mail domains for SSO: added with a TXT token, verified by a real DNS look-up (the
test's authoritative server), bound to one workspace only; "Sign in with SSO" finds the
connection of a work e-mail's domain."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied
from qrapp.services.sso import domains
from tests.integration.sso.conftest import oidc_connection
from tests.support.dns_server import DnsServer
from tests.support.environment import patched_env

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def dns_server() -> Iterator[DnsServer]:
    server = DnsServer().start()
    yield server
    server.stop()


@pytest.fixture
def dns(dns_server, clean_db) -> Iterator[DnsServer]:
    with patched_env({"DNS_NAMESERVERS": dns_server.setting}):
        yield dns_server


def test_a_domain_is_verified_by_its_txt_record(people, dns):
    added = domains.add_domain(actor=people["admin"], domain=" Acme.EXAMPLE. ")
    assert added.domain == "acme.example"
    assert added.record_name == "_qrapp-challenge.acme.example"
    assert added.record_value.startswith("qrapp-sso=")
    assert not added.verified
    missing = domains.check_domain(actor=people["admin"], domain_id=added.id)
    assert not missing.verified
    assert missing.reason == "TXT record not found at _qrapp-challenge.acme.example."
    dns.set("_qrapp-challenge.acme.example", "TXT", "someone-elses")
    assert "does not hold" in domains.check_domain(actor=people["owner"], domain_id=added.id).reason
    dns.set("_qrapp-challenge.acme.example", "TXT", added.record_value)
    done = domains.check_domain(actor=people["owner"], domain_id=added.id)
    assert done.verified
    assert done.reason == ""
    assert done.last_checked_at is not None


def test_a_domain_binds_to_one_workspace_only(people, dns):
    mine = domains.add_domain(actor=people["admin"], domain="shared.example")
    theirs = domains.add_domain(actor=people["admin_b"], domain="shared.example")
    dns.set("_qrapp-challenge.shared.example", "TXT", mine.record_value)
    dns.add("_qrapp-challenge.shared.example", "TXT", theirs.record_value)
    assert domains.check_domain(actor=people["admin"], domain_id=mine.id).verified
    lost = domains.check_domain(actor=people["admin_b"], domain_id=theirs.id)
    assert not lost.verified
    assert lost.reason == domains.TAKEN
    with pytest.raises(FieldErrors) as err:  # B's own claim is still listed, unverified
        domains.add_domain(actor=people["admin_b"], domain="shared.example")
    assert err.value.errors["domain"] == "That domain is already on the list."
    domains.remove_domain(actor=people["admin_b"], domain_id=theirs.id)
    with pytest.raises(FieldErrors) as err:
        domains.add_domain(actor=people["admin_b"], domain="shared.example")
    assert err.value.errors["domain"] == domains.TAKEN


def test_bad_domains_roles_and_other_workspaces(people, dns):
    for bad in ("", "localhost", "-x.example", "a..example", "1.2.3.4", "x" * 64 + ".example"):
        with pytest.raises(FieldErrors):
            domains.add_domain(actor=people["admin"], domain=bad)
    d = domains.add_domain(actor=people["admin"], domain="person@acme.example")
    assert d.domain == "acme.example"
    for role in ("editor", "viewer"):
        with pytest.raises(PermissionDenied):
            domains.list_domains(actor=people[role])
        with pytest.raises(PermissionDenied):
            domains.check_domain(actor=people[role], domain_id=d.id)
    with pytest.raises(NotFound):
        domains.check_domain(actor=people["admin_b"], domain_id=d.id)
    with pytest.raises(NotFound):
        domains.remove_domain(actor=people["admin_b"], domain_id=d.id)
    assert domains.list_domains(actor=people["admin_b"]) == []
    domains.remove_domain(actor=people["owner"], domain_id=d.id)
    assert domains.list_domains(actor=people["admin"]) == []


def test_sign_in_with_sso_finds_the_connection_of_a_verified_domain(people, dns):
    c = oidc_connection(people["admin"], "https://login.acme.example")
    d = domains.add_domain(actor=people["admin"], domain="acme.example")
    assert domains.connection_for_email("jo@acme.example") is None  # not verified yet
    dns.set("_qrapp-challenge.acme.example", "TXT", d.record_value)
    domains.check_domain(actor=people["admin"], domain_id=d.id)
    assert domains.connection_for_email("Jo@Acme.Example").id == c.id
    assert domains.connection_for_email("jo@other.example") is None
    assert domains.connection_for_email("not-an-email") is None
