"""OpenID Connect sign-in through Authlib: the authorization code flow with PKCE (S256),
state and nonce, and a verified ID token.

`start` looks the issuer up (discovery), keeps the sign-in's state server-side, bound to
the browser that started it, and answers the identity provider's URL. `finish` (the
callback) takes the state once, trades the code for tokens, verifies the ID token's
signature against the issuer's JWKS and its claims (iss, aud, exp, iat, nonce), then
admits the person (admission.admit) and hands off a login (admission.finish_login).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

import authlib.deprecate  # noqa: F401 (first: it installs an "always" warning filter)
import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from sqlalchemy import update
from sqlmodel import col, select

from qrapp.core import routes
from qrapp.db import read_session, transaction
from qrapp.models.audit import AuditAction
from qrapp.models.sso import PROTOCOL_OIDC, SsoConnection, SsoLoginState
from qrapp.models.types import utcnow
from qrapp.services import audit, throttle
from qrapp.services.accounts import email_tokens
from qrapp.services.accounts.tokens import new_token, token_hash
from qrapp.services.errors import ServiceError
from qrapp.services.sso import admission, connections, oidc_config
from qrapp.services.sso.refusals import (
    BAD_STATE,
    BAD_TOKEN,
    DOMAIN,
    IDP_ERROR,
    NO_EMAIL,
    REFUSED,
    UNREACHABLE,
    SignInRefused,
)
from qrapp.services.webhooks import addresses
from qrapp.settings import get_settings

with warnings.catch_warnings():
    # Authlib 1.9 prefers the httpx2 package and warns when it falls back to httpx, which
    # is the one this app uses everywhere.
    warnings.simplefilter("ignore")
    from authlib.common.security import generate_token
    from authlib.integrations.httpx_client import OAuth2Client
    from authlib.oidc.core import CodeIDToken

connections.register_protocol(PROTOCOL_OIDC, oidc_config.check_config, oidc_config.SECRET_KEYS)

STATE_TTL = dt.timedelta(minutes=10)
_HTTP_TIMEOUT = 8.0
_METADATA_TTL = 600.0  # seconds: discovery and JWKS are re-read every ten minutes
_STARTS_PER_IP = 60  # sign-ins begun per address per ten minutes
_LEEWAY = 60  # seconds of clock skew allowed on exp and iat
# Asymmetric signatures only: never "none", never HS256 (keyed with our client secret).
_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


class OidcRefused(SignInRefused):
    """An OpenID Connect sign-in that does not hold (see refusals for the codes)."""


@dataclass(frozen=True)
class Outcome:
    """What the callback does next: log in (handoff + next_path), or report a test."""

    handoff: str = ""
    next_path: str = ""
    tested_email: str = ""  # set for an admin's test sign-in (nobody is logged in)
    test: bool = False


def callback_url() -> str:
    return get_settings().public_api_url.rstrip("/") + routes.SSO_OIDC_CALLBACK


# --- discovery and keys ---------------------------------------------------------------

_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_cache_lock = threading.Lock()


def _outgoing(url: str) -> None:
    """The provider's URLs get the webhooks' address rules: an admin's configuration must
    not make us call hosts on our own network (checked before every request)."""
    try:
        addresses.check(url)
    except addresses.UnsafeUrl as exc:
        raise OidcRefused(UNREACHABLE, f"{url}: {exc}") from None


def _get_json(url: str) -> dict[str, Any]:
    _outgoing(url)
    try:
        response = httpx.get(url, timeout=_HTTP_TIMEOUT, follow_redirects=False)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcRefused(UNREACHABLE, f"{url}: {exc}") from None
    if not isinstance(data, dict):
        raise OidcRefused(UNREACHABLE, f"{url}: not a JSON object")
    return data


def _cached(key: str, load, *, force: bool = False) -> dict[str, Any]:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit and not force and now - hit[0] < _METADATA_TTL:
        return hit[1]
    value = load()
    with _cache_lock:
        _cache[key] = (now, value)
    return value


def forget_cached_metadata() -> None:
    """After an admin changes a connection, and for tests that change their provider."""
    with _cache_lock:
        _cache.clear()


def discover(issuer: str, *, force: bool = False) -> dict[str, Any]:
    """The issuer's discovery document; its `issuer` must be the configured one."""

    def load() -> dict[str, Any]:
        meta = _get_json(issuer + "/.well-known/openid-configuration")
        if str(meta.get("issuer", "")).rstrip("/") != issuer:
            raise OidcRefused(BAD_TOKEN, "discovery issuer differs")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(meta.get(key), str):
                raise OidcRefused(UNREACHABLE, f"discovery lacks {key}")
        return meta

    return _cached("meta:" + issuer, load, force=force)


def _jwks(meta: dict[str, Any], *, force: bool = False) -> dict[str, Any]:
    uri = meta["jwks_uri"]
    return _cached("jwks:" + uri, lambda: _get_json(uri), force=force)


def _client(config: dict[str, Any]) -> OAuth2Client:
    return OAuth2Client(
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        code_challenge_method="S256",
        redirect_uri=callback_url(),
        scope="openid email profile",
        timeout=_HTTP_TIMEOUT,
    )


# --- start ------------------------------------------------------------------------------


def start(
    *,
    connection_id: uuid.UUID | str,
    binding: str,
    next_path: str = "",
    test_by: uuid.UUID | None = None,
    ip: str = "",
) -> str:
    """The identity provider's authorization URL for this browser's sign-in."""
    bound = email_tokens.binding_hash(binding)
    if not bound:
        raise OidcRefused(BAD_STATE, "no binding cookie")
    if ip:
        # Each start keeps a row for ten minutes: a flood from one address is cut short.
        key = throttle.Key(f"sso-start:{throttle.ip_key(ip)}", _STARTS_PER_IP, STATE_TTL)
        with transaction() as tx:
            throttle.reserve(tx.session, [key])
    with read_session() as s:
        conn = connections.connection_for_login(s, connection_id)
        if conn.protocol != PROTOCOL_OIDC:
            raise OidcRefused(REFUSED, "not an OIDC connection")
        config = dict(conn.config or {})
        conn_id = conn.id
    meta = discover(config["issuer"])
    state, state_hashed = new_token()
    nonce = generate_token(32)
    verifier = generate_token(64)
    with transaction() as tx:
        tx.session.add(
            SsoLoginState(
                state_hash=state_hashed,
                connection_id=conn_id,
                binding_hash=bound,
                data={"nonce": nonce, "code_verifier": verifier},
                next_path=next_path[:500],
                test_by=test_by,
                expires_at=utcnow() + STATE_TTL,
            )
        )
    with _client(config) as client:
        url, _ = client.create_authorization_url(
            meta["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
        )
    return str(url)


# --- callback -------------------------------------------------------------------------


def _take_state(state: str, binding: str) -> SsoLoginState:
    """The sign-in this callback belongs to, used once, only by the browser that began it."""
    bound = email_tokens.binding_hash(binding)
    if not state or len(state) > 200 or not bound:
        raise OidcRefused(BAD_STATE, "missing state or binding")
    hashed = token_hash(state)
    now = utcnow()
    with transaction() as tx:
        result = tx.session.exec(
            update(SsoLoginState)
            .where(
                col(SsoLoginState.state_hash) == hashed,
                col(SsoLoginState.binding_hash) == bound,
                col(SsoLoginState.used_at).is_(None),
                col(SsoLoginState.expires_at) > now,
            )
            .values(used_at=now)
        )
        if result.rowcount != 1:
            raise OidcRefused(BAD_STATE, "unknown, used, expired or another browser's state")
        return tx.session.exec(
            select(SsoLoginState).where(SsoLoginState.state_hash == hashed)
        ).one()


def verify_id_token(
    id_token: str, *, meta: dict[str, Any], client_id: str, nonce: str, access_token: str = ""
) -> dict[str, Any]:
    """The ID token's claims once its signature and claims hold; OidcRefused otherwise."""
    registry = JWSRegistry(algorithms=_ALGORITHMS, strict_check_header=False)
    try:
        try:
            keys = KeySet.import_key_set(_jwks(meta))  # type: ignore[arg-type]
            token = jwt.decode(id_token, keys, registry=registry)
        except JoseError:
            # The issuer may have rotated its keys since we cached them: read them again.
            fresh = KeySet.import_key_set(_jwks(meta, force=True))  # type: ignore[arg-type]
            token = jwt.decode(id_token, fresh, registry=registry)
        params: dict[str, Any] = {"nonce": nonce, "client_id": client_id}
        if access_token:
            params["access_token"] = access_token
        claims = CodeIDToken(
            token.claims,
            token.header,
            {
                "iss": {"essential": True, "value": meta["issuer"]},
                "aud": {"essential": True, "value": client_id},
                "nonce": {"essential": True, "value": nonce},
            },
            params,
        )
        claims.validate(leeway=_LEEWAY)
    except (JoseError, ValueError) as exc:
        raise OidcRefused(BAD_TOKEN, f"{type(exc).__name__}: {exc}") from None
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or iat > time.time() + _LEEWAY:
        raise OidcRefused(BAD_TOKEN, "iat missing or in the future")
    return dict(claims)


def _audit_refusal(conn: SsoConnection | None, exc: OidcRefused, ip: str) -> None:
    with transaction() as tx:
        audit.record(
            tx.session,
            action=AuditAction.SSO_LOGIN_FAILED,
            actor_user_id=None,
            workspace_id=conn.workspace_id if conn else None,
            target_type="sso_connection",
            target_id=str(conn.id) if conn else "",
            ip=ip,
            details={"reason": exc.code, "detail": exc.detail[:300]},
        )


def finish(*, state: str, code: str, error: str = "", binding: str, ip: str = "") -> Outcome:
    """The callback's work. OidcRefused (with a code for the login page) when anything
    does not hold; its `test` is set for an admin's test sign-in."""
    row = _take_state(state, binding)
    try:
        return _finish(row, code=code, error=error, binding=binding, ip=ip)
    except SignInRefused as exc:
        exc.test = row.test_by is not None
        raise


def _finish(row: SsoLoginState, *, code: str, error: str, binding: str, ip: str) -> Outcome:
    with read_session() as s:
        try:
            conn = connections.connection_for_login(s, row.connection_id)
        except ServiceError:
            raise OidcRefused(REFUSED, "connection gone or switched off") from None
    try:
        if error or not code:
            raise OidcRefused(IDP_ERROR, error[:100] or "no code")
        config = dict(conn.config or {})
        meta = discover(config["issuer"])
        _outgoing(meta["token_endpoint"])
        try:
            with _client(config) as client:
                token = client.fetch_token(
                    meta["token_endpoint"],
                    code=code[:2000],
                    code_verifier=row.data.get("code_verifier", ""),
                    grant_type="authorization_code",
                )
        except Exception as exc:
            raise OidcRefused(IDP_ERROR, f"token endpoint: {exc}") from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OidcRefused(BAD_TOKEN, "no id_token")
        claims = verify_id_token(
            id_token,
            meta=meta,
            client_id=config["client_id"],
            nonce=str(row.data.get("nonce", "")),
            access_token=str(token.get("access_token") or ""),
        )
        email = claims.get("email")
        if not isinstance(email, str) or claims.get("email_verified") is False:
            raise OidcRefused(NO_EMAIL, "no verified email claim")
        groups = [g for g in (claims.get("groups") or []) if isinstance(g, str)]
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        if row.test_by is not None:
            # An admin's test: check the admission without admitting (no user, no member).
            with read_session() as s:
                if not _domain_ok(s, conn, email):
                    raise OidcRefused(DOMAIN, email)
            return Outcome(test=True, tested_email=email.lower())
        try:
            user_id = admission.admit(conn, email, name or "", groups, ip=ip)
        except admission.SsoRefused as exc:
            if exc.reason == "domain":
                raise OidcRefused(DOMAIN, email) from None
            raise OidcRefused(REFUSED, exc.message) from None
    except OidcRefused as exc:
        _audit_refusal(conn, exc, ip)
        raise
    handoff = admission.finish_login(connection=conn, user_id=user_id, binding=binding, ip=ip)
    return Outcome(handoff=handoff, next_path=row.next_path)


def _domain_ok(s, conn: SsoConnection, email: str) -> bool:
    from qrapp.services.sso import domains

    return "@" in email and domains.is_verified(s, conn.workspace_id, email.rsplit("@", 1)[1])
