"""Give a test's workspace a paid plan, for tests about something else that make more
codes, pages, members or media than the Free plan allows (the limits are tested in
tests/integration/billing/test_limits*.py)."""

from __future__ import annotations

import datetime as dt
import uuid

from qrapp.db import transaction
from qrapp.models.types import utcnow


def give_plan(workspace_id: uuid.UUID, plan_id: str = "business", *, days: int = 365) -> None:
    """A manual subscription, active for `days` (the operator CLI's way)."""
    from qrapp.services.billing import subscriptions

    with transaction() as tx:
        subscriptions.apply_subscription(
            tx,
            workspace_id,
            provider="manual",
            plan_id=plan_id,
            interval="year",
            currency="SEK",
            status="active",
            current_period_end=utcnow() + dt.timedelta(days=days),
        )
