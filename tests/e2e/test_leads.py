"""Lead forms in real browsers: the owner adds a Lead form block in the builder and
publishes; a visitor with JavaScript off sends the public form (a missing required field
shows its message on the page, then a correct form shows the thank-you); the owner finds
the lead in the page's leads table and downloads the CSV through the real button."""

from __future__ import annotations

import csv
import io
import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.flows import sign_up
from tests.support.mailsink import body_of, mark, wait_for_new
from tests.support.waiting import eventually

PASSWORD = "lead form passphrase 1"
CONSENT = "You may e-mail me about my request."
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


def _build_and_publish(page: Page, email: str) -> str:
    """Sign up, make a page, add a Lead form from the palette with a consent text, publish;
    returns the public URL."""
    sign_up(page, email, PASSWORD, "Lena")
    page.goto("/landing-pages")
    page.click("#new-page")
    page.fill("#new-page-name", "Lena's studio")
    page.locator(".start-choice", has_text="Blank page").first.click()
    page.click("#create-page")
    page.wait_for_url(re.compile(r"/landing-pages/[0-9a-f-]{36}$"))

    page.click("#palette-lead_form")
    expect(page.locator(".block-row[data-block-type=lead_form]")).to_have_count(1)
    page.fill("#prop-consent_text", CONSENT)
    frame = page.frame_locator("#preview-frame")
    expect(frame.get_by_text(CONSENT)).to_be_visible()
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.click("#publish")
    expect(page.locator("#page-status")).to_have_text("published")
    public = page.locator("#public-url")
    expect(public).to_have_attribute("href", re.compile(r"/p/[a-z0-9-]+$"))
    return public.get_attribute("href") or ""


def test_lead_form_sent_without_javascript_then_seen_and_exported(page: Page, browser, product):
    owner_email = f"lena-{uuid.uuid4().hex[:8]}@example.com"
    public_url = _build_and_publish(page, owner_email)

    ctx = browser.new_context(java_script_enabled=False, user_agent=IPHONE)
    ctx.set_default_timeout(20_000)
    try:
        visitor = ctx.new_page()
        response = visitor.goto(public_url)
        assert response is not None
        assert response.status == 200
        assert visitor.locator("script").count() == 0
        # The honeypot is there for bots, not for people (off screen) or screen readers.
        trap = visitor.locator("input[name=website]")
        box = trap.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= 0
        expect(visitor.get_by_role("textbox", name="Leave this empty")).to_have_count(0)

        visitor.get_by_label("Name", exact=True).fill("Ada Lovelace")
        visitor.get_by_label("Message (optional)").fill("Do you run evening classes?")
        visitor.get_by_label(CONSENT).check()
        since = mark()
        visitor.get_by_role("button", name="Send").click()
        # No e-mail: the edge shows the form again with the message and what was typed.
        expect(visitor.get_by_role("alert")).to_contain_text("Fill in “E-mail”.")
        expect(visitor.get_by_label("Name", exact=True)).to_have_value("Ada Lovelace")
        expect(visitor.get_by_label("E-mail", exact=True)).to_have_attribute("aria-invalid", "true")
        visitor.get_by_label("E-mail", exact=True).fill("ada@example.com")
        visitor.get_by_role("button", name="Send").click()
        expect(visitor.get_by_text("Thank you! We will be in touch.")).to_be_visible()
        assert visitor.locator("script").count() == 0
    finally:
        ctx.close()

    # The owner: from the builder to the page's leads; the ingest brings the lead in.
    page.click("#page-leads")
    page.wait_for_url(re.compile(r"/landing-pages/[0-9a-f-]{36}/leads$"))
    rows = page.locator(".lead-row")
    expect(page.get_by_text("What visitors sent")).to_be_visible()

    def lead_shown() -> bool:
        # The ingest runs on its own: look again, as a person would, until the lead is in.
        if rows.count() > 0:
            return True
        page.reload()
        expect(page.get_by_text("What visitors sent")).to_be_visible()
        return rows.count() > 0

    eventually(lead_shown, 30, interval=0.5, message="the lead never showed in the table")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ada@example.com")
    expect(rows.first).to_contain_text("Do you run evening classes?")

    with page.expect_download() as info:
        page.click("#leads-csv")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["Sent at (UTC)", "Name", "E-mail", "Message", "Consent"]
    assert table[1][1:] == [
        "Ada Lovelace",
        "ada@example.com",
        "Do you run evening classes?",
        CONSENT,
    ]

    mail = wait_for_new(owner_email, "New lead from", since)
    assert "ada@example.com" in body_of(mail)
