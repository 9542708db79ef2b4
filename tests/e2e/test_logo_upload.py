"""Hostile SVG logos uploaded through the designer, as anyone who signs up could: each gets
a reason under the upload field, and the web process lives on to take the next upload.
(Before, the issue's logo with a 1 x 100,000 viewBox aborted the web process on a 100 GB
allocation.)"""

from __future__ import annotations

import re
import uuid

from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.flows import sign_up

NS = 'xmlns="http://www.w3.org/2000/svg"'
TALL = f'<svg {NS} viewBox="0 0 1 100000"><rect width="1" height="100000"/></svg>'
NORMAL = f'<svg {NS} width="40" height="40"><circle cx="20" cy="20" r="18" fill="#c00"/></svg>'


def _upload(page: Page, path) -> None:
    page.set_input_files("#logo-upload input[type=file]", str(path))


def _reason(page: Page, text: str):
    return page.get_by_role("alert").filter(has_text=text).first


def test_hostile_svg_logos_are_refused_with_a_reason_and_the_app_keeps_working(
    page: Page, product, tmp_path
):
    sign_up(page, f"svg-{uuid.uuid4().hex[:8]}@example.com", "svg logo passphrase 1", "Sam")
    page.goto("/codes")
    page.click("#new-code")
    page.click("#type-dynamic")
    page.fill("#destination", "https://example.com/logo")
    page.fill("#code-name", "Logo probe")
    page.get_by_role("tab", name="Logo").click()

    tall = tmp_path / "tall.svg"
    tall.write_text(TALL)
    _upload(page, tall)
    expect(_reason(page, "100,000 times taller than wide")).to_be_visible()

    # A picture on the server's disk, referenced by absolute path: refused, never drawn.
    secret = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), (13, 201, 77)).save(secret)
    reference = tmp_path / "reference.svg"
    reference.write_text(
        f'<svg {NS} width="40" height="40"><image href="{secret}" width="40" height="40"/></svg>'
    )
    _upload(page, reference)
    expect(_reason(page, "cannot use other files or web addresses")).to_be_visible()
    expect(page.get_by_role("button", name="Remove logo")).to_have_count(0)

    # The same web process takes an ordinary SVG logo next, and the code still scans.
    normal = tmp_path / "normal.svg"
    normal.write_text(NORMAL)
    _upload(page, normal)
    expect(page.get_by_role("button", name="Remove logo")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="other files")).to_have_count(0)
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
