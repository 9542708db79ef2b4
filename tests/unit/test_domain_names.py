"""Domain names as people type them, and the plan's domain allowance."""

from __future__ import annotations

import pytest

from qrapp.core.plans import PlanId, plan
from qrapp.services.domains import hostnames, limits
from qrapp.services.domains.verification import MAX_RETRY, backoff
from qrapp.services.errors import FieldErrors
from tests.support.environment import patched_env


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("go.example.com", "go.example.com"),
        ("  GO.Example.COM. ", "go.example.com"),
        ("https://go.example.com/menu?x=1", "go.example.com"),
        ("Bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_names_are_normalised(typed, stored):
    with patched_env({"EDGE_URL": "https://qr.ours.test"}):
        assert hostnames.normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("", "Enter a domain"),
        ("10.0.0.1", "not an IP address"),
        ("go.example.com:8443", "not an IP address or a port"),
        ("-bad-.example", "not a valid domain name"),
        ("single", "not a valid domain name"),
        ("a" * 64 + ".example", "not a valid domain name"),
        ("qr.ours.test", "ours"),
        ("x.qr.ours.test", "ours"),
    ],
)
def test_bad_names_are_refused_with_a_reason(typed, why):
    with patched_env({"EDGE_URL": "https://qr.ours.test"}), pytest.raises(FieldErrors, match=why):
        hostnames.normalise(typed)


def test_plan_allowance_and_its_override():
    assert limits.allowed(plan(PlanId.FREE)) == 0
    assert limits.allowed(plan(PlanId.BUSINESS)) == plan(PlanId.BUSINESS).domains
    with patched_env({"DOMAINS_PER_PLAN": "free:1, business:unlimited"}):
        assert limits.allowed(plan(PlanId.FREE)) == 1
        assert limits.allowed(plan(PlanId.BUSINESS)) is None


def test_backoff_doubles_up_to_its_cap():
    assert backoff(1) * 2 == backoff(2)
    assert backoff(30) == MAX_RETRY
