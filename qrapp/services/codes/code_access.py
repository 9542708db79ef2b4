"""What the edge needs from the database: a code's redirect snapshot, and the few checks
that must be exact across every edge process (scan limits, one scan per visitor,
password attempts). Everything else on the scan path is pure or cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from qrapp.db import read_session, table_of, transaction
from qrapp.models import CodeVisitorGrant, QRCode, RedirectRule, Workspace
from qrapp.services import throttle
from qrapp.services.accounts.passwords import verify_password
from qrapp.services.errors import Throttled
from qrapp.services.workspaces.brand_look import look_for
from qrapp.settings import get_settings

PASSWORD_WINDOW = dt.timedelta(minutes=15)


class RuleSnapshot(TypedDict):
    id: str
    label: str
    conditions: list[dict[str, Any]]
    destination: str
    variants: list[dict[str, Any]]


class LinkSnapshot(TypedDict):
    """What the edge caches of a dynamic code (in-process and in Redis, as JSON): made
    here, read by qrapp.edge.links.link_from_snapshot. Times are Unix seconds."""

    id: str
    workspace_id: str
    short_code: str
    domain: str
    name: str
    destination: str
    status: str
    starts_at: float | None
    ends_at: float | None
    schedule: dict[str, Any] | None
    max_scans: int | None
    one_scan_per_visitor: bool
    password_hash: str
    fallback_url: str
    utm: dict[str, str]
    design: dict[str, Any]
    updated_at: float
    rules: list[RuleSnapshot]
    # The landing page the code answers with (its id; "" for a URL destination). The edge
    # serves the page's published version itself, cached by id (qrapp.edge.landing).
    page_id: str
    # Set while the workspace's paid plan has expired and this code is beyond the Free
    # allowance (qrapp.services.billing.suspension); `brand` (the workspace's name) is
    # only filled then, for the "temporarily unavailable" page that carries it.
    billing_paused: bool
    brand: str
    # The workspace's brand on the code's password and message pages (qrapp.core.brand)
    look: dict[str, Any]


def load_link(domain: str, short_code: str) -> LinkSnapshot | None:
    """The snapshot the edge caches for a dynamic code, or None."""
    with read_session() as s:
        code = s.exec(
            select(QRCode).where(QRCode.domain == domain, QRCode.short_code == short_code)
        ).first()
        if code is None and domain == "":
            # A code on a custom domain keeps working on our default domain (its short URL
            # falls back there while the domain is not verified); short codes are kept
            # unique across domains when codes are made (services.codes.creation).
            code = s.exec(
                select(QRCode)
                .where(QRCode.short_code == short_code, QRCode.domain != "")
                .order_by(col(QRCode.created_at))
            ).first()
        if code is None or not code.is_dynamic:
            return None
        rules = s.exec(
            select(RedirectRule)
            .where(RedirectRule.qrcode_id == code.id)
            .order_by(col(RedirectRule.position), col(RedirectRule.id))
        ).all()
        billing_paused = code.billing_paused_at is not None
        # One more read only for a paused code: the cache fill of every other code is as
        # before.
        ws = s.get(Workspace, code.workspace_id) if billing_paused else None
        snapshot: LinkSnapshot = {
            "id": str(code.id),
            "workspace_id": str(code.workspace_id),
            "short_code": code.short_code or "",  # matched by the query: never None
            "domain": code.domain,
            "name": code.name,
            "destination": code.destination,
            "status": code.status,
            "starts_at": code.starts_at.timestamp() if code.starts_at else None,
            "ends_at": code.ends_at.timestamp() if code.ends_at else None,
            "schedule": code.schedule,
            "max_scans": code.max_scans,
            "one_scan_per_visitor": code.one_scan_per_visitor,
            "password_hash": code.password_hash or "",
            "fallback_url": code.fallback_url,
            "utm": code.utm or {},
            "design": code.design or {},
            "updated_at": code.updated_at.timestamp(),
            "page_id": str(code.landing_page_id) if code.landing_page_id else "",
            "billing_paused": billing_paused,
            "brand": ws.name if ws is not None else "",
            "look": look_for(s, code.workspace_id),
            "rules": [
                {
                    "id": str(r.id),
                    "label": r.label,
                    "conditions": r.conditions or [],
                    "destination": r.destination,
                    "variants": r.variants or [],
                }
                for r in rules
            ],
        }
        return snapshot


def take_scan_slot(code_id: uuid.UUID) -> bool:
    """One of the code's max_scans redirects, or False when they are all used. A single
    conditional UPDATE: the database serialises concurrent edges on the row, so exactly
    max_scans scans ever get through."""
    t = table_of(QRCode)
    with transaction() as tx:
        # The session's connection (same transaction) answers with the rowcount.
        result = tx.session.connection().execute(
            t.update()
            .where(
                t.c.id == code_id,
                sa.or_(t.c.max_scans.is_(None), t.c.scans_granted < t.c.max_scans),
            )
            .values(scans_granted=t.c.scans_granted + 1)
        )
        return result.rowcount == 1


def once_key(code_id: uuid.UUID, ip: str, user_agent: str) -> str:
    """A stable per-code visitor key for one-scan-per-visitor (not the daily hash, which
    would let the visitor in again tomorrow). Keyed per code so keys cannot be linked
    across codes."""
    key = hmac.new(
        get_settings().secret_key.encode(), b"once:" + code_id.bytes, hashlib.sha256
    ).digest()
    return hmac.new(key, f"{ip}\n{user_agent}".encode(), hashlib.sha256).hexdigest()[:40]


def grant_visitor_once(code_id: uuid.UUID, visitor_key: str) -> bool:
    """True the first time this visitor scans the code, False after."""
    try:
        with transaction() as tx:
            tx.session.add(CodeVisitorGrant(qrcode_id=code_id, visitor_key=visitor_key))
        return True
    except IntegrityError:
        return False


def _throttle_key(code_id: uuid.UUID, ip: str) -> str:
    return f"qrpw:{code_id}:{ip}"


def check_code_password(code_id: uuid.UUID, ip: str, password: str) -> bool | int:
    """True if right; False if wrong; an int (seconds to wait) when throttled. The
    attempt is counted before the hash is compared (and given back when right), so
    concurrent guesses cannot pass the limit and a locked guesser learns nothing."""
    key = throttle.Key(
        _throttle_key(code_id, ip), get_settings().code_password_max_failures, PASSWORD_WINDOW
    )
    try:
        with transaction() as tx:
            throttle.reserve(tx.session, [key])
    except Throttled as exc:
        return exc.retry_after_seconds
    with read_session() as s:
        code = s.get(QRCode, code_id)
        password_hash = code.password_hash if code else None
    if password_hash and verify_password(password_hash, password[:1024]):
        with transaction() as tx:
            throttle.release(tx.session, [key])
        return True
    return False
