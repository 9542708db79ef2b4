"""A SAML 2.0 identity provider for the tests, built with pysaml2's own IdP side.

It serves its metadata (GET /metadata), takes an AuthnRequest by the HTTP-Redirect
binding (GET /sso), shows a login form, and answers the service provider's ACS by the
HTTP-POST binding (a self-submitting form). Responses and assertions are signed with a
key made for the session (RSA: what xmlsec1 and every IdP use).

A test tells it to misbehave with `idp.mode = ...`:
  "good"          signed assertion inside a signed response
  "unsigned"      nothing signed
  "wrong_key"     signed, but by a key the service provider never saw (same entity id)
  "wrong_audience"   the assertion is for another service provider
  "wrong_recipient"  the response and the subject confirmation name another ACS URL
  "expired"       the assertion's NotOnOrAfter is already in the past
Replay needs no mode: post the same `last_response` twice.

`response_for(request_url, user)` makes an answer without a browser (integration tests).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import secrets
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from defusedxml import ElementTree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.mdstore import MetadataStore
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from tests.support.asgi_thread import serve

XMLSEC = "/usr/bin/xmlsec1"
SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
MODES = ("good", "unsigned", "wrong_key", "wrong_audience", "wrong_recipient", "expired")


@dataclass(frozen=True)
class IdpUser:
    password: str
    email: str
    name: str
    groups: tuple[str, ...] = ()


USERS = {
    "carol": IdpUser("carol-pass-1", "carol@acme.example", "Carol Saml", ("qr-admins",)),
    "dave": IdpUser("dave-pass-2", "dave@acme.example", "Dave Saml"),
    "erin": IdpUser("erin-pass-3", "erin@other.example", "Erin Outside"),
}


def _key_pair(folder: Path, stem: str) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test IdP {stem}")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{stem}.pem", folder / f"{stem}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _config(base_url: str, cert: Path, key: Path, *, lifetime: dict) -> IdPConfig:
    conf = IdPConfig()
    conf.load(
        {
            "entityid": f"{base_url}/metadata",
            "xmlsec_binary": XMLSEC,
            "key_file": str(key),
            "cert_file": str(cert),
            "service": {
                "idp": {
                    "name": "qrapp test IdP",
                    "endpoints": {
                        "single_sign_on_service": [(f"{base_url}/sso", BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "policy": {"default": {"lifetime": lifetime}},
                }
            },
        }
    )
    return conf


class _AnySp(MetadataStore):
    """No SP metadata: this IdP answers whoever asks (the SP's checks are what is tested),
    so an unknown SP simply has no encryption certificate."""

    def certs(self, entity_id, descriptor, use="signing"):
        try:
            return super().certs(entity_id, descriptor, use)
        except KeyError:
            return []


def _server(conf: IdPConfig) -> Server:
    server = Server(config=conf)
    server.metadata = _AnySp(conf.attribute_converters, conf)
    return server


@dataclass(frozen=True)
class AuthnRequestInfo:
    request_id: str
    acs_url: str
    sp_entity_id: str
    relay_state: str


def parse_redirect(url: str) -> AuthnRequestInfo:
    """Read an AuthnRequest sent by the HTTP-Redirect binding (deflated, base64)."""
    query = parse_qs(urlsplit(url).query)
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
    root = ElementTree.fromstring(xml)
    issuer = root.find(f"{SAML}Issuer")
    return AuthnRequestInfo(
        request_id=root.attrib["ID"],
        acs_url=root.attrib.get("AssertionConsumerServiceURL", ""),
        sp_entity_id=(issuer.text or "") if issuer is not None else "",
        relay_state=query.get("RelayState", [""])[0],
    )


class SamlIdp:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.mode = "good"
        self.base_url = ""
        self.last_response = ""  # base64 SAMLResponse of the last answer made
        self._lock = threading.Lock()
        self._pending: dict[str, AuthnRequestInfo] = {}

    def _setup(self, base_url: str) -> None:
        self.base_url = base_url
        self.folder.mkdir(parents=True, exist_ok=True)
        good = _key_pair(self.folder, "idp")
        rogue = _key_pair(self.folder, "rogue")
        self._servers = {
            "good": _server(_config(base_url, *good, lifetime={"minutes": 5})),
            "wrong_key": _server(_config(base_url, *rogue, lifetime={"minutes": 5})),
            # NotOnOrAfter 10 minutes ago: past any clock-skew allowance.
            "expired": _server(_config(base_url, *good, lifetime={"minutes": -10})),
        }
        self.metadata_xml = create_metadata_string(
            None, config=self._servers["good"].config, valid=48, sign=False
        ).decode()

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/metadata"

    def response_for(self, request: AuthnRequestInfo, username: str) -> str:
        """The base64 SAMLResponse this IdP, in its current mode, sends for `username`."""
        user = USERS[username]
        mode = self.mode
        server = self._servers.get(mode, self._servers["good"])
        audience = (
            "https://someone-else.test/sp" if mode == "wrong_audience" else request.sp_entity_id
        )
        acs = "https://elsewhere.test/acs" if mode == "wrong_recipient" else request.acs_url
        signed = mode != "unsigned"
        with self._lock:  # pysaml2's Server keeps per-call state
            response = server.create_authn_response(
                identity={
                    "mail": [user.email],
                    "displayName": [user.name],
                    "groups": list(user.groups),
                },
                in_response_to=request.request_id,
                destination=acs,
                sp_entity_id=audience,
                name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=user.email),
                authn={
                    "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password",
                    "authn_auth": self.base_url,
                },
                sign_assertion=signed,
                sign_response=signed,
            )
        self.last_response = base64.b64encode(str(response).encode()).decode()
        return self.last_response

    # -- HTTP side (the browser's path) -------------------------------------------------

    async def _metadata(self, _request: Request) -> Response:
        return Response(self.metadata_xml, media_type="application/samlmetadata+xml")

    async def _sso(self, request: Request) -> Response:
        info = parse_redirect(str(request.url))
        key = secrets.token_urlsafe(16)
        self._pending[key] = info
        return HTMLResponse(
            "<!doctype html><html lang='en'><head><title>Test IdP sign-in</title></head><body>"
            "<h1>Test IdP</h1><form method='post' action='/login'>"
            f"<input type='hidden' name='key' value='{key}'>"
            "<label>Username <input name='username' autocomplete='username'></label>"
            "<label>Password <input name='password' type='password'></label>"
            "<button type='submit'>Sign in to the test IdP</button></form></body></html>"
        )

    async def _login(self, request: Request) -> Response:
        form = await request.form()
        info = self._pending.get(str(form.get("key", "")))
        user = USERS.get(str(form.get("username", "")))
        if info is None or user is None or user.password != form.get("password"):
            return HTMLResponse("<p>Wrong username or password.</p>", status_code=401)
        saml_response = self.response_for(info, str(form["username"]))
        target = html.escape(info.acs_url)
        # The HTTP-POST binding: a form the browser submits to the SP's ACS.
        return HTMLResponse(
            "<!doctype html><html lang='en'><head><title>Continue</title></head>"
            "<body onload='document.forms[0].submit()'>"
            f"<form method='post' action='{target}'>"
            f"<input type='hidden' name='SAMLResponse' value='{saml_response}'>"
            f"<input type='hidden' name='RelayState' value='{html.escape(info.relay_state)}'>"
            "<button type='submit'>Continue</button></form></body></html>"
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/metadata", self._metadata),
                Route("/sso", self._sso),
                Route("/login", self._login, methods=["POST"]),
            ]
        )


@contextmanager
def running_idp(folder: Path) -> Iterator[SamlIdp]:
    idp = SamlIdp(folder)
    # Set up once serving: the entity id and endpoints hold the URL with its free port.
    with serve(idp.app()) as base_url:
        idp._setup(base_url)
        yield idp


__all__ = ["BINDING_HTTP_POST", "MODES", "USERS", "SamlIdp", "parse_redirect", "running_idp"]
