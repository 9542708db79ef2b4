"""Settings -> Security's sessions: the list (device, browser, place, this one first),
signing one out and every other one (the token is refused at once, the sign-outs are
audited), and the new-device login e-mail."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from qrapp.db import read_session, transaction
from qrapp.models import AuditLog, KnownDevice, User
from qrapp.services.accounts import accounts, devices, email_tokens
from qrapp.services.errors import NotFound, NotSignedIn
from tests.integration.helpers import BINDING, actor, sign_up_and_session
from tests.support.waiting import eventually

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def _login(email: str, *, ip: str, ua: str) -> str:
    """A session as the /auth/session route makes it: with the browser's IP and agent."""
    with transaction() as tx:
        user = tx.session.exec(select(User).where(User.email == email)).one()
        handoff = email_tokens.issue_login_handoff(tx.session, user=user, binding=BINDING)
    token = accounts.start_session(handoff=handoff, binding=BINDING, ip=ip, user_agent=ua)
    assert token
    return token


def _actions(user_id: uuid.UUID) -> list[str]:
    with read_session() as s:
        return list(s.exec(select(AuditLog.action).where(AuditLog.actor_user_id == user_id)).all())


def test_the_list_names_device_browser_and_place_with_this_session_first(clean_db):
    sign_up_and_session("sara@example.com")
    laptop = _login("sara@example.com", ip="8.8.8.8", ua=FIREFOX_LINUX)
    phone = _login("sara@example.com", ip="2001:4860:4860::8888", ua=SAFARI_IPHONE)
    views = devices.list_sessions(actor=actor(laptop))
    assert len(views) == 3  # the sign-up's, the laptop's and the phone's
    first = views[0]
    assert first.current
    assert not any(v.current for v in views[1:])
    assert (first.device, first.browser, first.os) == ("Computer", "Firefox", "Linux")
    assert first.place == "United States"
    assert first.ip == "8.8.8.8"
    mobile = next(v for v in views if v.id == actor(phone).session_id)
    assert (mobile.device, mobile.browser, mobile.os) == ("Phone", "Mobile Safari", "iOS")
    assert mobile.place == "United States"  # an IPv6 address has a place too


def test_signing_out_another_session_refuses_its_token_at_once_and_is_audited(clean_db):
    sign_up_and_session("tom@example.com")
    mine = _login("tom@example.com", ip="8.8.8.8", ua=FIREFOX_LINUX)
    other = _login("tom@example.com", ip="81.2.69.160", ua=SAFARI_IPHONE)
    me = actor(mine)
    devices.sign_out(actor=me, session_id=actor(other).session_id, ip="8.8.8.8")
    with pytest.raises(NotSignedIn):
        actor(other)
    assert actor(mine).user_id == me.user_id  # this one still works
    with read_session() as s:
        row = s.exec(select(AuditLog).where(AuditLog.action == "session.revoked")).one()
    assert row.actor_user_id == me.user_id
    assert row.ip == "8.8.8.8"
    assert row.details["device"] == "Mobile Safari on iOS"
    assert row.details["session_ip"] == "81.2.69.160"


def test_nobody_signs_out_a_session_of_another_account(clean_db):
    victim = sign_up_and_session("victim@example.com")
    attacker = actor(sign_up_and_session("attacker@example.com"))
    with pytest.raises(NotFound):
        devices.sign_out(actor=attacker, session_id=actor(victim).session_id)
    assert actor(victim).email == "victim@example.com"
    with pytest.raises(NotFound):
        devices.sign_out(actor=attacker, session_id=uuid.uuid4())


def test_sign_out_everywhere_else_keeps_only_this_session(clean_db):
    first = sign_up_and_session("una@example.com")
    others = [_login("una@example.com", ip=f"198.51.100.{i}", ua=FIREFOX_LINUX) for i in (1, 2)]
    keep = _login("una@example.com", ip="8.8.8.8", ua=SAFARI_IPHONE)
    me = actor(keep)
    assert devices.sign_out_others(actor=me, ip="8.8.8.8") == 3
    for token in [first, *others]:
        with pytest.raises(NotSignedIn):
            actor(token)
    assert [v.id for v in devices.list_sessions(actor=actor(keep))] == [me.session_id]
    assert "session.revoked_others" in _actions(me.user_id)
    # Another account's sessions are untouched.
    bystander = sign_up_and_session("bystander@example.com")
    devices.sign_out_others(actor=actor(keep))
    assert actor(bystander).email == "bystander@example.com"


def test_a_login_from_a_new_device_mails_the_account_once(clean_db, mail):
    sign_up_and_session("vera@example.com")  # the first device: no mail for it
    _login("vera@example.com", ip="198.51.100.7", ua=FIREFOX_LINUX)
    msg = mail.wait_for("vera@example.com", "New sign-in")
    body = msg.get_payload(decode=True).decode()
    assert "Firefox on Linux" in body
    assert "198.51.100.7" in body
    assert "/settings/security" in body
    # The same browser, system and network (a new address in the same /24): not new.
    _login("vera@example.com", ip="198.51.100.99", ua=FIREFOX_LINUX)
    # Another browser is new: a second mail, and an audit row for each.
    _login("vera@example.com", ip="198.51.100.99", ua=SAFARI_IPHONE)
    mail.wait_for("vera@example.com", "New sign-in")
    with read_session() as s:
        user = s.exec(select(User).where(User.email == "vera@example.com")).one()
        assert len(s.exec(select(KnownDevice).where(KnownDevice.user_id == user.id)).all()) == 3

    def new_device_rows() -> int:
        return _actions(user.id).count("user.new_device")

    assert new_device_rows() == 2
    eventually(lambda: mail.count("vera@example.com", "New sign-in") == 2 or None, 30)
    assert mail.count("vera@example.com", "New sign-in") == 2
