"""A real OpenID provider for the tests, built with Authlib's server side: the
authorization code grant with the OpenID Connect extension (OpenIDCode) and PKCE
(CodeChallenge, S256 required), ID tokens signed RS256 with an RSA key published as JWKS,
and a discovery document. It runs on 127.0.0.1 on a free port (Starlette under uvicorn in a
thread, tests.support.asgi_thread), with a plain HTML login form a browser fills in.

A test can make it misbehave, one way at a time (`provider.misbehave = ...`):
  "wrong_key"      signs the ID token with another RSA key under the published key id
  "wrong_audience" issues the ID token to another client
  "expired"        issues an ID token that expired an hour ago
  "wrong_nonce"    puts another nonce in the ID token
"""

from __future__ import annotations

import html
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import authlib.deprecate  # noqa: F401 (first: it installs an "always" warning filter)
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tests.support.asgi_thread import serve

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from authlib.common.security import generate_token
    from authlib.oauth2 import AuthorizationServer, OAuth2Error
    from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Request
    from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
    from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
    from authlib.oauth2.rfc6750 import BearerTokenGenerator
    from authlib.oauth2.rfc7636 import CodeChallenge
    from authlib.oidc.core import UserInfo
    from authlib.oidc.core.grants import OpenIDCode

KID = "test-key-1"
MISBEHAVIOURS = ("wrong_key", "wrong_audience", "expired", "wrong_nonce")


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class User:
    sub: str
    email: str
    password: str
    name: str
    groups: list[str] = field(default_factory=list)
    email_verified: bool = True


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: User
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class _Request(OAuth2Request):
    """Authlib's request, from what Starlette parsed (Authlib's own adapters are for
    Flask and Django)."""

    def __init__(self, request: Request, form: dict[str, str]) -> None:
        super().__init__(request.method, str(request.url), headers=request.headers)
        self._args = dict(request.query_params)
        self._form = form
        self.payload = BasicOAuth2Payload({**self._args, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class OidcProvider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig"})
        # Same key id, other key: what "wrong_key" signs with.
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig"})
        self.issuer = ""
        self.clients: dict[str, Client] = {}
        self.users: dict[str, User] = {}
        self.codes: dict[str, Code] = {}
        self.misbehave: str | None = None
        self.server = self._authorization_server()

    # --- what tests set up --------------------------------------------------------------

    def add_client(self, client_id: str, client_secret: str, redirect_uri: str) -> Client:
        client = Client(client_id, client_secret, [redirect_uri])
        self.clients[client_id] = client
        return client

    def add_user(
        self, email: str, password: str, name: str = "", *, groups=(), email_verified=True
    ) -> User:
        user = User(
            sub=f"sub-{len(self.users) + 1}",
            email=email,
            password=password,
            name=name,
            groups=list(groups),
            email_verified=email_verified,
        )
        self.users[email.lower()] = user
        return user

    def reset(self) -> None:
        self.clients.clear()
        self.users.clear()
        self.codes.clear()
        self.misbehave = None

    # --- Authlib's server side ------------------------------------------------------------

    def _authorization_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id):
                return provider.clients.get(client_id)

            def save_token(self, token, request):
                return None

            def create_oauth2_request(self, request):
                return request

            def create_json_request(self, request):
                return request

            def handle_response(self, status, body, headers):
                headers = dict(headers or [])
                if isinstance(body, dict):
                    return JSONResponse(body, status_code=status, headers=headers)
                return Response(body or "", status_code=status, headers=headers)

            def send_signal(self, name, *args, **kwargs):
                return None

        class CodeGrant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, request):
                payload = request.payload.data
                provider.codes[code] = Code(
                    code=code,
                    client_id=request.client.client_id,
                    redirect_uri=payload.get("redirect_uri", ""),
                    scope=request.scope or payload.get("scope", ""),
                    user=request.user,
                    nonce=payload.get("nonce"),
                    code_challenge=payload.get("code_challenge"),
                    code_challenge_method=payload.get("code_challenge_method"),
                    auth_time=int(time.time()),
                )

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        class OpenId(OpenIDCode):
            def exists_nonce(self, nonce, request):
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client):
                key = provider.rogue_key if provider.misbehave == "wrong_key" else provider.key
                return key.as_dict(private=True)

            def get_client_algorithm(self, client):
                return "RS256"

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": KID}

            def get_client_claims(self, client):
                audience = "someone-else" if provider.misbehave == "wrong_audience" else None
                claims: dict[str, Any] = {
                    "iss": provider.issuer,
                    "aud": [audience or client.get_client_id()],
                }
                if provider.misbehave == "expired":
                    now = int(time.time())
                    claims |= {"iat": now - 7200, "exp": now - 3600}
                return claims

            def get_authorization_code_claims(self, authorization_code):
                claims = super().get_authorization_code_claims(authorization_code)
                if provider.misbehave == "wrong_nonce":
                    claims["nonce"] = "not-the-nonce-you-sent"
                return claims

            def generate_user_info(self, user, scope):
                info = UserInfo(sub=user.sub, name=user.name)
                if "email" in scope:
                    info["email"] = user.email
                    info["email_verified"] = user.email_verified
                if user.groups:
                    info["groups"] = user.groups
                return info

        server = Server(scopes_supported=["openid", "email", "profile"])
        server.register_token_generator("default", BearerTokenGenerator(_access_token))
        server.register_grant(CodeGrant, [OpenId(require_nonce=True), CodeChallenge(required=True)])
        return server

    # --- HTTP -------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize, methods=["GET", "POST"]),
                Route("/token", self._token, methods=["POST"]),
            ]
        )

    async def _discovery(self, _request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def _jwks(self, _request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def _authorize(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        oauth_request = _Request(request, {})
        try:
            grant = self.server.get_consent_grant(oauth_request)
        except OAuth2Error as error:
            return HTMLResponse(
                f"<h1>Sign-in request refused</h1><p>{html.escape(error.error)}: "
                f"{html.escape(error.description or '')}</p>",
                status_code=400,
            )
        if request.method == "GET":
            return self._login_form(request, "")
        user = self.users.get(form.get("username", "").strip().lower())
        if user is None or user.password != form.get("password"):
            return self._login_form(request, "Wrong e-mail or password.")
        return self.server.create_authorization_response(
            oauth_request, grant_user=user, grant=grant
        )

    def _login_form(self, request: Request, error: str) -> Response:
        action = "/authorize?" + urlencode(dict(request.query_params))
        shown = f'<p role="alert">{html.escape(error)}</p>' if error else ""
        return HTMLResponse(
            "<!doctype html><html lang='en'><head><title>Test identity provider</title></head>"
            "<body><main><h1>Test identity provider</h1>"
            f"{shown}<form method='post' action='{html.escape(action)}'>"
            "<label for='username'>E-mail</label> <input id='username' name='username'>"
            "<label for='password'>Password</label> "
            "<input id='password' name='password' type='password'>"
            "<button type='submit'>Sign in</button></form></main></body></html>",
            status_code=401 if error else 200,
        )

    async def _token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        return self.server.create_token_response(_Request(request, form))


def _access_token(*_args: Any, **_kwargs: Any) -> str:
    return generate_token(42)


@contextmanager
def running_provider() -> Iterator[OidcProvider]:
    provider = OidcProvider()
    with serve(provider.app()) as url:
        provider.issuer = url
        yield provider
