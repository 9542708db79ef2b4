"""Settings -> Domains in a real browser: an owner adds a domain (a bad name is explained
first), sees the DNS records to create, the test's DNS server gets them, "Check now"
shows Verified, and a new code chosen onto that domain shows its URL there; axe checks
the page with a domain on it; on the code's page the code moves to a second domain after
a warning, and the edge switches hosts at once. Variations and refusals:
tests/integration/domains."""

from __future__ import annotations

import base64
import io
import re
import uuid

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from qrapp.services.authz import actor_for_token
from qrapp.services.domains import manage
from tests.e2e.flows import signed_up_sessions
from tests.e2e.test_accessibility import _audit_here, _axe_source, _use_colour_mode
from tests.support.environment import patched_env
from tests.support.plans import give_plan
from tests.support.waiting import eventually

pytestmark = pytest.mark.embedded_only  # the same pages and services in both set-ups

PASSWORD = "domain passphrase 2026"


def test_an_owner_adds_and_verifies_a_domain_and_a_code_uses_it(browser, product):
    _tag, cookies = signed_up_sessions(browser, product["url"], ("owner",), PASSWORD)
    give_plan(actor_for_token(cookies["owner"]).workspace_id, "business")
    hostname = f"go-{uuid.uuid4().hex[:6]}.shop.test"
    ctx = browser.new_context(base_url=product["url"], bypass_csp=True, reduced_motion="reduce")
    ctx.add_cookies([{"name": "qrapp_session", "value": cookies["owner"], "url": product["url"]}])
    page = ctx.new_page()
    try:
        page.goto("/settings")
        _use_colour_mode(page, "light")
        page.get_by_role("link", name="Domains").click()
        page.wait_for_url(re.compile(r"/settings/domains"))
        expect(page.get_by_text("No custom domains yet")).to_be_visible()

        # A bad name is explained at the field; nothing is added and the text stays.
        page.get_by_label("Domain", exact=True).fill("not a domain!")
        page.get_by_role("button", name="Add domain").click()
        expect(page.locator("#domain-hostname-error")).to_contain_text("not a valid domain")
        expect(page.locator(".domain-card")).to_have_count(0)
        expect(page.get_by_label("Domain", exact=True)).to_have_value("not a domain!")

        page.get_by_label("Domain", exact=True).fill(hostname.upper())
        page.get_by_role("button", name="Add domain").click()
        card = page.locator(".domain-card")
        expect(card).to_have_count(1)
        expect(card.locator(".domain-status")).to_have_text("Pending")
        records = card.locator(".dns-record")
        expect(records).to_have_count(2)
        expect(records.nth(0)).to_contain_text("CNAME")
        expect(records.nth(0).locator(".record-value")).to_have_text("edge.qrapp.test")
        expect(records.nth(1).locator(".record-name")).to_have_text(f"_qrapp-challenge.{hostname}")
        token = records.nth(1).locator(".record-value").inner_text()
        assert token.startswith("qrapp-")

        # Before the records exist: the reason says what is missing.
        card.get_by_role("button", name=f"Check now: {hostname}").click()
        expect(card.locator(".domain-status")).to_have_text("Failed")
        expect(card.locator(".domain-reason")).to_contain_text("TXT record not found")

        # The owner creates the records at their DNS provider (the test's server).
        dns = product["dns"]
        dns.set(f"_qrapp-challenge.{hostname}", "TXT", token)
        dns.set(hostname, "CNAME", "edge.qrapp.test")
        card.get_by_role("button", name=f"Check now: {hostname}").click()
        expect(card.locator(".domain-status")).to_have_text("Verified")
        expect(page.locator("#domains-notice")).to_contain_text("is verified")
        assert _audit_here(page, _axe_source(), "/settings/domains", "light") == []

        # A new code chooses the domain in the designer and shows its link there.
        page.goto("/codes/new?type=dynamic")
        page.select_option("#code-domain", hostname)
        page.fill("#destination", "https://example.com/menu")
        page.fill("#code-name", "Shop poster")
        expect(page.locator("#save")).to_be_enabled()
        page.click("#save")
        page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
        expect(page.locator("#short-url")).to_contain_text(f"https://{hostname}/")
        short = page.locator("#short-url").inner_text().strip()

        # The edge answers it on that host.
        path = "/" + short.rsplit("/", 1)[1]
        answer = httpx.get(product["edge_url"] + path, headers={"host": hostname})
        assert answer.status_code == 302
        assert answer.headers["location"] == "https://example.com/menu"

        # The code moves to a second verified domain on its page, after a warning that
        # codes printed with the first one stop working.
        second = _second_verified_domain(product, cookies["owner"])
        page.reload()
        page.get_by_label("Short link domain").select_option(second)
        page.get_by_role("button", name="Change domain").click()
        dialog = page.get_by_role("alertdialog")
        expect(dialog.locator("#code-domain-warning")).to_contain_text(
            f"Printed codes and shared links that use {short} will stop working"
        )
        dialog.get_by_role("button", name="Move the link").click()
        moved = f"https://{second}{path}"
        expect(page.locator("#short-url")).to_have_text(moved)
        expect(page.locator("#code-domain-saved")).to_contain_text(moved)
        expect(page.locator("#code-domain-saved")).to_be_focused()
        assert _decoded_preview(page) == moved  # the image and downloads follow

        # At once: the edge answers on the new host, and no longer on the old one.
        def on(host: str) -> int:
            return httpx.get(product["edge_url"] + path, headers={"host": host}).status_code

        eventually(lambda: on(second) == 302, timeout=5)
        eventually(lambda: on(hostname) == 404, timeout=5)
    finally:
        ctx.close()


def _second_verified_domain(product, owner_token: str) -> str:
    """Added and verified through the services (the browser walk-through is above)."""
    hostname = f"qr-{uuid.uuid4().hex[:6]}.shop.test"
    env = {k: product["env"][k] for k in ("DNS_NAMESERVERS", "DOMAINS_EDGE_HOST")}
    with patched_env(env):
        owner = actor_for_token(owner_token)
        added = manage.add_domain(actor=owner, hostname=hostname)
        product["dns"].set(f"_qrapp-challenge.{hostname}", "TXT", added.records[1].value)
        product["dns"].set(hostname, "CNAME", "edge.qrapp.test")
        assert manage.check_now(actor=owner, domain_id=added.id).status == "verified"
    return hostname


def _decoded_preview(page) -> str:
    src = page.locator("#code-preview").get_attribute("src") or ""
    png = base64.b64decode(src.split(",", 1)[1])
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert results, "the preview does not decode"
    return results[0].text
