"""Which addresses a webhook may reach, and signatures the spec's own library accepts."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from standardwebhooks.webhooks import Webhook

from qrapp.services.webhooks import signing
from qrapp.services.webhooks.addresses import refusal
from qrapp.services.webhooks.delivery import JITTER, SCHEDULE, retry_delay

REFUSED = [
    "127.0.0.1",
    "127.9.9.9",
    "::1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",  # CGNAT
    "169.254.169.254",  # cloud metadata
    "169.254.1.1",
    "0.0.0.0",  # noqa: S104 (an address refused, not bound)
    "::",
    "224.0.0.1",
    "240.0.0.1",
    "fe80::1",
    "fc00::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "2002:a00:1::1",  # 6to4 around 10.0.0.1
]
PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("text", REFUSED)
def test_private_and_special_addresses_are_refused(text):
    assert refusal(ipaddress.ip_address(text), allow_private=False)


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses_pass(text):
    assert refusal(ipaddress.ip_address(text), allow_private=False) is None


@pytest.mark.parametrize(
    "text",
    ["169.254.169.254", "0.0.0.0", "fe80::1", "::ffff:169.254.169.254"],  # noqa: S104
)
def test_the_test_setting_still_refuses_metadata_and_link_local(text):
    assert refusal(ipaddress.ip_address(text), allow_private=True)


def test_signatures_verify_with_the_standardwebhooks_library():
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    body = '{"type":"code.created","timestamp":"2026-11-30T00:00:00+00:00","data":{}}'
    now = dt.datetime.now(dt.UTC)
    ts = int(now.timestamp())
    header = signing.signature_header([secret], "msg_1", ts, body)
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(ts), "webhook-signature": header}
    assert Webhook(secret).verify(body, headers)["type"] == "code.created"
    assert header == Webhook(secret).sign("msg_1", now, body)
    with pytest.raises(Exception, match=r"(?i)signature"):
        Webhook(signing.new_secret()).verify(body, headers)


def test_retry_delays_follow_the_spec_with_jitter():
    assert SCHEDULE == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
    for n in range(1, len(SCHEDULE)):
        delay = retry_delay(n)
        assert delay is not None
        assert SCHEDULE[n] * (1 - JITTER) <= delay <= SCHEDULE[n] * (1 + JITTER)
    assert retry_delay(len(SCHEDULE)) is None
