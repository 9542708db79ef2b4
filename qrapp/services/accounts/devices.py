"""Settings -> Security: the account's sessions (device, browser, place, last seen), signing
one out or all the others, and the new-device login e-mail.

Every function acts on the actor's own account only; the sign-outs are audited as
account rows (the audit viewer shows them to the admins of the member's workspaces).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from qrapp.core import routes
from qrapp.core.countries import COUNTRIES
from qrapp.core.visitor import anonymise_ip, parse_user_agent
from qrapp.db import Transaction, read_session, transaction
from qrapp.models import KnownDevice, User, UserSession
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.accounts import sessions
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor
from qrapp.services.errors import NotFound
from qrapp.services.geo import place_of
from qrapp.services.mail import app_link, queue_mail


@dataclass(frozen=True)
class SessionView:
    id: uuid.UUID
    device: str  # "Desktop", "Mobile", ...
    browser: str  # "Firefox 120" -> family only: "Firefox"
    os: str
    place: str  # "Stockholm, SE" or "" when unknown
    ip: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool


def describe(user_agent: str) -> tuple[str, str, str]:
    """(device, browser, OS) of a user agent, each a short word for a person."""
    facts = parse_user_agent(user_agent or "")
    device = {"mobile": "Phone", "tablet": "Tablet", "desktop": "Computer", "bot": "Robot"}
    return (
        device.get(facts.device_type, "Unknown device"),
        facts.browser or "Unknown browser",
        facts.os or "Unknown system",
    )


def place_label(ip: str) -> str:
    place = place_of(ip) if ip else None
    if place is None or not place.country:
        return ""
    country = COUNTRIES.get(place.country, ("", place.country))[1]
    return ", ".join(p for p in (place.city, country) if p)


def _view(row: UserSession, current_id: uuid.UUID) -> SessionView:
    device, browser, os_name = describe(row.user_agent)
    return SessionView(
        id=row.id,
        device=device,
        browser=browser,
        os=os_name,
        place=place_label(row.ip),
        ip=row.ip,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        current=row.id == current_id,
    )


def _require_person(actor: Actor) -> None:
    if actor.api_key_id is not None:  # an API key has no sessions to manage
        raise NotFound("session")


def list_sessions(*, actor: Actor) -> list[SessionView]:
    """This account's live sessions, this browser's first."""
    _require_person(actor)
    with read_session() as s:
        rows = sessions.list_for_user(s, actor.user_id)
    views = [_view(r, actor.session_id) for r in rows]
    return sorted(views, key=lambda v: not v.current)


def _audit_row(tx: Transaction, actor: Actor, action: AuditAction, ip: str, **details) -> None:
    audit.record(
        tx.session,
        action=action,
        actor_user_id=actor.user_id,
        target_type="session",
        target_id=str(details.pop("session_id", "")),
        ip=ip,
        details=details,
    )


def sign_out(*, actor: Actor, session_id: uuid.UUID, ip: str = "") -> None:
    """End one of the actor's sessions: its next event or page load goes to the login."""
    _require_person(actor)
    with transaction() as tx:
        row = sessions.revoke(tx.session, actor.user_id, session_id)
        if row is None:
            raise NotFound("session")
        _device, browser, os_name = describe(row.user_agent)
        _audit_row(
            tx,
            actor,
            AuditAction.SESSION_REVOKED,
            ip,
            session_id=row.id,
            device=f"{browser} on {os_name}",
            session_ip=row.ip,
            own=row.id == actor.session_id,
        )


def sign_out_others(*, actor: Actor, ip: str = "") -> int:
    """End every session of the actor's account but this one; how many ended."""
    _require_person(actor)
    with transaction() as tx:
        ended = sessions.revoke_others(tx.session, actor.user_id, actor.session_id)
        _audit_row(tx, actor, AuditAction.SESSIONS_REVOKED_OTHERS, ip, ended=ended)
    return ended


# --- new-device login mail ------------------------------------------------------------


def device_key(ip: str, user_agent: str) -> tuple[str, str]:
    """(key, label) of a login's device: browser family + OS family + network (IPv4 /24,
    IPv6 /48). A browser update or a new address in the same network is the same device;
    another browser, system or network is a new one."""
    _device, browser, os_name = describe(user_agent)
    network = anonymise_ip(ip) or "-"
    key = hashlib.sha256(f"{browser}|{os_name}|{network}".encode()).hexdigest()
    return key, f"{browser} on {os_name}"[:120]


def note_login(tx: Transaction, user: User, *, ip: str, user_agent: str) -> bool:
    """Remember the device of a login; e-mail the account when it is a new one (not for
    the account's very first device). True when the mail was queued."""
    s: Session = tx.session
    key, label = device_key(ip, user_agent)
    known = s.exec(select(KnownDevice).where(KnownDevice.user_id == user.id)).all()
    now = utcnow()
    mine = next((d for d in known if d.device_key == key), None)
    if mine is not None:
        mine.last_seen_at = now
        s.add(mine)
        return False
    s.add(
        KnownDevice(
            user_id=user.id, device_key=key, label=label, first_seen_at=now, last_seen_at=now
        )
    )
    if not known:
        return False
    place = place_label(ip)
    where = f"{place} ({ip})" if place else (ip or "an unknown address")
    audit.record(
        s,
        action=AuditAction.USER_NEW_DEVICE,
        actor_user_id=user.id,
        ip=ip,
        details={"device": label, "place": place},
    )
    queue_mail(
        tx,
        to=user.email,
        subject="New sign-in to your qrapp account",
        text=(
            f"Hello {user.name or user.email},\n\n"
            "Your qrapp account was just signed in to from a device we have not seen "
            f"before:\n\n  {label}\n  from {where}\n"
            f"  at {now.strftime('%Y-%m-%d %H:%M')} UTC\n\n"
            "If this was you, there is nothing to do.\n\n"
            "If it was not, change your password now and sign out the sessions you do "
            f"not know in Settings -> Security: {app_link(routes.SETTINGS_SECURITY)}\n"
            f"(Forgot your password? {app_link(routes.FORGOT_PASSWORD)})\n"
        ),
    )
    return True
