"""A password-protected code opened in chromium with JavaScript off, as a phone visitor:
the right password lands on the destination on another site (the password page's CSP
`form-action 'self'` must not block the way there); a wrong one shows a message."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from qrapp.services.accounts import accounts
from qrapp.services.codes import qrcodes
from tests.integration.helpers import PASSWORD, actor, log_in
from tests.support.other_site import other_site

CODE_PASSWORD = "open sesame 2026"


@pytest.fixture
def landing_site() -> Iterator[str]:
    # Another origin than the edge (127.0.0.1:<edge port>): another host name and port.
    with other_site("Landing", host="localhost") as url:
        yield url


@pytest.fixture
def visitor(browser: Browser, product):
    context = browser.new_context(java_script_enabled=False, base_url=product["edge_url"])
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _protected_code(destination: str):
    # The operator's path: this test is about the visitor, not the owner's sign-up mail.
    email = f"pw-{uuid.uuid4().hex[:8]}@example.com"
    accounts.create_user_cli(email=email, password=PASSWORD, name="Owner")
    owner = actor(log_in(email))
    code = qrcodes.create(
        actor=owner, data=qrcodes.CodeInput(name="Members' offer", destination=destination)
    )
    qrcodes.set_password(actor=owner, code_id=code.id, password=CODE_PASSWORD)
    return code


def test_right_password_lands_on_the_destination_on_another_site(visitor, landing_site):
    code = _protected_code(f"{landing_site}/offer?ref=poster")
    visitor.goto(f"/{code.short_code}")
    expect(visitor.get_by_role("heading", name="Members' offer")).to_be_visible()

    visitor.get_by_label("Password").fill(CODE_PASSWORD)
    visitor.get_by_role("button", name="Continue").click()

    visitor.wait_for_url(f"{landing_site}/offer?ref=poster")
    expect(visitor.locator("#landed")).to_have_text("/offer?ref=poster")
    # The grant lasts: the next scan in this browser goes straight through.
    visitor.goto(f"/{code.short_code}")
    visitor.wait_for_url(f"{landing_site}/offer?ref=poster")


def test_wrong_password_shows_a_message_and_stays(visitor, landing_site, product):
    code = _protected_code(f"{landing_site}/offer")
    visitor.goto(f"/{code.short_code}")
    visitor.get_by_label("Password").fill("not the password")
    visitor.get_by_role("button", name="Continue").click()

    expect(visitor.get_by_role("alert")).to_have_text("Wrong password.")
    assert visitor.url == f"{product['edge_url']}/{code.short_code}"
    # Still the form, ready for another try.
    expect(visitor.get_by_label("Password")).to_be_visible()
