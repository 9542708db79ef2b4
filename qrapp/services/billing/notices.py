"""Billing mails about paused codes, each sent once (BillingNotice: workspace, kind, key).

- `send_due_warnings` (beat, with `subscriptions.expire_due`): 7 days and 1 day before a
  workspace's codes would pause (the end of grace after a failed payment or a
  cancellation), and before a Swish or manual period ends (nothing renews those by
  itself), the owners are told which codes would pause. The key is the date the mail is
  about, so a moved date (a new period, a new grace) gets its own mails.
- `codes_changed`: called in the transaction that paused or resumed codes (where the
  workspace row is locked, so check-then-insert of the notice cannot race): one mail when
  codes paused, one when they came back, at most one of each a day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from qrapp.core import routes
from qrapp.core.hosts import short_url
from qrapp.core.permissions import Role
from qrapp.core.plans import LIVE_STATUSES, PLANS, PlanId
from qrapp.db import Transaction, transaction
from qrapp.models import Membership, QRCode, User, Workspace
from qrapp.models.billing import BillingNotice, Subscription
from qrapp.models.types import utcnow
from qrapp.services.billing import suspension
from qrapp.services.mail import app_link, queue_mail
from qrapp.settings import get_settings

WARN_TASK = "qrapp.billing.send_warnings"
WARN_DAYS = (7, 1)
PAUSE_WARNING = "pause_warning_{days}d"
PERIOD_END_WARNING = "period_end_warning_{days}d"
CODES_PAUSED = "codes_paused"
CODES_RESUMED = "codes_resumed"
# Providers whose paid period is never renewed by an event of their own (a Swish
# payment is for one period; a manual plan is an invoiced deal with an end date).
ONE_OFF_PROVIDERS = frozenset({"swish", "manual"})
LISTED = 20  # codes named in one mail; the rest are counted


def _owners(session: Session, workspace_id: uuid.UUID) -> list[str]:
    return list(
        session.exec(
            select(User.email)
            .join(Membership, col(Membership.user_id) == col(User.id))
            .where(
                Membership.workspace_id == workspace_id,
                Membership.role == Role.OWNER.value,
            )
            .order_by(col(User.email))
        ).all()
    )


def _already_sent(session: Session, workspace_id: uuid.UUID, kind: str, key: str) -> bool:
    return (
        session.exec(
            select(BillingNotice.id).where(
                BillingNotice.workspace_id == workspace_id,
                BillingNotice.kind == kind,
                BillingNotice.key == key,
            )
        ).first()
        is not None
    )


def day_label(when: dt.datetime | None, timezone: str) -> str:
    """'7 December 2026' in the workspace's time zone."""
    if when is None:
        return ""
    with contextlib.suppress(KeyError, ValueError):  # an unknown zone: UTC's day
        when = when.astimezone(ZoneInfo(timezone or "UTC"))
    return f"{when.day} {when:%B %Y}"


def _day(when: dt.datetime, ws: Workspace) -> str:
    """'7 December 2026', in the workspace's time zone (the owner's calendar)."""
    return day_label(when, ws.timezone)


def _code_lines(codes: list[QRCode]) -> str:
    edge_url = get_settings().edge_url
    lines = [
        f"- {c.name} ({short_url(edge_url, c.domain, c.short_code or '')})" for c in codes[:LISTED]
    ]
    if len(codes) > LISTED:
        lines.append(f"- and {len(codes) - LISTED} more")
    return "\n".join(lines)


def _codes(n: int) -> str:
    return f"{n} code" if n == 1 else f"{n} codes"


def _send(tx: Transaction, ws: Workspace, kind: str, key: str, subject: str, text: str) -> bool:
    """Queue the mail to every owner and record it, unless it was sent already."""
    s = tx.session
    if _already_sent(s, ws.id, kind, key):
        return False
    s.add(BillingNotice(workspace_id=ws.id, kind=kind, key=key))
    for to in _owners(s, ws.id):
        queue_mail(tx, to=to, subject=subject, text=text)
    return True


def _warning(sub: Subscription, now: dt.datetime) -> tuple[str, dt.datetime, int] | None:
    """(kind template, the date it is about, days) of the warning due now, if any."""
    in_grace = sub.status not in LIVE_STATUSES or (
        sub.current_period_end is not None and sub.current_period_end < now
    )
    if in_grace:
        kind, when = PAUSE_WARNING, sub.grace_until
    elif sub.provider in ONE_OFF_PROVIDERS:
        kind, when = PERIOD_END_WARNING, sub.current_period_end
    else:
        return None  # a live card subscription renews by itself
    if when is None or when <= now:
        return None
    left = when - now
    # The nearest threshold only: a job that first runs 12 hours before sends the
    # one-day mail, not a late seven-day one as well.
    for days in sorted(WARN_DAYS):
        if left <= dt.timedelta(days=days):
            return kind, when, days
    return None


def _warning_text(
    ws: Workspace, kind: str, when: dt.datetime, grace_until: dt.datetime | None, codes: list
) -> tuple[str, str]:
    free = PLANS[PlanId.FREE].dynamic_codes or 0
    billing = app_link(routes.BILLING)
    n = len(codes)
    if kind == PERIOD_END_WARNING:
        subject = f"{ws.name}: your paid period ends on {_day(when, ws)}"
        head = f"Your paid period for {ws.name} ends on {_day(when, ws)}."
        if n:
            pause_day = _day(grace_until, ws) if grace_until else _day(when, ws)
            head += (
                f" Pay again to keep your {_codes(n)} beyond the Free plan scanning: "
                f"otherwise they pause on {pause_day}."
            )
    else:
        subject = (
            f"{ws.name}: {_codes(n)} will pause on {_day(when, ws)}"
            if n
            else (f"{ws.name}: your paid plan ends on {_day(when, ws)}")
        )
        head = (
            f"The payment for {ws.name} did not go through, or the plan was cancelled. "
            f"Your codes keep scanning until {_day(when, ws)}."
        )
        if n:
            head += (
                f" Then the {_codes(n)} beyond the Free plan's {free} dynamic codes pause: "
                "scans of them show your 'temporarily unavailable' page (they are still "
                "counted). Pay again to keep them scanning."
            )
    body = head + "\n\n"
    if n:
        body += "These would pause (newest first; your oldest codes stay active):\n"
        body += _code_lines(codes) + "\n\n"
    body += f"Pay or change your plan: {billing}\n"
    return subject, body


def send_due_warnings(now: dt.datetime | None = None) -> int:
    """Beat job: the 7-day and 1-day warnings that are due and not yet sent. Returns how
    many were sent (one per workspace and occasion, to all its owners)."""
    now = now or utcnow()
    with transaction() as tx:
        subs = tx.session.exec(
            select(Subscription).where(
                Subscription.status != "expired",
                Subscription.status != "incomplete",
                Subscription.plan != PlanId.FREE.value,
            )
        ).all()
        due = [(s.workspace_id, w) for s in subs if (w := _warning(s, now)) is not None]
        grace = {s.workspace_id: s.grace_until for s in subs}
    sent = 0
    for workspace_id, (kind_template, when, days) in due:
        kind = kind_template.format(days=days)
        try:
            with transaction() as tx:
                ws = tx.session.get(Workspace, workspace_id)
                if ws is None:
                    continue
                codes = suspension.would_pause(tx.session, workspace_id)
                subject, text = _warning_text(
                    ws, kind_template, when, grace.get(workspace_id), codes
                )
                sent += _send(tx, ws, kind, when.date().isoformat(), subject, text)
        except IntegrityError:
            continue  # another run recorded the same notice first: it sends the mail
    return sent


def codes_changed(
    tx: Transaction, workspace_id: uuid.UUID, result: suspension.SyncResult, now: dt.datetime
) -> None:
    """The mail for codes that were just paused or brought back (in the caller's
    transaction, after the workspace row was locked)."""
    if not result.paused and not result.resumed:
        return
    ws = tx.session.get(Workspace, workspace_id)
    if ws is None:
        return
    billing = app_link(routes.BILLING)
    key = now.date().isoformat()
    if result.paused:
        codes = suspension.would_pause(tx.session, workspace_id)
        n = len(result.paused)
        text = (
            f"The paid plan of {ws.name} has ended, so {_codes(n)} beyond the Free plan's "
            f"{PLANS[PlanId.FREE].dynamic_codes} dynamic codes are paused. Scans of them show "
            "your 'temporarily unavailable' page (or the code's fallback URL) and are still "
            "counted; your oldest codes keep redirecting.\n\n"
            f"Paused (newest first):\n{_code_lines(codes)}\n\n"
            f"Pay again to bring them all back at once: {billing}\n"
        )
        _send(tx, ws, CODES_PAUSED, key, f"{ws.name}: {_codes(n)} paused", text)
    if result.resumed:
        n = len(result.resumed)
        text = (
            f"Thank you: the plan of {ws.name} is active again, and the {_codes(n)} that were "
            "paused redirect again, with nothing lost.\n\n"
            f"Your plan: {billing}\n"
        )
        _send(tx, ws, CODES_RESUMED, key, f"{ws.name}: your codes are back", text)
