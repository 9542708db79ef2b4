"""Klarna Payments with a customer token against the simulator (tests/support/klarna_sim.py):
start -> the widget's authorization -> complete (token kept, first period charged), the
beat's renewals, a declined renewal -> grace, retries that cannot charge twice. Both
databases.

Over 400 lines: one provider's whole life cycle on one simulator fixture.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.core.plans import GRACE, Standing
from qrapp.core.routes import BILLING, KLARNA_RETURN
from qrapp.db import read_session
from qrapp.models import Workspace
from qrapp.models.billing_providers import KlarnaSession, KlarnaToken
from qrapp.models.types import utcnow
from qrapp.services.billing import klarna as klarna_billing
from qrapp.services.billing import klarna_renewals, payments, subscriptions
from qrapp.services.billing.klarna_api import KlarnaDeclined, KlarnaError
from qrapp.services.billing.periods import add_interval
from qrapp.services.errors import PermissionDenied, ServiceError
from qrapp.services.workspaces import workspaces
from qrapp.settings import get_settings
from tests.integration.billing.conftest import Owner, invoices, subscription
from tests.integration.helpers import actor, add_member, sign_up_and_session
from tests.support.environment import patched_env
from tests.support.processes import free_port

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _subscribe(owner, sim, *, now, plan="pro", interval="month", currency="SEK"):
    started = klarna_billing.start(
        actor=owner.actor, plan=plan, interval=interval, currency=currency
    )
    assert started.client_token
    authorization = sim.authorize(started.session_id)  # what Klarna's widget hands the page
    return klarna_billing.complete(actor=owner.actor, authorization_token=authorization, now=now)


def _plan_of(workspace_id) -> str:
    with read_session() as s:
        return s.get(Workspace, workspace_id).plan


def _token_id(workspace_id) -> str:
    with read_session() as s:
        return s.get(KlarnaToken, workspace_id).token_id


def test_start_and_complete_make_the_workspace_active_with_a_receipt(owner, klarna):
    now = utcnow()
    invoice = _subscribe(owner, klarna, now=now)
    session = next(iter(klarna.sessions.values()))
    assert (session["intent"], session["purchase_country"], session["order_amount"]) == (
        "tokenize",
        "SE",
        14900,
    )
    token_id = _token_id(owner.workspace_id)
    [order] = klarna.accepted_orders(token_id)
    assert (order["order_amount"], order["purchase_currency"]) == (14900, "SEK")

    assert (invoice.status, invoice.provider_id, invoice.amount) == (
        "paid",
        order["order_id"],
        14900,
    )
    assert (invoice.period_start, invoice.period_end) == (now, add_interval(now, "month"))
    sub = subscription(owner.workspace_id)
    assert (sub.provider, sub.plan, sub.status, sub.currency) == ("klarna", "pro", "active", "SEK")
    assert sub.current_period_end == add_interval(now, "month")
    assert subscriptions.standing_of(sub, now) is Standing.ACTIVE
    assert _plan_of(owner.workspace_id) == "pro"
    with read_session() as s:
        assert s.exec(select(KlarnaSession)).one().completed_at == now

    # The authorization is spent, and the session is done: completing again changes nothing.
    with pytest.raises(ServiceError, match="expired"):
        klarna_billing.complete(actor=owner.actor, authorization_token="x", now=now)
    assert len(invoices(owner.workspace_id)) == 1


def test_euro_prices_go_to_the_eur_country(owner, klarna):
    invoice = _subscribe(
        owner, klarna, now=utcnow(), plan="business", interval="year", currency="EUR"
    )
    assert (invoice.amount, invoice.currency) == (42000, "EUR")
    assert klarna.tokens[_token_id(owner.workspace_id)]["purchase_country"] == "DE"
    assert subscription(owner.workspace_id).interval == "year"


def test_renewal_moves_the_period_once(owner, klarna):
    t0 = utcnow()
    _subscribe(owner, klarna, now=t0)
    end = add_interval(t0, "month")
    assert klarna_renewals.charge_due(now=end - 2 * DAY) == 0  # not due yet
    assert klarna_renewals.charge_due(now=end - 12 * HOUR) == 1
    sub = subscription(owner.workspace_id)
    assert (sub.status, sub.current_period_end) == ("active", add_interval(end, "month"))
    assert klarna_renewals.charge_due(now=end - 11 * HOUR) == 0  # the next one is a month off
    paid = [i for i in invoices(owner.workspace_id) if i.status == "paid"]
    assert [(i.period_start, i.period_end) for i in paid] == [
        (t0, end),
        (end, add_interval(end, "month")),
    ]
    assert len(klarna.accepted_orders(_token_id(owner.workspace_id))) == 2


def test_a_declined_renewal_means_grace_and_a_daily_retry(owner, klarna):
    t0 = utcnow()
    _subscribe(owner, klarna, now=t0)
    end = add_interval(t0, "month")
    klarna.decline(_token_id(owner.workspace_id))

    tried = end - 12 * HOUR
    assert klarna_renewals.charge_due(now=tried) == 0
    sub = subscription(owner.workspace_id)
    assert (sub.status, sub.current_period_end) == ("past_due", end)
    assert sub.grace_until == tried + GRACE
    assert subscriptions.standing_of(sub, tried) is Standing.GRACE
    assert _plan_of(owner.workspace_id) == "pro"  # grace keeps the plan; codes scan
    failed = [i for i in invoices(owner.workspace_id) if i.status == "failed"]
    assert [(i.period_start, i.amount) for i in failed] == [(end, 14900)]

    # Within a day it is not tried again; a day later it is, and now it goes through.
    assert klarna_renewals.charge_due(now=tried + 2 * HOUR) == 0
    assert len([i for i in invoices(owner.workspace_id) if i.status == "failed"]) == 1
    klarna.tokens[_token_id(owner.workspace_id)]["declining"] = False
    assert klarna_renewals.charge_due(now=tried + DAY + HOUR) == 1
    sub = subscription(owner.workspace_id)
    assert (sub.status, sub.current_period_end, sub.grace_until) == (
        "active",
        add_interval(end, "month"),
        add_interval(end, "month") + GRACE,
    )


def test_declined_until_grace_ends_expires(owner, klarna):
    t0 = utcnow()
    _subscribe(owner, klarna, now=t0)
    end = add_interval(t0, "month")
    klarna.decline(_token_id(owner.workspace_id))
    assert klarna_renewals.charge_due(now=end - 12 * HOUR) == 0
    grace_end = subscription(owner.workspace_id).grace_until
    assert subscriptions.expire_due(grace_end + HOUR) == 1
    assert subscription(owner.workspace_id).status == "expired"
    assert _plan_of(owner.workspace_id) == "free"
    assert klarna_renewals.charge_due(now=grace_end + 2 * HOUR) == 0  # expired: no more tries


def test_an_interrupted_charge_is_resumed_and_never_taken_twice(owner, klarna):
    t0 = utcnow()
    _subscribe(owner, klarna, now=t0)
    end = add_interval(t0, "month")
    token_id = _token_id(owner.workspace_id)
    # Klarna cannot be reached at all: the charge stays open, nothing is known yet.
    with patched_env({"KLARNA_API_BASE": f"http://127.0.0.1:{free_port()}"}):
        assert klarna_renewals.charge_due(now=end - 12 * HOUR) == 0
    [open_charge] = [i for i in invoices(owner.workspace_id) if i.status == "open"]
    assert subscription(owner.workspace_id).status == "active"
    # Klarna takes the order but its answer is lost: still open.
    klarna.lose_next_answer = True
    assert klarna_renewals.charge_due(now=end - 11 * HOUR) == 0
    assert len(klarna.accepted_orders(token_id)) == 2
    # The next run asks again with the same idempotency key: the same order, not a new one.
    assert klarna_renewals.charge_due(now=end - 10 * HOUR) == 1
    assert klarna_renewals.charge_due(now=end - 9 * HOUR) == 0
    orders = klarna.accepted_orders(token_id)
    assert len(orders) == 2  # the first period and this renewal, once
    assert orders[-1]["merchant_reference1"] == open_charge.number
    [renewal] = [i for i in invoices(owner.workspace_id) if i.period_start == end]
    assert (renewal.status, renewal.provider_id) == ("paid", orders[-1]["order_id"])
    assert subscription(owner.workspace_id).current_period_end == add_interval(end, "month")


def test_a_first_payment_whose_answer_is_lost_is_confirmed_later_not_paid_twice(owner, klarna):
    t0 = utcnow()
    started = klarna_billing.start(actor=owner.actor, plan="pro", interval="month")
    klarna.lose_next_answer = True
    with pytest.raises(KlarnaError, match="do not pay again"):
        klarna_billing.complete(
            actor=owner.actor, authorization_token=klarna.authorize(started.session_id), now=t0
        )
    assert subscription(owner.workspace_id) is None
    # Paying again now could charge twice: refused until the outcome is known.
    with pytest.raises(ServiceError, match="still being confirmed"):
        klarna_billing.start(actor=owner.actor, plan="pro", interval="month")
    assert klarna_renewals.charge_due(now=t0 + 2 * dt.timedelta(minutes=1)) == 0  # too soon
    assert klarna_renewals.charge_due(now=t0 + 10 * dt.timedelta(minutes=1)) == 1
    assert len(klarna.accepted_orders(_token_id(owner.workspace_id))) == 1
    sub = subscription(owner.workspace_id)
    assert (sub.status, sub.current_period_end) == ("active", add_interval(t0, "month"))
    [invoice] = invoices(owner.workspace_id)
    assert invoice.status == "paid"


def test_klarna_refusals(owner, klarna):
    editor_token = sign_up_and_session("ed@example.com")
    add_member(owner.workspace_id, actor(editor_token).user_id, Role.EDITOR)
    workspaces.switch(actor=actor(editor_token), workspace_id=owner.workspace_id)
    with pytest.raises(PermissionDenied):
        klarna_billing.start(actor=actor(editor_token), plan="pro", interval="month")
    assert klarna.sessions == {}
    started = klarna_billing.start(actor=owner.actor, plan="pro", interval="month")
    # An authorization token Klarna never gave: refused, nothing stored or charged.
    with pytest.raises(KlarnaDeclined):
        klarna_billing.complete(actor=owner.actor, authorization_token="0000-not-real")
    assert subscription(owner.workspace_id) is None
    assert invoices(owner.workspace_id) == []
    # A session older than Klarna's authorization lifetime cannot be completed.
    authorization = klarna.authorize(started.session_id)
    with pytest.raises(ServiceError, match="expired"):
        klarna_billing.complete(
            actor=owner.actor, authorization_token=authorization, now=utcnow() + 2 * HOUR
        )
    # Wrong credentials: Klarna refuses, the owner is told to try later.
    with patched_env({"KLARNA_PASSWORD": "wrong"}), pytest.raises(KlarnaError, match="reached"):
        klarna_billing.start(actor=owner.actor, plan="pro", interval="month")


def test_cancel_stops_renewals_and_the_token(owner, klarna):
    t0 = utcnow()
    _subscribe(owner, klarna, now=t0)
    end = add_interval(t0, "month")
    token_id = _token_id(owner.workspace_id)
    klarna_renewals.cancel(actor=owner.actor)
    assert klarna.tokens[token_id]["status"] == "CANCELLED"
    sub = subscription(owner.workspace_id)
    assert (sub.status, sub.cancel_at_period_end, sub.current_period_end) == ("active", True, end)
    assert klarna_renewals.charge_due(now=end - 12 * HOUR) == 0
    assert len(klarna.accepted_orders(token_id)) == 1
    assert subscriptions.expire_due(end + GRACE + HOUR) == 1
    assert _plan_of(owner.workspace_id) == "free"


def _browser(owner, web) -> httpx.Client:
    """A browser signed in to qrapp as `owner`: requests to our app go to the in-process
    app (with the owner's session cookie, as a top-level navigation from Klarna's site
    carries a SameSite=Lax cookie); everything else (the simulator) over the network."""
    ours = urlsplit(get_settings().public_api_url)

    def sign_in(request: httpx.Request) -> None:
        if (request.url.scheme, request.url.netloc.decode()) == (ours.scheme, ours.netloc):
            request.headers["cookie"] = f"qrapp_session={owner.token}"

    return httpx.Client(
        mounts={f"{ours.scheme}://{ours.netloc}": web._transport},
        event_hooks={"request": [sign_in]},
        timeout=20,
    )


def _hosted_page(owner, plan="pro") -> str:
    url = payments.klarna_start_url(
        actor=owner.actor, plan_id=plan, interval="month", currency="SEK"
    )
    assert urlsplit(url).path.startswith("/hpp/")
    return url


def _outcome(response: httpx.Response) -> str:
    assert response.url.path == BILLING, response.url
    return response.url.params.get("klarna", "")


def test_paying_on_klarnas_hosted_page_comes_back_paid(owner, klarna, web):
    url = _hosted_page(owner)
    [hpp] = klarna.hpp.values()
    kp_id = hpp["kp_session_id"]
    assert klarna.sessions[kp_id]["intent"] == "tokenize"
    success = hpp["urls"]["success"]
    assert success.startswith(get_settings().public_api_url + KLARNA_RETURN)
    with _browser(owner, web) as browser:
        page = browser.get(url)
        assert page.status_code == 200
        assert "Authorize" in page.text
        assert subscription(owner.workspace_id) is None  # nothing happens before Authorize
        back = browser.post(f"{url}/authorize", follow_redirects=True)
        # Klarna's page -> our return route -> /billing?klarna=paid
        hops = [r.url.path for r in back.history]
        assert hops == [f"/hpp/{urlsplit(url).path.rsplit('/', 1)[1]}/authorize", KLARNA_RETURN]
        assert _outcome(back) == "paid"
        returned = back.history[-1].url
        assert returned.params["session"] == kp_id
        assert returned.params["sid"] == urlsplit(url).path.rsplit("/", 1)[1]

        sub = subscription(owner.workspace_id)
        assert (sub.provider, sub.plan, sub.status) == ("klarna", "pro", "active")
        [invoice] = invoices(owner.workspace_id)
        assert (invoice.status, invoice.amount) == ("paid", 14900)
        assert len(klarna.accepted_orders(_token_id(owner.workspace_id))) == 1

        # The owner reloads the return page: the same answer, nothing charged again.
        again = browser.get(str(returned), follow_redirects=True)
        assert _outcome(again) == "paid"
        assert len(invoices(owner.workspace_id)) == 1
        assert len(klarna.accepted_orders(_token_id(owner.workspace_id))) == 1


def test_cancel_on_klarnas_page_changes_nothing(owner, klarna, web):
    url = _hosted_page(owner)
    with _browser(owner, web) as browser:
        back = browser.post(f"{url}/cancel", follow_redirects=True)
        assert _outcome(back) == "cancelled"
    assert subscription(owner.workspace_id) is None
    assert invoices(owner.workspace_id) == []
    assert klarna.tokens == {}


def test_a_forged_return_changes_nothing(owner, klarna, web):
    other = Owner(sign_up_and_session("other@example.com", "Otto Other"))
    mine_url = _hosted_page(owner)
    theirs_url = _hosted_page(other)
    mine, theirs = klarna.hpp.values()  # in the order they were made
    assert mine_url.endswith(next(iter(klarna.hpp)))
    assert not theirs_url.endswith(next(iter(klarna.hpp)))
    real_token = klarna.authorize(theirs["kp_session_id"])

    def ret(browser, **params) -> str:
        query = urlencode(params)
        return _outcome(browser.get(f"{KLARNA_RETURN}?{query}", follow_redirects=True))

    base = get_settings().public_api_url
    with _browser(owner, web) as browser:
        browser.base_url = base
        # An unknown session, even with a token Klarna really gave.
        assert ret(browser, session="no-such-session", authorization_token=real_token) == "failed"
        # Another workspace's session, with its real token: not the owner's to complete.
        assert (
            ret(browser, session=theirs["kp_session_id"], authorization_token=real_token)
            == "failed"
        )
        # The owner's own session with a token Klarna never gave.
        assert ret(browser, session=mine["kp_session_id"], authorization_token="forged") in (
            "declined",
            "failed",
        )
        assert ret(browser, session=mine["kp_session_id"]) == "failed"  # no token at all
    for who in (owner, other):
        assert subscription(who.workspace_id) is None
        assert invoices(who.workspace_id) == []
    assert klarna.tokens == {}
    # The real token was never spent by the forgeries: its own owner can still complete.
    with _browser(other, web) as browser:
        browser.base_url = base
        assert (
            ret(browser, session=theirs["kp_session_id"], authorization_token=real_token) == "paid"
        )
        # Replayed later (a second tab, a bookmark): answered from what is stored.
        assert (
            ret(browser, session=theirs["kp_session_id"], authorization_token=real_token) == "paid"
        )
    assert len(invoices(other.workspace_id)) == 1
    assert len(klarna.tokens) == 1
    # The owner replays the other workspace's completed return: still nothing.
    with _browser(owner, web) as browser:
        browser.base_url = base
        assert (
            ret(browser, session=theirs["kp_session_id"], authorization_token=real_token)
            == "failed"
        )
    assert subscription(owner.workspace_id) is None
    # Signed out: to the login page, nothing done.
    signed_out = web.get(f"{KLARNA_RETURN}?session={mine['kp_session_id']}", follow_redirects=False)
    assert signed_out.headers["location"].endswith("/login")


def test_the_simulated_hosted_page_is_strict(owner, klarna):
    started = klarna_billing.start(actor=owner.actor, plan="pro", interval="month")
    good = {
        "payment_session_url": f"{klarna.url}/payments/v1/sessions/{started.session_id}",
        "merchant_urls": {
            "success": "https://x.example/r?sid={{session_id}}&t={{authorization_token}}",
            "cancel": "https://x.example/c",
        },
        "options": {"place_order_mode": "NONE"},
    }
    auth = (klarna.username, klarna.password)

    def post(body, credentials=auth) -> int:
        return httpx.post(f"{klarna.url}/hpp/v1/sessions", json=body, auth=credentials).status_code

    assert post(good, ("PK_other", "x")) == 401
    assert post(good | {"payment_session_url": f"{klarna.url}/payments/v1/sessions/nope"}) == 404
    assert post(good | {"merchant_urls": {"cancel": "https://x.example/c"}}) == 400
    no_token = {"success": "https://x.example/r?sid={{session_id}}", "cancel": "https://x/c"}
    assert post(good | {"merchant_urls": no_token}) == 400
    assert post(good | {"options": {"place_order_mode": "PLACE_ORDER"}}) == 400
    assert klarna.hpp == {}
    assert post(good) == 201


def test_a_second_session_cannot_pay_again_once_one_has(owner, klarna):
    first = klarna_billing.start(actor=owner.actor, plan="pro", interval="month")
    second = klarna_billing.start(actor=owner.actor, plan="pro", interval="month")  # other tab
    klarna_billing.complete(
        actor=owner.actor, authorization_token=klarna.authorize(second.session_id)
    )
    with pytest.raises(ServiceError, match="already pays for Pro"):
        klarna_billing.complete(
            actor=owner.actor, authorization_token=klarna.authorize(first.session_id)
        )
    assert len(invoices(owner.workspace_id)) == 1
    assert len(klarna.tokens) == 1
