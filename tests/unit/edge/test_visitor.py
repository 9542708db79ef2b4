"""Visitor facts: client IP behind proxies, anonymisation, hashes, languages, bots."""

from __future__ import annotations

import pytest

from qrapp.core.visitor import (
    anonymise_ip,
    clean_text,
    client_ip,
    daily_key,
    languages,
    looks_like_previewer,
    parse_networks,
    parse_user_agent,
    primary_language,
    referrer_host,
    visitor_hash,
)

PROXIES = parse_networks("10.0.0.0/8, 127.0.0.1")
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/16.6 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


def test_forwarded_for_ignored_from_untrusted_peer():
    assert client_ip("203.0.113.7", "1.2.3.4", PROXIES) == "203.0.113.7"
    assert client_ip("203.0.113.7", "1.2.3.4", ()) == "203.0.113.7"


def test_forwarded_for_walked_right_to_left_past_trusted_proxies():
    # The client put 6.6.6.6 in front itself; our proxy 10.0.0.5 appended the real peer.
    assert client_ip("10.0.0.2", "6.6.6.6, 198.51.100.4, 10.0.0.5", PROXIES) == "198.51.100.4"
    assert client_ip("127.0.0.1", "198.51.100.4", PROXIES) == "198.51.100.4"


def test_forwarded_for_garbage_stops_at_last_trusted_hop():
    assert client_ip("10.0.0.2", "evil, 10.0.0.9", PROXIES) == "10.0.0.9"
    assert client_ip("10.0.0.2", "", PROXIES) == "10.0.0.2"


def test_anonymise_ipv4_and_ipv6():
    assert anonymise_ip("203.0.113.77") == "203.0.113.0"
    assert anonymise_ip("2001:db8:abcd:1234:5678::1") == "2001:db8:abcd::"
    assert anonymise_ip("::ffff:198.51.100.9") == "198.51.100.0"
    assert anonymise_ip("not an ip") == ""


def test_visitor_hash_rotates_daily_and_hides_the_ip():
    k1, k2 = daily_key("s" * 32, "2026-11-26"), daily_key("s" * 32, "2026-11-27")
    h1 = visitor_hash(k1, "203.0.113.7", IPHONE)
    assert h1 == visitor_hash(k1, "203.0.113.7", IPHONE)
    assert h1 != visitor_hash(k2, "203.0.113.7", IPHONE)
    assert h1 != visitor_hash(k1, "203.0.113.8", IPHONE)
    assert "203" not in h1
    assert len(h1) == 32


def test_languages_by_quality():
    assert languages("en;q=0.5, sv-SE, de;q=0.8") == ["sv-se", "de", "en"]
    assert primary_language("sv-SE,en;q=0.8") == "sv"
    assert primary_language("*;q=0.1, <script>") == ""
    assert primary_language("") == ""


def test_referrer_host():
    assert referrer_host("https://News.Example.com/a?b") == "news.example.com"
    assert referrer_host("") == ""
    assert referrer_host("http://[::1") == ""


def test_huge_user_agent_is_cut_and_printable():
    ua = "A" * 65536 + "\r\nX-Injected: 1\x00"
    out = clean_text(ua, 512)
    assert len(out) == 512
    assert "\r" not in out
    assert "\x00" not in out


@pytest.mark.parametrize(
    ("ua", "device", "os_name"),
    [
        (IPHONE, "mobile", "iOS"),
        (IPAD, "tablet", "iOS"),
        (ANDROID, "mobile", "Android"),
        (DESKTOP, "desktop", "Windows"),
    ],
)
def test_devices(ua, device, os_name):
    facts = parse_user_agent(ua)
    assert (facts.device_type, facts.os, facts.is_bot) == (device, os_name, False)


@pytest.mark.parametrize(
    "ua",
    [
        "WhatsApp/2.23.20.0 A",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) ms-office; MSOffice 16",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "python-requests/2.31.0",
        "curl/8.5.0",
        "TelegramBot (like TwitterBot)",
        "",
    ],
)
def test_bots_and_previewers_flagged(ua):
    assert parse_user_agent(ua).is_bot
    assert parse_user_agent(ua).device_type == "bot"


def test_people_are_not_previewers():
    for ua in (IPHONE, IPAD, ANDROID, DESKTOP):
        assert not looks_like_previewer(ua)
