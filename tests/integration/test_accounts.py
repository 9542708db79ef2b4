"""Sign-up, verification, login, reset and change of password, with real mail."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import engine as db_engine
from qrapp.db import read_session, transaction
from qrapp.models import AuditLog, Membership, PendingSignUp, User, Workspace
from qrapp.services.accounts import accounts, passwords, signup
from qrapp.services.errors import NotSignedIn, ServiceError, Throttled
from qrapp.settings import get_settings, reset_settings_cache
from tests.integration.helpers import (
    BINDING,
    PASSWORD,
    actor,
    confirmation_token,
    log_in,
    sign_up_by_mail_and_session,
)
from tests.support.mailsink import body_of, link_in, mark
from tests.support.waiting import eventually


def test_sign_up_creates_personal_workspace_owned_by_the_user(mail):
    token = sign_up_by_mail_and_session("Ada@Example.com", name="Ada")
    me = actor(token)
    assert me.email == "ada@example.com"
    assert me.role == Role.OWNER
    with read_session() as s:
        ws = s.get(Workspace, me.workspace_id)
        assert ws.is_personal
        assert ws.name == "Ada's workspace"
        members = s.exec(select(Membership).where(Membership.workspace_id == ws.id)).all()
        assert [(m.user_id, m.role) for m in members] == [(me.user_id, "owner")]
        actions = s.exec(select(AuditLog.action)).all()
    assert "user.signed_up" in actions
    assert me.email_verified  # the mailed link that created the account proved the address


def _users() -> list[str]:
    with read_session() as s:
        return sorted(s.exec(select(User.email)).all())


def _pending_decided(n: int, timeout: float = 30) -> None:
    """Wait until the worker has handled n sign-ups (each decided once)."""

    def decided() -> bool:
        with read_session() as s:
            rows = s.exec(select(PendingSignUp)).all()
        return len(rows) >= n and all(r.outcome for r in rows)

    eventually(decided, timeout, interval=0.1, message="the worker did not handle the sign-ups")


def _mails_arrived(mail, to: str, subject: str, n: int, timeout: float = 30) -> None:
    eventually(lambda: mail.count(to, subject) >= n, timeout, interval=0.1)


def test_sign_up_answers_the_same_for_known_and_unknown_addresses(mail):
    sign_up_by_mail_and_session("carol@example.com")
    mail.clear()
    answers = [
        signup.sign_up(email=email, password="another long passphrase", binding=BINDING)
        for email in ("carol@example.com", "newbie@example.com")
    ]
    assert answers == [None, None]  # no result, no error: the page says "check your inbox"
    # The owner of the taken address is told; the new address gets its link.
    notice = mail.wait_for("carol@example.com", "tried to sign up")
    assert "/forgot-password" in body_of(notice)
    assert "/login" in body_of(notice)
    mail.wait_for("newbie@example.com", "Confirm your e-mail")
    assert mail.count("carol@example.com", "Confirm") == 0
    # No account exists until the link is opened, so logging in cannot tell them apart.
    assert _users() == ["carol@example.com"]
    with pytest.raises(ServiceError) as err:
        accounts.log_in(
            email="newbie@example.com", password="another long passphrase", binding=BINDING
        )
    assert err.value.message == accounts.LOGIN_FAILED


def test_sign_up_link_works_once_and_logs_in_only_the_browser_that_signed_up(mail):
    since = mark()
    signup.sign_up(email="bob@example.com", password=PASSWORD, name="Bob", binding=BINDING)
    token = confirmation_token("bob@example.com", since)
    # Opened elsewhere (a phone's mail app, or a victim sent the link): the address is
    # confirmed and the account created, but nobody is logged in.
    other = signup.confirm_email(token=token, binding="another browser")
    assert other.confirmed
    assert other.handoff is None
    assert signup.confirm_email(token=token, binding=BINDING).confirmed is False  # used
    assert signup.confirm_email(token="forged", binding=BINDING).confirmed is False
    with read_session() as s:
        assert s.exec(select(User).where(User.email == "bob@example.com")).one().email_verified_at
    assert actor(log_in("bob@example.com")).name == "Bob"


def test_verification_link_of_an_older_unverified_account_verifies_once(mail):
    with transaction() as tx:
        user = signup.create_account(
            tx.session,
            email="old@example.com",
            name="",
            password_hash=passwords.hash_password(PASSWORD),
        )
    me = actor(log_in("old@example.com"))
    assert not me.email_verified
    accounts.resend_verification(actor=me)
    token = link_in(mail.wait_for("old@example.com", "Confirm your e-mail"), "/verify-email")
    token = token.split("token=")[1]
    assert signup.confirm_email(token=token).confirmed is True
    assert signup.confirm_email(token=token).confirmed is False
    with read_session() as s:
        assert s.get(User, user.id).email_verified_at


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not-an-email", PASSWORD, "email"),
        ("", PASSWORD, "email"),
        ("x@example.com", "short", "password"),
        ("x@example.com", "aaaaaaaaaaaa", "password"),
    ],
)
def test_sign_up_rejects_bad_input_and_changes_nothing(clean_db, email, password, field):
    with pytest.raises(ServiceError) as err:
        signup.sign_up(email=email, password=password)
    assert err.value.field == field
    assert err.value.message
    with read_session() as s:
        assert s.exec(select(User)).all() == []
        assert s.exec(select(PendingSignUp)).all() == []


def test_twenty_sign_ups_for_one_address_from_one_ip_are_throttled(mail):
    """The probe sent 20 mails for 20 sign-ups. Now the address's hourly limit stops
    them, the same way for a taken and for a new address, and the owner of a taken
    address hears about it once."""
    sign_up_by_mail_and_session("dora@example.com")  # its own sign-up counts as one
    mail.clear()
    limit = get_settings().signup_max_per_email
    for email, allowed in (("dora@example.com", limit - 1), ("fresh@example.com", limit)):
        answers = []
        for _ in range(20):
            try:
                signup.sign_up(email=email, password=PASSWORD, ip="198.51.100.7")
                answers.append("ok")
            except Throttled:
                answers.append("throttled")
        assert answers == ["ok"] * allowed + ["throttled"] * (20 - allowed), (email, answers)
    _pending_decided(1 + 2 * limit - 1)
    mail.wait_for("dora@example.com", "tried to sign up")
    _mails_arrived(mail, "fresh@example.com", "Confirm your e-mail", limit)
    assert mail.count("dora@example.com", "tried to sign up") == 1
    assert mail.count("fresh@example.com", "Confirm your e-mail") == limit


def test_the_tried_to_sign_up_notice_goes_out_once_a_day(mail, monkeypatch):
    sign_up_by_mail_and_session("erin@example.com")
    monkeypatch.setenv("SIGNUP_MAX_PER_EMAIL", "100")
    reset_settings_cache()
    try:
        for i in range(6):
            signup.sign_up(email="erin@example.com", password=PASSWORD, ip=f"192.0.2.{i}")
        _pending_decided(7)
    finally:
        monkeypatch.delenv("SIGNUP_MAX_PER_EMAIL")
        reset_settings_cache()
    mail.wait_for("erin@example.com", "tried to sign up")
    assert mail.count("erin@example.com", "tried to sign up") == 1


def test_sign_up_is_throttled_per_ip_and_per_ipv6_64(clean_db):
    limit = get_settings().signup_max_per_ip
    for i in range(limit):
        signup.sign_up(email=f"p{i}@example.com", password=PASSWORD, ip=f"2001:db8:5:6::{i + 1}")
    # Another address in the same /64, and another e-mail: still the same subscriber.
    with pytest.raises(Throttled):
        signup.sign_up(email="q@example.com", password=PASSWORD, ip="2001:db8:5:6:ffff::9")
    signup.sign_up(email="q@example.com", password=PASSWORD, ip="2001:db8:5:7::1")  # next /64


def test_forgot_password_does_the_same_work_for_known_and_unknown_addresses(clean_db, monkeypatch):
    """It took 8 ms for a known address and 4 ms for an unknown one: the request now
    counts the attempt and queues one task either way; the worker looks the address up.
    The same work is checked as the same SQL statements and the same task, which a busy
    machine cannot blur the way it blurs a timing ratio."""
    sign_up_by_mail_and_session("known@example.com")
    queued: list[tuple] = []
    monkeypatch.setattr(accounts, "enqueue", lambda *args: queued.append(args))
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    work: dict[str, list[str]] = {}
    sa.event.listen(db_engine(), "before_cursor_execute", record)
    try:
        for kind in ("known", "unknown"):
            statements.clear()
            accounts.request_password_reset(email=f"{kind}@example.com", ip="198.51.100.1")
            work[kind] = list(statements)
    finally:
        sa.event.remove(db_engine(), "before_cursor_execute", record)
    assert work["known"], "the request ran no SQL at all: the listener saw nothing"
    assert work["known"] == work["unknown"]
    assert not any("user_account" in sql or '"user"' in sql for sql in work["known"])
    assert queued == [
        (accounts.RESET_LINK_MAIL_TASK, "known@example.com"),
        (accounts.RESET_LINK_MAIL_TASK, "unknown@example.com"),
    ]


def test_long_passwords_are_not_truncated(clean_db):
    long_pw = "p" * 64 + "Q" * 64 + "!9"
    sign_up_by_mail_and_session("long@example.com", password=long_pw)
    log_in("long@example.com", long_pw)
    with pytest.raises(ServiceError):
        accounts.log_in(email="long@example.com", password=long_pw[:128], binding=BINDING)


def test_password_hash_is_argon2id_with_owasp_parameters(clean_db):
    sign_up_by_mail_and_session("hash@example.com")
    with read_session() as s:
        h = s.exec(select(User.password_hash)).one()
    assert h.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_password_reset_through_the_mailed_link_ends_every_session(mail):
    old = sign_up_by_mail_and_session("dave@example.com")
    accounts.request_password_reset(email="dave@example.com")
    accounts.request_password_reset(email="nobody@example.com")  # same answer, no mail
    link = link_in(mail.wait_for("dave@example.com", "Reset your"), "/reset-password")
    reset_token = link.split("token=")[1]
    accounts.reset_password(token=reset_token, new_password="a brand new passphrase")
    with pytest.raises(NotSignedIn):
        actor(old)
    with pytest.raises(ServiceError):
        accounts.reset_password(token=reset_token, new_password="yet another passphrase")
    with pytest.raises(ServiceError):
        log_in("dave@example.com")
    assert actor(log_in("dave@example.com", "a brand new passphrase")).email == "dave@example.com"
    mail.wait_for("dave@example.com", "password was changed")
    assert mail.count("nobody@example.com") == 0


def test_change_password_needs_the_current_one_and_ends_other_sessions(clean_db):
    first = sign_up_by_mail_and_session("erin@example.com")
    second = log_in("erin@example.com")
    me = actor(first)
    with pytest.raises(ServiceError) as err:
        accounts.change_password(
            actor=me, current="wrong password!", new="new passphrase here", binding=BINDING
        )
    assert err.value.field == "current"
    actor(second)  # the failed attempt changed nothing
    handoff = accounts.change_password(
        actor=me, current=PASSWORD, new="new passphrase here", binding=BINDING
    )
    for old in (first, second):
        with pytest.raises(NotSignedIn):
            actor(old)
    fresh = accounts.start_session(handoff=handoff, binding=BINDING)
    assert actor(fresh).email == "erin@example.com"
    assert fresh not in (first, second)


def test_change_password_is_throttled_before_the_current_password_is_checked(clean_db, monkeypatch):
    """A stolen session must not become an unlimited password oracle."""
    me = actor(sign_up_by_mail_and_session("fay@example.com"))
    limit = get_settings().login_max_failures_per_account
    checks = _count_password_checks(monkeypatch)
    for i in range(limit):
        with pytest.raises(ServiceError) as err:
            accounts.change_password(
                actor=me, current=f"guess {i} wrong", new="new passphrase here", binding=BINDING
            )
        assert err.value.field == "current"
    with pytest.raises(Throttled):  # even the right one now waits
        accounts.change_password(
            actor=me, current=PASSWORD, new="new passphrase here", binding=BINDING
        )
    assert len(checks) == limit
    actor(log_in("fay@example.com"))  # the password is unchanged


def _count_password_checks(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = passwords.verify_password

    def counting(password_hash, password):
        calls.append(1)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return calls


@pytest.mark.parametrize(
    ("asked", "lands"),
    [
        ("/invite?token=abc", "/invite?token=abc"),
        ("//evil.example", "/dashboard?welcome=1"),
        ("", "/dashboard?welcome=1"),
    ],
)
def test_the_confirmation_link_returns_to_where_the_sign_up_began(mail, asked, lands):
    since = mark()
    signup.sign_up(email="ina@example.com", password=PASSWORD, binding=BINDING, next_path=asked)
    token = confirmation_token("ina@example.com", since)
    assert signup.confirm_email(token=token, binding=BINDING).next_path == lands
