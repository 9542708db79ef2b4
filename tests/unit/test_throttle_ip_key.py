"""The unit an IP is counted in by the throttles."""

import pytest

from qrapp.services.throttle import ip_key


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("not an ip", "not an ip"),
        ("", ""),
    ],
)
def test_ipv6_is_counted_per_64_and_ipv4_per_address(ip, key):
    assert ip_key(ip) == key


def test_rotating_within_a_64_gives_one_key_and_the_next_64_another():
    assert ip_key("2001:db8:1:2::1") == ip_key("2001:db8:1:2:abcd::99")
    assert ip_key("2001:db8:1:2::1") != ip_key("2001:db8:1:3::1")
