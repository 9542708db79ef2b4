"""The DNS proofs against a real authoritative server under the test's control."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qrapp.services.domains.dns_checks import cname_target, txt_proof
from tests.support.dns_server import DnsServer


@pytest.fixture(scope="module")
def dns() -> Iterator[DnsServer]:
    server = DnsServer().start()
    yield server
    server.stop()


def test_missing_txt_says_where_it_looked(dns):
    check = txt_proof("missing.example", "tok-1", nameservers=dns.nameservers)
    assert not check.ok
    assert not check.temporary
    assert check.reason == "TXT record not found at _qrapp-challenge.missing.example."


def test_wrong_token_is_refused(dns):
    dns.set("_qrapp-challenge.wrong.example", "TXT", "someone-elses-token")
    check = txt_proof("wrong.example", "tok-2", nameservers=dns.nameservers)
    assert not check.ok
    assert "does not hold this domain's token" in check.reason


def test_token_among_other_txt_records_is_proof_then_removal_is_noticed(dns):
    dns.set("_qrapp-challenge.ok.example", "TXT", "other")
    dns.add("_qrapp-challenge.ok.example", "TXT", "tok-3")
    assert txt_proof("OK.example.", "tok-3", nameservers=dns.nameservers).ok
    dns.clear("_qrapp-challenge.ok.example")
    later = txt_proof("ok.example", "tok-3", nameservers=dns.nameservers)
    assert not later.ok
    assert not later.temporary


def test_cname_elsewhere_names_both_targets(dns):
    dns.set("go.brand.example", "CNAME", "other-host.example")
    check = cname_target("go.brand.example", "edge.qrapp.test", nameservers=dns.nameservers)
    assert not check.ok
    assert check.reason == "CNAME points to other-host.example, not edge.qrapp.test."


def test_cname_to_our_edge_succeeds_and_its_removal_fails(dns):
    dns.set("qr.shop.example", "CNAME", "edge.qrapp.test.")
    assert cname_target("qr.shop.example", "edge.qrapp.test", nameservers=dns.nameservers).ok
    dns.clear("qr.shop.example")
    gone = cname_target("qr.shop.example", "edge.qrapp.test", nameservers=dns.nameservers)
    assert not gone.ok
    assert "No CNAME or A/AAAA record" in gone.reason


def test_apex_a_records_must_be_ours(dns):
    dns.set("edge.qrapp.test", "A", "192.0.2.10")
    dns.set("apex.example", "A", "192.0.2.10")
    assert cname_target("apex.example", "edge.qrapp.test", nameservers=dns.nameservers).ok
    dns.set("apex.example", "A", "198.51.100.7")
    check = cname_target("apex.example", "edge.qrapp.test", nameservers=dns.nameservers)
    assert not check.ok
    assert "198.51.100.7" in check.reason


def test_unreachable_server_is_temporary():
    check = txt_proof("x.example", "t", nameservers=[("127.0.0.1", 9)])
    assert not check.ok
    assert check.temporary


def test_the_setting_points_the_resolver_at_the_server(dns):
    from qrapp.settings import reset_settings_cache
    from tests.support.environment import patched_env

    dns.set("_qrapp-challenge.setting.example", "TXT", "tok-9")
    with patched_env({"DNS_NAMESERVERS": dns.setting}, also_reset=reset_settings_cache):
        assert txt_proof("setting.example", "tok-9").ok
