"""OpenID Connect sign-in against the real test provider (Authlib's server side): the
whole flow, then each refusal: wrong signature, wrong audience, expired token, wrong
nonce, bad or replayed state, another browser, a person outside the bound domains, and
tenancy (A's connection never admits anyone to B)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import Membership, User
from qrapp.models.audit import AuditAction, AuditLog
from qrapp.services.accounts import accounts
from qrapp.services.sso import oidc, refusals, tickets
from qrapp.settings import get_settings
from tests.integration.helpers import BINDING, actor
from tests.integration.sso.conftest import oidc_connection, sign_in_at_idp, verified_domain
from tests.support.oidc_provider import MISBEHAVIOURS

pytestmark = pytest.mark.integration

PASSWORD = "idp-password-1"


@pytest.fixture
def acme(people, idp):
    """Workspace A's OIDC connection (default role editor) with acme.example verified."""
    verified_domain(people["ws_a"].id, "acme.example")
    c = oidc_connection(people["admin"], idp.issuer, default_role="editor")
    idp.add_user("jo@acme.example", PASSWORD, "Jo Acme", groups=["staff"])
    return c


def _members(email: str) -> list[Membership]:
    with read_session() as s:
        return list(
            s.exec(
                select(Membership)
                .join(User, User.id == Membership.user_id)
                .where(User.email == email)
            ).all()
        )


def test_sign_in_admits_just_in_time_and_logs_in(people, idp, acme):
    url = oidc.start(connection_id=acme.id, binding=BINDING, next_path="/codes")
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["code_challenge_method"] == "S256"
    assert query["nonce"]
    assert query["state"]
    assert "code_verifier" not in query
    back = sign_in_at_idp(url, "jo@acme.example", PASSWORD)
    outcome = oidc.finish(state=back["state"], code=back["code"], binding=BINDING)
    assert outcome.next_path == "/codes"
    me = actor(accounts.start_session(handoff=outcome.handoff, binding=BINDING))
    assert me.email == "jo@acme.example"
    assert me.workspace_id == people["ws_a"].id
    assert me.role == Role.EDITOR
    with read_session() as s:
        actions = set(s.exec(select(AuditLog.action)).all())
    assert {AuditAction.SSO_LOGIN.value, AuditAction.SSO_MEMBER_JOINED.value} <= actions


@pytest.mark.parametrize("mode", MISBEHAVIOURS)
def test_a_bad_id_token_is_refused(people, idp, acme, mode):
    url = oidc.start(connection_id=acme.id, binding=BINDING)
    idp.misbehave = mode
    back = sign_in_at_idp(url, "jo@acme.example", PASSWORD)
    with pytest.raises(refusals.SignInRefused) as err:
        oidc.finish(state=back["state"], code=back["code"], binding=BINDING)
    assert err.value.code == refusals.BAD_TOKEN
    assert "could not be verified" in err.value.message
    assert _members("jo@acme.example") == []


def test_bad_replayed_or_other_browsers_state_is_refused(people, idp, acme):
    url = oidc.start(connection_id=acme.id, binding=BINDING)
    back = sign_in_at_idp(url, "jo@acme.example", PASSWORD)
    for state, binding in (
        ("made-up-state", BINDING),
        ("", BINDING),
        (back["state"], "another-browser"),
        (back["state"], ""),
    ):
        with pytest.raises(refusals.SignInRefused) as err:
            oidc.finish(state=state, code=back["code"], binding=binding)
        assert err.value.code == refusals.BAD_STATE
    oidc.finish(state=back["state"], code=back["code"], binding=BINDING)
    with pytest.raises(refusals.SignInRefused) as err:  # used once only
        oidc.finish(state=back["state"], code=back["code"], binding=BINDING)
    assert err.value.code == refusals.BAD_STATE


def test_a_wrong_code_verifier_is_refused_by_the_provider(people, idp, acme):
    """PKCE: a code stolen on its way back is useless without the verifier we kept."""
    from qrapp.db import transaction
    from qrapp.models.sso import SsoLoginState

    url = oidc.start(connection_id=acme.id, binding=BINDING)
    with transaction() as tx:
        row = tx.session.exec(select(SsoLoginState)).one()
        row.data = {**row.data, "code_verifier": "x" * 64}
        tx.session.add(row)
    back = sign_in_at_idp(url, "jo@acme.example", PASSWORD)
    with pytest.raises(refusals.SignInRefused) as err:
        oidc.finish(state=back["state"], code=back["code"], binding=BINDING)
    assert err.value.code == refusals.IDP_ERROR


def test_a_person_outside_the_bound_domains_is_refused(people, idp, acme):
    idp.add_user("eve@elsewhere.example", PASSWORD, "Eve")
    url = oidc.start(connection_id=acme.id, binding=BINDING)
    back = sign_in_at_idp(url, "eve@elsewhere.example", PASSWORD)
    with pytest.raises(refusals.SignInRefused) as err:
        oidc.finish(state=back["state"], code=back["code"], binding=BINDING)
    assert err.value.code == refusals.DOMAIN
    assert "not one your workspace has verified" in err.value.message
    with read_session() as s:
        assert s.exec(select(User).where(User.email == "eve@elsewhere.example")).first() is None


def test_as_connection_never_admits_anyone_to_b(people, idp, acme):
    """B verified its own domain; A's connection (whose IdP vouches for a B person) does
    not let them into A, nor into B."""
    verified_domain(people["ws_b"].id, "bee.example")
    idp.add_user("bo@bee.example", PASSWORD, "Bo")
    url = oidc.start(connection_id=acme.id, binding=BINDING)
    back = sign_in_at_idp(url, "bo@bee.example", PASSWORD)
    with pytest.raises(refusals.SignInRefused) as err:
        oidc.finish(state=back["state"], code=back["code"], binding=BINDING)
    assert err.value.code == refusals.DOMAIN
    assert _members("bo@bee.example") == []


def test_the_http_routes_walk_the_flow_and_refuse_with_a_code(people, idp, acme):
    """The backend's routes: start redirects to the provider; the callback hands off to
    /auth/session, or sends the browser to /login?sso_error=<code>."""
    from qrapp.api.app import build

    settings = get_settings()
    client = TestClient(build(), base_url=settings.public_api_url)
    client.cookies.set(settings.login_binding_cookie_name, BINDING)
    # Without the login page's ticket (a link from another site), or with another
    # browser's, nothing starts (login CSRF).
    for ticket in ("", "forged", tickets.issue(binding="another-browser", connection_id=acme.id)):
        forged = client.get(f"/auth/sso/{acme.id}/start?t={ticket}", follow_redirects=False)
        assert forged.headers["location"].endswith("/login?sso_error=state")
    ticket = tickets.issue(binding=BINDING, connection_id=acme.id)
    started = client.get(
        f"/auth/sso/{acme.id}/start?t={ticket}&next=/codes", follow_redirects=False
    )
    assert started.status_code == 303
    assert started.headers["location"].startswith(idp.issuer + "/authorize?")
    back = sign_in_at_idp(started.headers["location"], "jo@acme.example", PASSWORD)
    done = client.get("/auth/sso/oidc/callback", params=back, follow_redirects=False)
    assert done.status_code == 303
    assert "/auth/session?h=" in done.headers["location"]
    assert done.headers["location"].endswith("next=/codes")
    again = client.get("/auth/sso/oidc/callback", params=back, follow_redirects=False)
    assert again.headers["location"].endswith("/login?sso_error=state")
    unknown = client.get(
        "/auth/sso/00000000-0000-0000-0000-000000000000/start", follow_redirects=False
    )
    assert unknown.headers["location"].endswith("/login?sso_error=refused")


def test_sso_only_refuses_password_login_and_reset(people, idp):
    from qrapp.services.accounts.accounts import log_in, request_password_reset
    from qrapp.services.errors import ServiceError
    from qrapp.services.sso.domains import SSO_ONLY_MESSAGE
    from tests.integration.helpers import PASSWORD as ACCOUNT_PASSWORD

    accounts.create_user_cli(email="pat@acme.example", password=ACCOUNT_PASSWORD)
    verified_domain(people["ws_a"].id, "acme.example")
    oidc_connection(people["admin"], idp.issuer, sso_only=False)
    assert log_in(email="pat@acme.example", password=ACCOUNT_PASSWORD, binding=BINDING)
    oidc_connection(people["owner"], idp.issuer, sso_only=True)
    for call in (
        lambda: log_in(email="pat@acme.example", password=ACCOUNT_PASSWORD, binding=BINDING),
        lambda: log_in(email="nobody@ACME.example", password="whatever", binding=BINDING),
        lambda: request_password_reset(email="pat@acme.example"),
    ):
        with pytest.raises(ServiceError) as err:
            call()
        assert err.value.message == SSO_ONLY_MESSAGE
        assert "Sign in with SSO" in err.value.message
    # Another domain's people still log in with their password.
    assert log_in(email="admin@admins.example", password=ACCOUNT_PASSWORD, binding=BINDING)


def test_an_admins_test_sign_in_reports_back_and_admits_nobody(people, idp, acme):
    """Settings' "Test sign-in": only an admin of the connection's workspace may start it;
    the callback goes back to the settings with the outcome and logs nobody in."""
    from qrapp.api.app import build

    settings = get_settings()

    def client_with(session_token: str | None) -> TestClient:
        client = TestClient(build(), base_url=settings.public_api_url)
        client.cookies.set(settings.login_binding_cookie_name, BINDING)
        if session_token:
            client.cookies.set(settings.session_cookie_name, session_token)
        return client

    path = f"/auth/sso/{acme.id}/start?test=1"
    # Not signed in, or B's admin: refused before anything reaches the provider.
    for token in (None, people["tokens"]["admin_b"], people["tokens"]["editor"]):
        refused = client_with(token).get(path, follow_redirects=False)
        assert refused.headers["location"].endswith("/login?sso_error=refused")
    admin = client_with(people["tokens"]["admin"])
    started = admin.get(path, follow_redirects=False)
    assert started.headers["location"].startswith(idp.issuer + "/authorize?")
    back = sign_in_at_idp(started.headers["location"], "jo@acme.example", PASSWORD)
    done = admin.get("/auth/sso/oidc/callback", params=back, follow_redirects=False)
    assert done.headers["location"].endswith("/settings/sso?test=ok")
    assert _members("jo@acme.example") == []
    # A test with someone outside the domains reports why.
    idp.add_user("eve@elsewhere.example", PASSWORD, "Eve")
    started = admin.get(path, follow_redirects=False)
    back = sign_in_at_idp(started.headers["location"], "eve@elsewhere.example", PASSWORD)
    done = admin.get("/auth/sso/oidc/callback", params=back, follow_redirects=False)
    assert done.headers["location"].endswith("/settings/sso?test=domain")


def test_an_expired_state_is_refused_and_purged(people, idp, acme):
    import datetime as dt

    from qrapp.db import transaction
    from qrapp.models.sso import SsoLoginState
    from qrapp.models.types import utcnow
    from qrapp.services.maintenance import purge_expired_auth_rows

    url = oidc.start(connection_id=acme.id, binding=BINDING)
    back = sign_in_at_idp(url, "jo@acme.example", PASSWORD)
    with transaction() as tx:
        row = tx.session.exec(select(SsoLoginState)).one()
        row.expires_at = utcnow() - dt.timedelta(seconds=1)
        tx.session.add(row)
    with pytest.raises(refusals.SignInRefused) as err:
        oidc.finish(state=back["state"], code=back["code"], binding=BINDING)
    assert err.value.code == refusals.BAD_STATE
    purge_expired_auth_rows()
    with read_session() as s:
        assert s.exec(select(SsoLoginState)).all() == []


def test_a_provider_on_our_own_network_is_not_called(people, idp, acme):
    """Outgoing calls to a provider follow the webhooks' address rules: with private
    addresses not allowed (as in production), a provider on 127.0.0.1 is never asked."""
    from tests.support.environment import patched_env

    oidc.forget_cached_metadata()
    with (
        patched_env({"WEBHOOKS_ALLOW_PRIVATE": "false"}),
        pytest.raises(refusals.SignInRefused) as err,
    ):
        oidc.start(connection_id=acme.id, binding=BINDING)
    assert err.value.code == refusals.UNREACHABLE
    assert idp.issuer in err.value.detail  # the audit log says which address was refused
    assert _members("jo@acme.example") == []
