"""Small helpers for account-level integration tests."""

from __future__ import annotations

from qrapp.core.permissions import Role
from qrapp.db import transaction
from qrapp.models import Membership, User, Workspace
from qrapp.services.accounts import accounts, email_tokens, signup
from qrapp.services.authz import Actor, actor_for_token
from tests.support.mailsink import link_in, mark, wait_for_new

PASSWORD = "correct horse battery staple"
# What the browser's login binding cookie would hold: hand-offs work only with it.
BINDING = "integration-test-browser-binding"


def confirmation_token(email: str, since: dict[int, int]) -> str:
    """The token of the confirmation link mailed to `email` after `since` (mark())."""
    msg = wait_for_new(email, "Confirm your e-mail", since)
    return link_in(msg, "/verify-email").split("token=")[1]


def sign_up_and_session(email: str, name: str = "", password: str = PASSWORD) -> str:
    """A new confirmed account and a session token (what the cookie would hold), for the
    many tests whose subject comes after the sign-up: the account made the operator's way
    (`qrapp user create`: the same create_account as a confirmed sign-up) and the hand-off
    its confirmation link gives the browser that signed up, traded for a session. Without
    the sign-up mail's round trip through the worker: half a second each on the SQLite
    broker (it polls once a second), several on a busy machine, hundreds of times a run.
    The sign-up itself: sign_up_by_mail_and_session."""
    user_id = accounts.create_user_cli(email=email, password=password, name=name)
    with transaction() as tx:
        user = tx.session.get(User, user_id)
        handoff = email_tokens.issue_login_handoff(tx.session, user=user, binding=BINDING)
    token = accounts.start_session(handoff=handoff, binding=BINDING)
    assert token
    return token


def sign_up_by_mail_and_session(email: str, name: str = "", password: str = PASSWORD) -> str:
    """A new account, through the whole flow: sign up, open the mailed link in the same
    browser, trade the hand-off. Returns the session token (what the cookie would hold)."""
    since = mark()
    signup.sign_up(email=email, password=password, name=name, binding=BINDING)
    result = signup.confirm_email(token=confirmation_token(email, since), binding=BINDING)
    assert result.confirmed
    assert result.handoff
    token = accounts.start_session(handoff=result.handoff, binding=BINDING)
    assert token
    return token


def log_in(email: str, password: str = PASSWORD, ip: str = "203.0.113.9") -> str:
    handoff = accounts.log_in(email=email, password=password, ip=ip, binding=BINDING)
    token = accounts.start_session(handoff=handoff, binding=BINDING)
    assert token
    return token


def actor(token: str | None) -> Actor:
    return actor_for_token(token)


def add_member(workspace_id, user_id, role: Role) -> None:
    with transaction() as tx:
        tx.session.add(Membership(workspace_id=workspace_id, user_id=user_id, role=role.value))


def team_workspace(name: str = "Team A") -> Workspace:
    with transaction() as tx:
        ws = Workspace(name=name)
        tx.session.add(ws)
        return ws
