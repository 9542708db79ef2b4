"""The owner's card subscription actions (services.billing.stripe_billing) against
localstripe, and `qrapp billing sync-stripe`, on both databases."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sqlmodel import col, select

from qrapp.cli import main
from qrapp.core.permissions import Role
from qrapp.core.plans import Standing
from qrapp.db import read_session
from qrapp.models import AuditLog
from qrapp.services.billing import stripe_api, stripe_billing, subscriptions
from qrapp.services.errors import PermissionDenied, ServiceError
from tests.integration.billing.stripe_helpers import (
    app_page,
    ensure_catalog,
    people,
    subscribe,
    subscription,
    workspace,
)
from tests.support import stripe_fake


def _sync() -> str:
    result = CliRunner().invoke(main, ["billing", "sync-stripe"])
    assert result.exit_code == 0, result.output
    return result.output


def test_sync_stripe_makes_the_catalog_and_a_second_run_creates_nothing(clean_db):
    client = stripe_fake.client()
    prices = stripe_api.catalog()
    assert len(prices) == 12  # 3 paid plans x month/year x SEK/EUR
    _sync()
    # A price missing in Stripe is made again, and only that one.
    client.v1.plans.delete("qrapp_pro_month_sek_14900")
    second = _sync()
    assert "created price qrapp_pro_month_sek_14900" in second
    assert "1 created, 0 reactivated, 0 archived, 14 unchanged" in second
    third = _sync()
    assert "0 created, 0 reactivated, 0 archived, 15 unchanged" in third
    for price in prices:
        found = stripe_api.as_dict(client.v1.plans.retrieve(price.stripe_id))
        assert (found["amount"], found["currency"], found["interval"]) == (
            price.amount,
            price.currency.value.lower(),
            price.interval.value,
        )
        assert found["product"] == f"qrapp_{price.plan.value}"
        assert found["metadata"]["lookup_key"] == price.lookup_key
        assert found["active"] is True


def test_a_new_amount_is_a_new_price_and_the_old_one_is_archived(clean_db, monkeypatch):
    _sync()
    real = stripe_api.catalog()
    # An amount of this run only: localstripe lives for the whole run (both databases).
    amount = 15_000 + time.time_ns() // 1000 % 9_000
    new_id = f"qrapp_pro_month_sek_{amount}"
    changed = [
        stripe_api.CatalogPrice(p.plan, p.interval, p.currency, amount)
        if p.stripe_id == "qrapp_pro_month_sek_14900"
        else p
        for p in real
    ]
    monkeypatch.setattr(stripe_api, "catalog", lambda: changed)
    out = _sync()
    assert f"created price {new_id}" in out
    assert "archived price qrapp_pro_month_sek_14900" in out
    monkeypatch.setattr(stripe_api, "catalog", lambda: real)
    back = _sync()  # the old amount sold again: its price comes back, the other goes
    assert "reactivated price qrapp_pro_month_sek_14900" in back
    assert f"archived price {new_id}" in back


def _billing_actions(who):
    return [
        lambda: stripe_billing.checkout_url(
            actor=who,
            plan="pro",
            interval="month",
            currency="SEK",
            success_url=app_page("/billing"),
            cancel_url=app_page("/billing"),
        ),
        lambda: stripe_billing.portal_url(actor=who, return_url=app_page("/billing")),
        lambda: stripe_billing.change_plan(actor=who, plan="business", interval="month"),
        lambda: stripe_billing.cancel_at_period_end(actor=who),
        lambda: stripe_billing.resume(actor=who),
    ]


def test_only_owners_manage_billing(clean_db):
    ensure_catalog()
    _ws, actors = people("Roles", (Role.OWNER, Role.ADMIN, Role.EDITOR, Role.VIEWER))
    owner_sub = subscribe(actors["owner"])
    assert owner_sub.startswith("sub_")
    message = PermissionDenied().message
    for role in ("admin", "editor", "viewer"):
        for attempt in _billing_actions(actors[role]):
            with pytest.raises(PermissionDenied) as err:
                attempt()
            assert err.value.message == message
    remote = stripe_fake.client().v1.subscriptions.retrieve(owner_sub)
    assert remote.cancel_at_period_end is False
    assert remote["items"].data[0].plan.id == "qrapp_pro_month_sek_14900"


def test_checkout_asks_stripe_for_a_trial_vat_ids_and_our_workspace(clean_db):
    ensure_catalog()
    ws, actors = people("Checkout")
    owner = actors["owner"]
    bad = {
        "plan": ("gold", "Please choose a valid plan."),
        "interval": ("week", "Please choose a valid billing interval."),
        "currency": ("USD", "Please choose a valid currency."),
    }
    good = {"plan": "business", "interval": "year", "currency": "EUR"}
    for field, (value, message) in bad.items():
        with pytest.raises(ServiceError) as err:
            stripe_billing.checkout_url(
                actor=owner,
                **{**good, field: value},
                success_url=app_page("/billing"),
                cancel_url=app_page("/billing"),
            )
        assert err.value.message == message
    with pytest.raises(ServiceError) as err:
        stripe_billing.checkout_url(
            actor=owner,
            **{**good, "plan": "free"},
            success_url=app_page("/b"),
            cancel_url=app_page("/b"),
        )
    assert "cannot be bought" in err.value.message
    with pytest.raises(ServiceError) as err:
        stripe_billing.checkout_url(
            actor=owner,
            **good,
            success_url="https://evil.example/billing",
            cancel_url=app_page("/b"),
        )
    assert err.value.message == "The return page after paying must be a page of this app."

    url = stripe_billing.checkout_url(
        actor=owner,
        **good,
        success_url=app_page("/billing?paid=1"),
        cancel_url=app_page("/billing"),
    )
    session = stripe_fake.checkout_session(urlsplit(url).path.rsplit("/", 1)[1])
    assert url == session["url"]
    assert session["mode"] == "subscription"
    assert session["line_items_requested"] == [
        {"price": "qrapp_business_year_eur_42000", "quantity": "1"}
    ]
    assert session["client_reference_id"] == str(ws.id)
    assert session["customer_email"] == owner.email
    assert session["tax_id_collection"] == {"enabled": True}
    assert session["billing_address_collection"] == "required"
    assert session["subscription_data"]["trial_period_days"] == 14
    assert session["subscription_data"]["metadata"] == {"workspace_id": str(ws.id)}
    assert subscription(ws) is None  # nothing changes until Stripe says it is paid


def test_subscribe_change_cancel_resume_and_the_portal(clean_db):
    ws, actors = people("Lifecycle")
    owner = actors["owner"]
    with pytest.raises(ServiceError) as err:
        stripe_billing.portal_url(actor=owner, return_url=app_page("/billing"))
    assert err.value.message == "This workspace has no card subscription yet."
    with pytest.raises(ServiceError):
        stripe_billing.cancel_at_period_end(actor=owner)

    sub_id = subscribe(owner, "pro", "month", "SEK")
    row = subscription(ws)
    assert (row.provider, row.plan, row.status) == ("stripe", "pro", "trialing")
    assert row.provider_subscription_id == sub_id
    assert row.trial_end is not None
    assert workspace(ws).plan == "pro"
    assert subscriptions.standing_of(row) is Standing.TRIALING

    with pytest.raises(ServiceError) as err:
        stripe_billing.checkout_url(
            actor=owner,
            plan="business",
            interval="month",
            currency="SEK",
            success_url=app_page("/billing"),
            cancel_url=app_page("/billing"),
        )
    assert err.value.message == "This workspace already pays by card. Change its plan instead."

    portal = stripe_billing.portal_url(actor=owner, return_url=app_page("/billing"))
    assert portal.startswith(stripe_fake.api_base())

    with pytest.raises(ServiceError) as err:
        stripe_billing.change_plan(actor=owner, plan="pro", interval="month")
    assert err.value.message == "The workspace is already on that plan."
    stripe_billing.change_plan(actor=owner, plan="business", interval="month")
    assert (subscription(ws).plan, workspace(ws).plan) == ("business", "business")
    client = stripe_fake.client()
    remote = client.v1.subscriptions.retrieve(sub_id)
    assert remote["items"].data[0].plan.id == "qrapp_business_month_sek_44900"

    stripe_billing.cancel_at_period_end(actor=owner)
    assert subscription(ws).cancel_at_period_end is True
    assert client.v1.subscriptions.retrieve(sub_id).cancel_at_period_end is True
    assert workspace(ws).plan == "business"  # the paid period goes on
    stripe_billing.resume(actor=owner)
    assert subscription(ws).cancel_at_period_end is False
    assert client.v1.subscriptions.retrieve(sub_id).cancel_at_period_end is False
    with read_session() as s:
        logged = s.exec(
            select(AuditLog.action, AuditLog.details)
            .where(AuditLog.workspace_id == ws.id)
            .order_by(col(AuditLog.created_at))
        ).all()
    assert [tuple(x) for x in logged] == [
        ("billing.stripe_plan_changed", {"from": "pro", "to": "business", "interval": "month"}),
        ("billing.stripe_cancel_scheduled", {}),
        ("billing.stripe_resumed", {}),
    ]


def test_a_second_subscription_has_no_trial_and_keeps_the_customer(clean_db):
    ws, actors = people("Again")
    owner = actors["owner"]
    first = subscribe(owner)
    customer = subscription(ws).provider_customer_id
    stripe_fake.client().v1.subscriptions.cancel(first)
    from tests.integration.billing.stripe_helpers import deliver

    remote = stripe_api.as_dict(stripe_fake.client().v1.subscriptions.retrieve(first))
    deliver(stripe_fake.event("customer.subscription.deleted", remote))
    assert subscription(ws).status == "canceled"
    url = stripe_billing.checkout_url(
        actor=owner,
        plan="pro",
        interval="year",
        currency="SEK",
        success_url=app_page("/billing"),
        cancel_url=app_page("/billing"),
    )
    session = stripe_fake.checkout_session(urlsplit(url).path.rsplit("/", 1)[1])
    assert session["customer"] == customer
    assert session["customer_update"] == {"name": "auto", "address": "auto"}
    assert "trial_period_days" not in session["subscription_data"]


def test_the_hosted_checkout_page_pays_and_its_signed_event_reaches_our_webhook(clean_db):
    """The whole way a browser goes: Stripe's page (the stand-in), Pay, back to the app,
    while the signed checkout.session.completed reaches our webhook over HTTP."""
    import threading

    import httpx
    import uvicorn

    from qrapp.api.app import build
    from qrapp.core import routes
    from tests.support.processes import free_port
    from tests.support.waiting import eventually

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(build(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    hook = f"stripe-lane-{port}"
    try:
        eventually(lambda: server.started, 10)
        stripe_fake.register_webhook(
            hook, f"http://127.0.0.1:{port}{routes.STRIPE_WEBHOOK}", ["checkout.session.completed"]
        )
        ensure_catalog()
        ws, actors = people("Pay page")
        url = stripe_billing.checkout_url(
            actor=actors["owner"],
            plan="pro",
            interval="month",
            currency="EUR",
            success_url=app_page("/billing?paid=1"),
            cancel_url=app_page("/billing"),
        )
        page = httpx.get(url)
        assert "Pay and subscribe" in page.text
        assert "qrapp_pro_month_eur_1400" in page.text
        answer = httpx.post(f"{url}/pay", data={"payment_method": "pm_card_visa"})
        assert answer.status_code == 303
        assert answer.headers["location"] == app_page("/billing?paid=1")
        row = eventually(lambda: subscription(ws), 30)
        assert (row.plan, row.currency, row.status) == ("pro", "EUR", "trialing")
        assert workspace(ws).plan == "pro"
    finally:
        stripe_fake.register_webhook(hook, "http://127.0.0.1:9/", [])  # switched off
        server.should_exit = True
        thread.join(10)
