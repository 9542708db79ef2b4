"""`qrapp billing sync-stripe`: Stripe's products and prices made to match core/plans.

Idempotent: what exists with the right id is left alone, so a second run creates nothing.
A price whose amount changed in core/plans gets a new Stripe price (amounts never change
in Stripe); the old one is archived (active=false), so no new Checkout can use it while
the subscriptions already on it go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import stripe

from qrapp.core.plans import PLANS, PlanId
from qrapp.services.billing import stripe_api


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return (
            [f"created {x}" for x in self.created]
            + [f"reactivated {x}" for x in self.reactivated]
            + [f"archived {x}" for x in self.archived]
            + [f"unchanged {x}" for x in self.unchanged]
        )

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.reactivated)} reactivated, "
            f"{len(self.archived)} archived, {len(self.unchanged)} unchanged"
        )


def _find(retrieve, object_id: str) -> dict | None:
    try:
        return stripe_api.as_dict(retrieve(object_id))
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404:
            return None
        raise


def _all_plans(client: stripe.StripeClient) -> list[dict]:
    plans: list[dict] = []
    params: Any = {"limit": 100}
    while True:
        page = stripe_api.as_dict(client.v1.plans.list(params=params))
        plans.extend(page["data"])
        if not page.get("has_more") or not page["data"]:
            return plans
        params["starting_after"] = page["data"][-1]["id"]


def sync() -> SyncReport:
    client = stripe_api.client()
    report = SyncReport()
    prices = stripe_api.catalog()
    for plan_id in sorted({p.plan for p in prices}, key=list(PlanId).index):
        pid = stripe_api.product_id(plan_id)
        if _find(client.v1.products.retrieve, pid) is not None:
            report.unchanged.append(f"product {pid}")
        else:
            client.v1.products.create(
                params={
                    "id": pid,
                    "name": f"qrapp {PLANS[plan_id].name}",
                    "metadata": {"qrapp_plan": plan_id.value},
                }
            )
            report.created.append(f"product {pid}")
    wanted = {p.stripe_id for p in prices}
    for price in prices:
        found = _find(client.v1.plans.retrieve, price.stripe_id)
        if found is not None and found.get("active", True):
            report.unchanged.append(f"price {price.stripe_id}")
            continue
        if found is not None:  # archived by an earlier run, sold again now
            client.v1.plans.update(price.stripe_id, params={"active": True})
            report.reactivated.append(f"price {price.stripe_id}")
            continue
        client.v1.plans.create(
            params={
                "id": price.stripe_id,
                "product": stripe_api.product_id(price.plan),
                "amount": price.amount,
                "currency": price.currency.value.lower(),
                "interval": price.interval.value,
                "nickname": price.lookup_key,
                "metadata": price.metadata,
            }
        )
        report.created.append(f"price {price.stripe_id}")
    # Older prices of ours (same lookup key, another amount) are archived.
    for existing in _all_plans(client):
        key = (existing.get("metadata") or {}).get("lookup_key")
        if key and existing["id"] not in wanted and existing.get("active"):
            client.v1.plans.update(existing["id"], params={"active": False})
            report.archived.append(f"price {existing['id']}")
    return report
