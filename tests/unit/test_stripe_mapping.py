"""How Stripe's objects read as ours: statuses, prices, periods and invoices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qrapp.core.plans import STATUSES, Currency, Interval, PlanId
from qrapp.services.billing import stripe_api, stripe_invoices, stripe_state


@pytest.mark.parametrize(
    ("stripe_status", "ours"),
    [
        ("trialing", "trialing"),
        ("active", "active"),
        ("past_due", "past_due"),
        ("unpaid", "past_due"),
        ("canceled", "canceled"),
        ("incomplete", "incomplete"),
        ("incomplete_expired", "canceled"),
    ],
)
def test_stripe_statuses_map_to_ours(stripe_status, ours):
    assert stripe_state.STATUS[stripe_status] == ours
    assert ours in STATUSES


def test_every_catalog_price_reads_back_as_its_plan_from_metadata_or_id():
    for price in stripe_api.catalog():
        want = stripe_api.PriceInfo(price.plan, price.interval, price.currency)
        assert stripe_api.price_info({"id": price.stripe_id, "metadata": price.metadata}) == want
        assert stripe_api.price_info({"id": price.stripe_id}) == want
    assert stripe_api.price_info({"id": "price_1NaBcD", "metadata": {}}) is None
    assert stripe_api.price_info({"id": "qrapp_gold_month_sek_100"}) is None


def test_the_catalog_sells_every_paid_plan_and_not_free():
    keys = {(p.plan, p.interval, p.currency) for p in stripe_api.catalog()}
    assert len(keys) == 12
    assert all(plan is not PlanId.FREE for plan, _i, _c in keys)
    pro = stripe_api.catalog_price(PlanId.PRO, Interval.YEAR, Currency.EUR)
    assert (pro.lookup_key, pro.stripe_id) == ("qrapp_pro_year_eur", "qrapp_pro_year_eur_14000")


def test_the_period_end_is_read_from_the_item_or_the_subscription():
    new_api = {"items": {"data": [{"current_period_end": 1_800_000_000}]}}
    old_api = {"current_period_end": 1_800_000_000, "items": {"data": [{}]}}
    want = datetime.fromtimestamp(1_800_000_000, UTC)
    assert stripe_state.period_end(new_api) == want
    assert stripe_state.period_end(old_api) == want


@pytest.mark.parametrize(
    ("invoice", "ours"),
    [
        ({"status": "paid"}, "paid"),
        ({"status": "open", "attempted": True, "attempt_count": 1}, "failed"),
        ({"status": "open", "attempted": False, "attempt_count": 0}, "open"),
        ({"status": "draft"}, "open"),
        ({"status": "void"}, "failed"),
        ({"status": "uncollectible"}, "failed"),
    ],
)
def test_invoice_statuses(invoice, ours):
    assert stripe_invoices.status_of(invoice) == ours


def test_an_invoice_names_its_subscription_in_either_api_shape():
    assert stripe_invoices.subscription_id({"subscription": "sub_1"}) == "sub_1"
    parent = {"parent": {"subscription_details": {"subscription": "sub_2"}}}
    assert stripe_invoices.subscription_id(parent) == "sub_2"
    assert stripe_invoices.subscription_id({}) == ""
