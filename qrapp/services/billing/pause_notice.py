"""What the app tells people about codes paused by billing, and about grace before it:
the dashboard's banner and the code page's callout (qrapp.components.billing_notice).

Owners and admins (BILLING_VIEW) read the whole story with dates and a way to pay;
editors and viewers, who cannot pay, a shorter notice to pass on to an owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qrapp.core.permissions import Permission
from qrapp.core.plans import Standing
from qrapp.db import read_session
from qrapp.models import Workspace
from qrapp.models.billing import Subscription
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor, require
from qrapp.services.billing import subscriptions, suspension
from qrapp.services.billing.notices import day_label


@dataclass(frozen=True)
class PauseNotice:
    """`text` empty: nothing to say. `can_pay`: the reader may act on /billing."""

    text: str = ""
    tone: str = ""  # "grace" (amber) or "paused" (red)
    can_pay: bool = False
    paused: int = 0
    plan_ended_on: str = ""  # "7 December 2026", for the code page's callout


def _ended_on(sub: Subscription | None) -> dt.datetime | None:
    return sub.current_period_end if sub is not None else None


def _grace_text(sub: Subscription, until: str, can_pay: bool) -> str:
    if not can_pay:
        return (
            "There is a problem with this workspace's payment. Codes keep scanning until "
            f"{until}; an owner can renew the plan."
        )
    if sub.status == "past_due":
        return f"Payment failed: your codes keep scanning until {until}. Pay to keep them all."
    if sub.status == "canceled":
        return (
            f"Your paid plan was cancelled: your codes keep scanning until {until}. "
            "Renew to keep them all."
        )
    return f"Your paid period has ended: your codes keep scanning until {until}. Pay again."


def workspace_notice(*, actor: Actor, now: dt.datetime | None = None) -> PauseNotice:
    """The banner for the actor's workspace: grace, paused codes, or nothing."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    can_pay = actor.can(Permission.BILLING_VIEW)
    now = now or utcnow()
    with read_session() as s:
        ws = s.get(Workspace, workspace_id)
        sub = subscriptions.current(s, workspace_id)
        paused = len(suspension.paused_codes(s, workspace_id))
    tz = ws.timezone if ws else "UTC"
    ended = day_label(_ended_on(sub), tz)
    if paused:
        n = f"{paused} code is" if paused == 1 else f"{paused} codes are"
        if can_pay:
            text = (
                f"{n} paused because the paid plan ended"
                + (f" on {ended}" if ended else "")
                + ": scans show your 'temporarily unavailable' page and are still counted. "
                "Pay again to bring them back at once."
            )
        else:
            text = f"{n} paused because the workspace's plan ended. An owner can renew it."
        return PauseNotice(text, "paused", can_pay, paused, ended)
    if sub is not None and subscriptions.standing_of(sub, now) is Standing.GRACE:
        until = day_label(sub.grace_until, tz)
        return PauseNotice(_grace_text(sub, until, can_pay), "grace", can_pay, 0, ended)
    return PauseNotice()
