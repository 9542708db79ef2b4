"""Single sign-on in a real browser: an admin sets up an OpenID Connect connection to the
local provider (tests/support/oidc_provider.py) and proves an e-mail domain with a TXT
record in the test DNS server, then logs out; a new person signs in with SSO through the
provider's login form and lands in the workspace with the default role. axe checks the
settings page. The refusals are integration tests (tests/integration/sso/)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import Membership, User, Workspace
from qrapp.services.authz import actor_for_token
from qrapp.services.workspaces import workspaces
from tests.e2e.flows import log_out, signed_up_sessions
from tests.e2e.test_accessibility import _audit_here, _axe_source, _use_colour_mode
from tests.support.oidc_provider import OidcProvider, running_provider
from tests.support.plans import give_plan

pytestmark = pytest.mark.embedded_only

PASSWORD = "sso passphrase 2026"
IDP_PASSWORD = "at-the-idp-2026"


@pytest.fixture(scope="module")
def idp() -> Iterator[OidcProvider]:
    with running_provider() as provider:
        yield provider


def test_an_admin_sets_up_oidc_and_a_new_person_signs_in_with_sso(
    browser, product, idp, dns_for_product
):
    tag, cookies = signed_up_sessions(browser, product["url"], ("owner",), PASSWORD)
    with transaction() as tx:
        team = Workspace(name=f"Acme {tag}")
        tx.session.add(team)
        tx.session.flush()
        owner_id = actor_for_token(cookies["owner"]).user_id
        tx.session.add(Membership(workspace_id=team.id, user_id=owner_id, role="owner"))
        team_id = team.id
    workspaces.switch(actor=actor_for_token(cookies["owner"]), workspace_id=team_id)
    give_plan(team_id, "business")
    client_id, secret = f"qrapp-{tag}", uuid.uuid4().hex
    idp.add_client(client_id, secret, product["url"] + routes.SSO_OIDC_CALLBACK)
    domain = f"sso-{tag}.example"
    newcomer = f"new.person@{domain}"
    idp.add_user(newcomer, IDP_PASSWORD, "New Person")

    ctx = browser.new_context(base_url=product["url"], bypass_csp=True, reduced_motion="reduce")
    ctx.add_cookies([{"name": "qrapp_session", "value": cookies["owner"], "url": product["url"]}])
    page = ctx.new_page()
    page.goto("/settings")
    _use_colour_mode(page, "light")
    page.get_by_role("link", name="Single sign-on").click()
    page.wait_for_url(re.compile(r"/settings/sso"))
    expect(page.get_by_text("No single sign-on yet")).to_be_visible()

    # The connection: a bad issuer is explained at its field, then the right one is kept.
    page.get_by_label("Name").fill("Acme login")
    page.get_by_label("Issuer URL").fill("http://login.acme.example")
    page.get_by_label("Client ID").fill(client_id)
    page.get_by_label("Client secret").fill(secret)
    page.get_by_label("Default role of new members").select_option("editor")
    page.get_by_role("button", name="Add connection").click()
    expect(page.locator("#sso-issuer-error")).to_contain_text("https://")
    expect(page.locator(".sso-connection")).to_have_count(0)
    page.get_by_label("Issuer URL").fill(idp.issuer)
    page.get_by_label("Client secret").fill(secret)
    page.get_by_role("button", name="Add connection").click()
    card = page.locator(".sso-connection")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Acme login")
    expect(card).to_contain_text("New members join as Editor")
    expect(page.locator("body")).not_to_contain_text(secret)

    # The domain: its TXT record goes into the DNS server, then "Check now" verifies it.
    page.get_by_label("Add a domain").fill(domain)
    page.get_by_role("button", name="Add domain").click()
    row = page.locator(".sso-domain")
    expect(row).to_contain_text(f"_qrapp-challenge.{domain}")
    row.get_by_role("button", name=f"Check {domain} now").click()
    expect(row.locator(".sso-domain-status")).to_contain_text("TXT record not found")
    dns_for_product.set(
        f"_qrapp-challenge.{domain}", "TXT", row.locator(".sso-txt-value").inner_text()
    )
    row.get_by_role("button", name=f"Check {domain} now").click()
    expect(row.locator(".sso-domain-status")).to_contain_text("Verified")
    expect(page.locator("#sso-notice")).to_contain_text(f"{domain} is verified")

    problems = _audit_here(page, _axe_source(), "/settings/sso", "light")
    assert problems == [], "\n".join(problems)
    log_out(page)

    # A new person: "Sign in with SSO", the work e-mail, the provider's own login form.
    page.get_by_role("button", name="Sign in with SSO").click()
    page.get_by_label("Work e-mail").fill(newcomer)
    page.get_by_role("button", name="Continue with SSO").click()
    page.wait_for_url(re.compile(re.escape(idp.issuer) + r"/authorize"))
    page.get_by_label("E-mail").fill(newcomer)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.locator("#greeting")).to_contain_text("New Person")
    expect(page.get_by_text(f"Acme {tag}").first).to_be_visible()
    with read_session() as s:
        user = s.exec(select(User).where(User.email == newcomer)).one()
        member = s.exec(select(Membership).where(Membership.user_id == user.id)).one()
    assert member.workspace_id == team_id
    assert member.role == Role.EDITOR.value
    ctx.close()
