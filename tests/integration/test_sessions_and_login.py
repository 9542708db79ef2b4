"""Login security: enumeration, throttling, session rotation, timeouts, logout."""

from __future__ import annotations

import datetime as dt
import statistics
import time

import pytest
from sqlmodel import select

from qrapp.db import read_session, transaction
from qrapp.models import EmailToken, UserSession
from qrapp.services.accounts import accounts
from qrapp.services.accounts.tokens import token_hash
from qrapp.services.errors import NotSignedIn, ServiceError, Throttled
from qrapp.settings import get_settings
from tests.integration.helpers import BINDING, PASSWORD, actor, log_in, sign_up_and_session


def _attempt(email: str, password: str, ip: str) -> str:
    try:
        accounts.log_in(email=email, password=password, ip=ip, binding=BINDING)
    except Throttled as exc:
        return f"throttled:{type(exc).__name__}"
    except ServiceError as exc:
        return exc.message
    return "ok"


def test_known_and_unknown_emails_get_the_same_answer_in_similar_time(clean_db):
    sign_up_and_session("known@example.com")
    known, unknown = [], []
    for i in range(4):
        t = time.perf_counter()
        a = _attempt("known@example.com", f"wrong password {i}", f"198.51.100.{i}")
        known.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = _attempt("unknown@example.com", f"wrong password {i}", f"198.51.100.{i + 10}")
        unknown.append(time.perf_counter() - t)
        assert a == b == accounts.LOGIN_FAILED
    # Both paths run argon2 once; a skipped hash would be ~50x faster. The bounds leave
    # room for a machine that also runs the e2e tier (a full run saw 0.43 at load).
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.2 < ratio < 5.0, (known, unknown)


def test_login_is_throttled_per_account_for_known_and_unknown_emails(clean_db):
    sign_up_and_session("victim@example.com")
    limit = get_settings().login_max_failures_per_account
    for email in ("victim@example.com", "ghost@example.com"):
        answers = [_attempt(email, "bad guess 123", f"192.0.2.{i}") for i in range(limit)]
        assert all(a == accounts.LOGIN_FAILED for a in answers)
        # Locked now, even with the right password and from a new IP.
        assert _attempt(email, PASSWORD, "192.0.2.200").startswith("throttled")
    # Another account is not affected.
    sign_up_and_session("other@example.com")
    assert _attempt("other@example.com", PASSWORD, "192.0.2.201") == "ok"


def test_login_is_throttled_per_ip_across_accounts(clean_db):
    sign_up_and_session("ipvictim@example.com")
    limit = get_settings().login_max_failures_per_ip
    for i in range(limit):
        assert _attempt(f"spray{i}@example.com", "bad guess 123", "203.0.113.66") == (
            accounts.LOGIN_FAILED
        )
    assert _attempt("ipvictim@example.com", PASSWORD, "203.0.113.66").startswith("throttled")
    assert _attempt("ipvictim@example.com", PASSWORD, "203.0.113.67") == "ok"


def test_each_login_gets_a_fresh_256_bit_token_stored_hashed(clean_db):
    sign_up_and_session("frank@example.com")
    a, b = log_in("frank@example.com"), log_in("frank@example.com")
    assert a != b
    assert len(a) >= 43  # 32 bytes in URL-safe base64
    with read_session() as s:
        hashes = set(s.exec(select(UserSession.token_hash)).all())
    assert token_hash(a) in hashes
    assert a not in hashes


def test_login_handoff_works_once_and_expires(clean_db):
    sign_up_and_session("gina@example.com")
    handoff = accounts.log_in(email="gina@example.com", password=PASSWORD, binding=BINDING)
    assert accounts.start_session(handoff=handoff, binding=BINDING)
    assert accounts.start_session(handoff=handoff, binding=BINDING) is None
    late = accounts.log_in(email="gina@example.com", password=PASSWORD, binding=BINDING)
    with transaction() as tx:
        row = tx.session.exec(
            select(EmailToken).where(EmailToken.token_hash == token_hash(late))
        ).one()
        row.expires_at = row.created_at - dt.timedelta(seconds=1)
        tx.session.add(row)
    assert accounts.start_session(handoff=late, binding=BINDING) is None


def test_login_handoff_works_only_in_the_browser_that_asked_for_it(clean_db):
    """Login CSRF: a stranger's own hand-off link, opened in a victim's browser, must not
    log the victim into the stranger's account."""
    sign_up_and_session("hal@example.com")
    handoff = accounts.log_in(email="hal@example.com", password=PASSWORD, binding=BINDING)
    for other in ("victim browser", "", None, "x" * 500):
        assert accounts.start_session(handoff=handoff, binding=other) is None
    # Those tries did not use it up for the browser that asked.
    assert accounts.start_session(handoff=handoff, binding=BINDING)
    with pytest.raises(ServiceError):  # and a browser without the cookie gets no hand-off
        accounts.log_in(email="hal@example.com", password=PASSWORD, binding="")


def _age_session(token: str, *, last_seen_ago: dt.timedelta, created_ago: dt.timedelta) -> None:
    with transaction() as tx:
        row = tx.session.exec(
            select(UserSession).where(UserSession.token_hash == token_hash(token))
        ).one()
        now = dt.datetime.now(dt.UTC)
        row.last_seen_at = now - last_seen_ago
        row.created_at = now - created_ago
        row.expires_at = row.created_at + dt.timedelta(
            hours=get_settings().session_absolute_timeout_hours
        )
        tx.session.add(row)


def test_idle_session_ends(clean_db):
    token = sign_up_and_session("hank@example.com")
    idle = dt.timedelta(minutes=get_settings().session_idle_timeout_minutes)
    _age_session(token, last_seen_ago=idle - dt.timedelta(minutes=5), created_ago=idle)
    actor(token)  # still inside the idle window, and this use renews it
    _age_session(token, last_seen_ago=idle + dt.timedelta(minutes=1), created_ago=idle * 2)
    with pytest.raises(NotSignedIn):
        actor(token)


def test_session_ends_at_absolute_timeout_even_when_used(clean_db):
    token = sign_up_and_session("ivy@example.com")
    hours = get_settings().session_absolute_timeout_hours
    _age_session(
        token,
        last_seen_ago=dt.timedelta(minutes=1),
        created_ago=dt.timedelta(hours=hours, minutes=1),
    )
    with pytest.raises(NotSignedIn):
        actor(token)


def test_logout_ends_only_that_session(clean_db):
    a = sign_up_and_session("jack@example.com")
    b = log_in("jack@example.com")
    accounts.log_out(session_token=a)
    with pytest.raises(NotSignedIn):
        actor(a)
    assert actor(b).email == "jack@example.com"


@pytest.mark.parametrize("token", [None, "", "x" * 500, "not-a-session"])
def test_missing_or_forged_tokens_are_not_signed_in(clean_db, token):
    with pytest.raises(NotSignedIn):
        actor(token)


def test_login_is_throttled_per_ipv6_64(clean_db):
    """An IPv6 subscriber holds a whole /64 and can rotate through it."""
    sign_up_and_session("ivan@example.com")
    limit = get_settings().login_max_failures_per_ip
    for i in range(limit):
        ip = f"2001:db8:aa:bb:{i:x}::{i + 1:x}"
        assert _attempt(f"rot{i}@example.com", "bad guess 123", ip) == accounts.LOGIN_FAILED
    assert _attempt("ivan@example.com", PASSWORD, "2001:db8:aa:bb:ffff::1").startswith("throttled")
    assert _attempt("ivan@example.com", PASSWORD, "2001:db8:aa:bc::1") == "ok"
