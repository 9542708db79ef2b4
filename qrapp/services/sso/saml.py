"""SAML 2.0 sign-in (service provider side, pysaml2).

The flow: GET /auth/saml/{id}/login sends the browser to the IdP with an AuthnRequest
(HTTP-Redirect) and a RelayState naming a server-side SsoLoginState bound to this
browser. The IdP posts its Response to our ACS (HTTP-POST). The ACS checks it: signed
assertion (by the certificate in the IdP's metadata), audience = our entity id,
destination and recipient = our ACS URL, the time window, InResponseTo = the request we
sent, and an assertion ID never used before (SamlAssertionSeen). Then `admit` makes the
person a member, and the browser is sent on to /auth/saml/finish with a one-time token:
that top-level GET carries the browser's binding cookie (the IdP's cross-site POST does
not), which must match the browser that started the sign-in before `finish_login` gives
the hand-off. So nobody can push their own assertion into someone else's browser.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any, cast

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import StatusError
from saml2.sigver import SignatureError
from sqlalchemy import CursorResult, delete
from sqlmodel import Session, col, select

from qrapp.db import dialect_insert, read_session, table_of, transaction
from qrapp.models.audit import AuditAction
from qrapp.models.sso import PROTOCOL_SAML, SsoConnection, SsoLoginState
from qrapp.models.sso_saml import SamlAssertionSeen
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.accounts import email_tokens
from qrapp.services.accounts.tokens import new_token, token_hash
from qrapp.services.errors import NotFound, ServiceError
from qrapp.services.sso import admission, connections
from qrapp.services.sso.admission import SsoRefused
from qrapp.services.sso.saml_config import check_config, keep_metadata
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

XMLSEC = "/usr/bin/xmlsec1"
_SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
REQUEST_TTL = dt.timedelta(minutes=10)
FINISH_TTL = dt.timedelta(minutes=2)
CLOCK_SKEW_SECONDS = 60
TESTED = ""  # consume's answer to an admin's test sign-in
RESTART = "This sign-in has expired or was already used. Please start again from the login page."

connections.register_protocol(PROTOCOL_SAML, check_config, keep=keep_metadata)


# -- our side's addresses -------------------------------------------------------------


def _base(connection_id: uuid.UUID | str) -> str:
    return f"{get_settings().public_api_url}/auth/saml/{connection_id}"


def sp_entity_id(connection_id: uuid.UUID | str) -> str:
    return f"{_base(connection_id)}/metadata"


def acs_url(connection_id: uuid.UUID | str) -> str:
    return f"{_base(connection_id)}/acs"


def _client(conn: SsoConnection) -> Saml2Client:
    conf = SPConfig()
    conf.load(
        {
            "entityid": sp_entity_id(conn.id),
            "xmlsec_binary": XMLSEC,
            "service": {
                "sp": {
                    "endpoints": {
                        "assertion_consumer_service": [(acs_url(conn.id), BINDING_HTTP_POST)]
                    },
                    # The assertion itself must carry the IdP's signature: a signed
                    # response around an unsigned assertion is not enough.
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "allow_unsolicited": False,  # InResponseTo must be a request we sent
                    "authn_requests_signed": False,
                    "name_id_format_allow_create": True,
                }
            },
            "metadata": {"inline": [conn.config.get("idp_metadata_xml", "")]},
            "accepted_time_diff": CLOCK_SKEW_SECONDS,
            "allow_unknown_attributes": True,
        }
    )
    return Saml2Client(config=conf)


def _saml_connection(s: Session, connection_id: uuid.UUID | str) -> SsoConnection:
    conn = connections.connection_for_login(s, connection_id)
    if conn.protocol != PROTOCOL_SAML:
        raise NotFound("single sign-on connection")
    return conn


def sp_metadata(connection_id: uuid.UUID | str) -> str:
    """Our metadata for the admin to give their IdP (entity id, ACS). Public: it holds
    nothing secret, and the IdP fetches it. Served while the connection is off too, so
    it can be set up before it is switched on."""
    try:
        cid = uuid.UUID(str(connection_id))
    except ValueError:
        raise NotFound("single sign-on connection") from None
    with read_session() as s:
        conn = s.get(SsoConnection, cid)
        if conn is None or conn.protocol != PROTOCOL_SAML:
            raise NotFound("single sign-on connection")
        client = _client(conn)
    return create_metadata_string(None, config=client.config, valid=24 * 7, sign=False).decode()


# -- start ----------------------------------------------------------------------------


def start(
    *, connection_id: str, binding: str, next_path: str = "", test_by: uuid.UUID | None = None
) -> str:
    """The IdP URL to send the browser to. Called by the SSO start route only, which has
    checked the login page's ticket (or, for `test_by`, the admin's session)."""
    bound = email_tokens.binding_hash(binding)
    if not bound:
        raise SsoRefused("Please reload the login page and try again.")
    with transaction() as tx:
        conn = _saml_connection(tx.session, connection_id)
        client = _client(conn)
        relay, relay_hash = new_token()
        request_id, info = client.prepare_for_authenticate(
            entityid=conn.config.get("idp_entity_id"),
            relay_state=relay,
            binding=BINDING_HTTP_REDIRECT,
        )
        tx.session.add(
            SsoLoginState(
                state_hash=relay_hash,
                connection_id=conn.id,
                binding_hash=bound,
                data={"saml_request_id": request_id},
                next_path=next_path[:500],
                test_by=test_by,
                expires_at=utcnow() + REQUEST_TTL,
            )
        )
    return dict(info["headers"])["Location"]


# -- the assertion consumer service ---------------------------------------------------


@dataclass(frozen=True)
class Vouched:
    email: str
    name: str
    groups: tuple[str, ...]
    assertion_id: str
    expires_at: dt.datetime


def _first(ava: dict[str, list[Any]], key: str) -> str:
    values = ava.get(key) or []
    return str(values[0]) if values else ""


def _expiry(response: Any) -> dt.datetime:
    # Kept until the assertion could not be accepted anyway (NotOnOrAfter + the skew).
    conditions = getattr(response.assertion, "conditions", None)
    raw = getattr(conditions, "not_on_or_after", None) or ""
    try:
        when = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        when = utcnow() + dt.timedelta(hours=1)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when + dt.timedelta(seconds=CLOCK_SKEW_SECONDS)


def _why(exc: Exception) -> str:
    """A sentence for the person (and the admin reading the audit log) for pysaml2's
    refusals, which come as a handful of exception types with free-text messages."""
    text = str(exc)
    if isinstance(exc, SignatureError) and "missing" in text.lower():
        return "The identity provider's answer was not signed. Signed assertions are required."
    if isinstance(exc, SignatureError):
        return (
            "The identity provider's signature did not match the certificate in its metadata. "
            "Ask your workspace admin to update the metadata."
        )
    if "AudienceRestrictions" in text or "audience" in text.lower():
        return "The identity provider's answer was meant for another service (wrong audience)."
    if "Condition not OK" in text or "ToEarly" in type(exc).__name__ or "expire" in text.lower():
        return "The identity provider's answer has expired or is not valid yet. Please try again."
    if isinstance(exc, StatusError):
        return "The identity provider did not sign you in."
    return "The identity provider's answer could not be accepted."


WRONG_RECIPIENT = (
    "The identity provider's answer was addressed to another service (wrong recipient)."
)


def _addressed_to_us(conn: SsoConnection, saml_response: str) -> bool:
    """Destination of the Response and Recipient of every subject confirmation must be our
    ACS. pysaml2 checks Destination too, but reports it as an AttributeError."""
    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response, validate=False))
    except (ValueError, ElementTree.ParseError, DefusedXmlException):
        return True  # not ours to judge: pysaml2 refuses it with its own reason
    ours = acs_url(conn.id)
    if root.get("Destination", ours) != ours:
        return False
    recipients = [e.get("Recipient", ours) for e in root.iter(f"{_SAML}SubjectConfirmationData")]
    return all(r == ours for r in recipients)


def _verify(conn: SsoConnection, saml_response: str, request_id: str) -> Vouched:
    if not _addressed_to_us(conn, saml_response):
        raise SsoRefused(WRONG_RECIPIENT)
    client = _client(conn)
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"}
        )
    except Exception as exc:  # pysaml2 raises many types; all are a refusal
        log.info("SAML response refused: %s: %s", type(exc).__name__, exc)
        raise SsoRefused(_why(exc)) from None
    if response is None:
        # pysaml2 answers None when Destination is not our ACS.
        raise SsoRefused(WRONG_RECIPIENT)
    assertion = response.assertion
    if assertion is None or assertion.signature is None:
        raise SsoRefused(
            "The identity provider's answer was not signed. Signed assertions are required."
        )
    ava = response.get_identity() or {}
    cfg = conn.config or {}
    email = _first(ava, cfg.get("email_attribute", "mail")) or _first(ava, "email")
    if not email and "@" in (response.name_id.text if response.name_id else ""):
        email = response.name_id.text
    groups = tuple(str(g) for g in (ava.get(cfg.get("groups_attribute", "groups")) or []))
    return Vouched(
        email=email,
        name=_first(ava, cfg.get("name_attribute", "displayName")),
        groups=groups[:200],
        assertion_id=str(assertion.id),
        expires_at=_expiry(response),
    )


def _refuse(conn: SsoConnection, message: str, ip: str) -> SsoRefused:
    with transaction() as tx:
        audit.record(
            tx.session,
            action=AuditAction.SSO_LOGIN_FAILED,
            actor_user_id=None,
            workspace_id=conn.workspace_id,
            target_type="sso_connection",
            target_id=str(conn.id),
            ip=ip,
            details={"protocol": PROTOCOL_SAML, "reason": message[:200]},
        )
    return SsoRefused(message)


def _first_use(s: Session, conn: SsoConnection, vouched: Vouched) -> bool:
    """Record the assertion id; False if it was seen before (a replay)."""
    now = utcnow()
    s.execute(delete(SamlAssertionSeen).where(col(SamlAssertionSeen.expires_at) < now))
    # ON CONFLICT DO NOTHING: of two concurrent posts of one assertion, exactly one inserts.
    inserted = s.execute(
        dialect_insert(s, table_of(SamlAssertionSeen))
        .values(
            connection_id=conn.id,
            assertion_id=vouched.assertion_id,
            expires_at=vouched.expires_at,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["connection_id", "assertion_id"])
    )
    return bool(cast(CursorResult, inserted).rowcount)


def consume(*, connection_id: str, saml_response: str, relay_state: str, ip: str = "") -> str:
    """Check the IdP's answer and admit the person; the one-time token for the finish
    route, or TESTED for an admin's test sign-in (checked, nobody admitted or logged in).
    SsoRefused (a sentence for the person) for every refusal."""
    if not saml_response or len(saml_response) > 1_000_000:
        raise SsoRefused("The identity provider's answer could not be accepted.")
    with read_session() as s:
        try:
            conn = _saml_connection(s, connection_id)
        except ServiceError:
            raise SsoRefused("This single sign-on connection is not available.") from None
        state = s.exec(
            select(SsoLoginState).where(
                SsoLoginState.state_hash == token_hash(relay_state or ""),
                SsoLoginState.connection_id == conn.id,
            )
        ).first()
    request_id = str((state.data or {}).get("saml_request_id", "")) if state else ""
    if state is None or not request_id or state.expires_at < utcnow():
        raise _refuse(conn, RESTART, ip)
    try:
        vouched = _verify(conn, saml_response, request_id)
    except SsoRefused as exc:
        raise _refuse(conn, exc.message, ip) from None
    with transaction() as tx:
        s = tx.session
        if not _first_use(s, conn, vouched):
            replay = True
        else:
            replay = False
            row = s.get(SsoLoginState, state.id, with_for_update=True, populate_existing=True)
            if row is None or row.used_at is not None:
                raise SsoRefused(RESTART)
            row.used_at = utcnow()
            s.add(row)
    if replay:
        raise _refuse(conn, "This sign-in answer was already used. Please start again.", ip)
    if state.test_by is not None:
        return TESTED
    user_id = admission.admit(conn, vouched.email, vouched.name, vouched.groups, ip=ip)
    finish, finish_hash = new_token()
    with transaction() as tx:
        tx.session.add(
            SsoLoginState(
                state_hash=finish_hash,
                connection_id=conn.id,
                binding_hash=state.binding_hash,
                data={"saml_finish_user": str(user_id)},
                next_path=state.next_path,
                expires_at=utcnow() + FINISH_TTL,
            )
        )
    return finish


@dataclass(frozen=True)
class Finished:
    handoff: str
    next_path: str


def finish(*, token: str, binding: str, ip: str = "") -> Finished:
    """Trade the ACS's one-time token for the login hand-off, in the browser that started
    the sign-in only."""
    bound = email_tokens.binding_hash(binding)
    with transaction() as tx:
        row = tx.session.exec(
            select(SsoLoginState)
            .where(SsoLoginState.state_hash == token_hash(token or ""))
            .with_for_update()
        ).first()
        user = (row.data or {}).get("saml_finish_user") if row is not None else None
        if row is None or not user or row.used_at is not None or row.expires_at < utcnow():
            raise SsoRefused(RESTART)
        if not bound or bound != row.binding_hash:
            raise SsoRefused(
                "This sign-in was started in another browser. Please start again here."
            )
        row.used_at = utcnow()
        tx.session.add(row)
        conn = tx.session.get(SsoConnection, row.connection_id)
        next_path = row.next_path
    if conn is None:
        raise SsoRefused(RESTART)
    handoff = admission.finish_login(
        connection=conn, user_id=uuid.UUID(user), binding=binding, ip=ip
    )
    return Finished(handoff=handoff, next_path=next_path)
