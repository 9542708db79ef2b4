"""Dynamic destinations: only http(s), and never an address of our own edge or app, however
the host is spelled (IP literals in every form a browser accepts, resolved addresses,
this machine's loopback on the ports we listen on)."""

from __future__ import annotations

import socket

import pytest

from qrapp.core.destinations import (
    DestinationError,
    OwnAddresses,
    canonical_host,
    normalise_destination,
)
from qrapp.services.codes import qrcodes
from qrapp.settings import reset_settings_cache

# The edge on loopback (the embedded default): its port and the web app's are ours there.
LOCAL_EDGE = OwnAddresses(frozenset(), frozenset({8080, 3000}))


def refused(url: str, own=LOCAL_EDGE) -> str:
    with pytest.raises(DestinationError) as err:
        normalise_destination(url, own_hosts=own)
    return err.value.message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/x",
        "http://127.0.0.1:8080",
        "http://127.9.9.9:8080/x",  # all of 127.0.0.0/8 is loopback
        "http://0.0.0.0:8080/x",  # Linux connects 0.0.0.0 to this machine
        "http://127.1:8080/x",
        "http://0x7f.0.0.1:8080/x",
        "http://0177.0.0.1:8080/x",
        "http://127.0.0.%31:8080/x",
        "http://127.0.0.1.:8080/x",
        "http://[::ffff:127.0.0.1]:8080/x",
        "http://\uff11\uff12\uff17.0.0.1:8080/x",  # full-width digits: browsers map them to ASCII
        "http://localhost:8080/x",
        "http://LOCALHOST.:8080/x",
        "http://app.localhost:3000/x",
    ],
)
def test_loopback_on_our_ports_loops_in_any_spelling(url):
    assert "loop" in refused(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/x",  # loopback, but nothing of ours listens there
        "http://localhost:5000/",
        "https://example.com/",
        "http://192.0.2.10:8080/x",  # someone else's address on the edge's port
        "https://127.0.0.1.example.com:8080/",  # a name, not an IP
    ],
)
def test_other_addresses_are_accepted(url):
    assert normalise_destination(url, own_hosts=LOCAL_EDGE) == url


def test_an_ip_that_is_ours_loops_on_every_port():
    own = OwnAddresses(frozenset({"qr.example.com", "203.0.113.7", "2001:db8::7"}), frozenset())
    for url in (
        "https://203.0.113.7/x",
        "http://203.0.113.7:8080/x",
        "http://203.28935/x",  # 203.0.113.7 as two parts
        "http://0xcb.0.0x71.7/x",  # 203.0.113.7 in hex parts
        "https://QR.example.com:444/x",
    ):
        assert "loop" in refused(url, own), url
    # Bare IPv6 literals and dotless numbers are refused before the loop check.
    for url in (
        "http://[2001:db8:0:0::7]/x",
        "http://[::1]:8080/x",
        "http://2130706433:8080/",
        "http://0x7f000001.:8080/x",
    ):
        refused(url, own)
    assert normalise_destination("https://203.0.113.8/", own_hosts=own)


def test_a_port_a_browser_refuses_is_refused():
    assert "port" in refused("https://example.com:99999/")


def test_a_plain_set_of_names_counts_all_loopback_when_it_has_localhost():
    # The form callers without port knowledge use (e.g. core.rules tests).
    own = frozenset({"localhost"})
    assert "loop" in refused("http://127.0.0.1:1234/", own)
    assert normalise_destination("https://example.com/", own_hosts=own)


@pytest.mark.parametrize("host", ["1.2.3.4.5", "256.0.0.1", "1.2.09", "0x100.0.0.0"])
def test_hosts_a_browser_refuses_are_refused(host):
    assert canonical_host(host) is None
    assert "host" in refused(f"http://{host}/x")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "\x00javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "intent://scan/#Intent;scheme=zxing;end",
        "smb://fileserver.example/share",
        "ftp://ftp.example.com/file",
        "itms-services://?action=download-manifest&url=https://x.example/m.plist",
    ],
)
def test_only_http_and_https(url):
    refused(url)


@pytest.fixture
def settings_env(monkeypatch):
    def _set(**env: str) -> None:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        reset_settings_cache()
        qrcodes._resolved.cache_clear()

    yield _set
    reset_settings_cache()
    qrcodes._resolved.cache_clear()


def test_own_hosts_cover_the_edge_on_loopback_by_ip_and_port(settings_env):
    settings_env(
        EDGE_URL="http://localhost:8080",
        APP_URL="http://localhost:3000",
        API_URL="",
        EDGE_PORT="8080",
        WEB_PORT="3000",
    )
    own = qrcodes.own_hosts()
    for url in (
        "http://127.0.0.1:8080/x",
        "http://[::ffff:127.0.0.1]:8080/x",
        "http://127.0.0.1:3000/",
    ):
        assert "loop" in refused(url, own), url
    assert normalise_destination("http://127.0.0.1:9000/", own_hosts=own)


def test_own_hosts_cover_the_edge_names_resolved_addresses_and_listening_port(
    settings_env, monkeypatch
):
    settings_env(
        EDGE_URL="https://qr.example.com",
        APP_URL="https://app.example.com",
        API_URL="",
        EDGE_PORT="8001",
        WEB_PORT="3000",
    )
    answers = {
        "qr.example.com": ["203.0.113.7", "2001:db8::7"],
        "app.example.com": ["127.0.1.1"],  # a name that resolves to this machine
    }

    def fake_getaddrinfo(host, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, 0)) for ip in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    own = qrcodes.own_hosts()
    for url in (
        "https://qr.example.com/abc",
        "http://203.0.113.7/abc",
        "http://[::ffff:203.0.113.7]:8080/abc",
        "http://127.0.0.1:8001/abc",  # the edge's own port behind the proxy
        "https://127.0.0.1/abc",  # app.example.com is this machine, on port 443
        "https://app.example.com/x",
    ):
        assert "loop" in refused(url, own), url
    assert normalise_destination("http://127.0.0.1:9000/", own_hosts=own)
    assert normalise_destination("https://203.0.113.8/", own_hosts=own)


def test_own_hosts_look_names_up_once(settings_env, monkeypatch):
    settings_env(EDGE_URL="https://qr.example.com", APP_URL="https://app.example.com", API_URL="")
    calls = []

    def fake_getaddrinfo(host, *args, **kwargs):
        calls.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "unknown")

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    qrcodes.own_hosts()
    qrcodes.own_hosts()
    assert sorted(calls) == ["app.example.com", "qr.example.com"]
