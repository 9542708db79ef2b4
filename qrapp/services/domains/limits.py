"""How many custom domains a plan allows: Plan.domains (only with Plan.custom_domains),
unless the setting DOMAINS_PER_PLAN ("plan:count,plan:count") says otherwise."""

from __future__ import annotations

from qrapp.core.plans import Plan
from qrapp.settings import get_settings


def allowed(plan: Plan) -> int | None:
    """The most domains a workspace on `plan` may have; None is no limit, 0 none."""
    override = _overrides().get(plan.id.value)
    if override is not None:
        return override
    if not plan.custom_domains:
        return 0
    return plan.domains


def _overrides() -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for item in get_settings().domains_per_plan.split(","):
        name, _, count = item.strip().partition(":")
        if name and count.strip():
            value = count.strip().lower()
            out[name.strip().lower()] = None if value in ("none", "unlimited") else int(value)
    return out
