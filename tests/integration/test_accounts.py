"""Sign-up, verification, login, reset and change of password, with real mail."""

from __future__ import annotations

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import AuditLog, Membership, User, Workspace
from qrapp.services import accounts
from qrapp.services.errors import NotSignedIn, ServiceError
from tests.integration.helpers import PASSWORD, actor, log_in, sign_up_and_session
from tests.support.mailsink import link_in


def test_sign_up_creates_personal_workspace_owned_by_the_user(mail):
    token = sign_up_and_session("Ada@Example.com", name="Ada")
    me = actor(token)
    assert me.email == "ada@example.com"
    assert me.role == Role.OWNER
    with read_session() as s:
        ws = s.get(Workspace, me.workspace_id)
        assert ws.is_personal and ws.name == "Ada's workspace"
        members = s.exec(select(Membership).where(Membership.workspace_id == ws.id)).all()
        assert [(m.user_id, m.role) for m in members] == [(me.user_id, "owner")]
        actions = s.exec(select(AuditLog.action)).all()
    assert "user.signed_up" in actions
    assert not me.email_verified


def test_verification_link_from_the_mail_verifies_once(mail):
    sign_up_and_session("bob@example.com")
    msg = mail.wait_for("bob@example.com", "Confirm your e-mail")
    token = link_in(msg, "/verify-email").split("token=")[1]
    assert accounts.verify_email(token=token) is True
    assert accounts.verify_email(token=token) is False  # used
    assert accounts.verify_email(token="forged") is False
    with read_session() as s:
        assert s.exec(select(User).where(User.email == "bob@example.com")).one().email_verified_at


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
        accounts.sign_up(email=email, password=password)
    assert err.value.field == field and err.value.message
    with read_session() as s:
        assert s.exec(select(User)).all() == []


def test_sign_up_with_taken_email_tells_the_owner_by_mail_and_creates_nothing(mail):
    sign_up_and_session("carol@example.com")
    result = accounts.sign_up(email="carol@example.com", password="another long passphrase")
    assert result.handoff is None
    mail.wait_for("carol@example.com", "tried to sign up")
    with read_session() as s:
        assert len(s.exec(select(User)).all()) == 1


def test_long_passwords_are_not_truncated(clean_db):
    long_pw = "p" * 64 + "Q" * 64 + "!9"
    sign_up_and_session("long@example.com", password=long_pw)
    log_in("long@example.com", long_pw)
    with pytest.raises(ServiceError):
        accounts.log_in(email="long@example.com", password=long_pw[:128])


def test_password_hash_is_argon2id_with_owasp_parameters(clean_db):
    sign_up_and_session("hash@example.com")
    with read_session() as s:
        h = s.exec(select(User.password_hash)).one()
    assert h.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_password_reset_through_the_mailed_link_ends_every_session(mail):
    old = sign_up_and_session("dave@example.com")
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
    first = sign_up_and_session("erin@example.com")
    second = log_in("erin@example.com")
    me = actor(first)
    with pytest.raises(ServiceError) as err:
        accounts.change_password(actor=me, current="wrong password!", new="new passphrase here")
    assert err.value.field == "current"
    actor(second)  # the failed attempt changed nothing
    handoff = accounts.change_password(actor=me, current=PASSWORD, new="new passphrase here")
    for old in (first, second):
        with pytest.raises(NotSignedIn):
            actor(old)
    fresh = accounts.start_session(handoff=handoff)
    assert actor(fresh).email == "erin@example.com"
    assert fresh not in (first, second)
