"""qrapp.core.brand: the WCAG AA refusal, the footer per plan, and a landing page's CSP
(header and meta) learning the brand's style hash so the brand is not blocked."""

import re

from qrapp.core.brand import brand_landing, contrast_problem, footer_text, style_hash

LOOK = {
    "name": "Acme",
    "logo": "/m/abc/w480",
    "favicon": "",
    "primary": "#1a4d8f",
    "accent": "#7a2e0e",
    "support_email": "help@acme.example",
    "powered_by": False,
}


def test_contrast_refusal_names_the_ratio_and_the_fix():
    assert contrast_problem("primary", "#1a4d8f") == ""
    message = contrast_problem("primary", "#FFEB3B")
    assert "#ffeb3b" in message
    assert "1.2:1" in message
    assert "4.5:1" in message
    assert "darker" in message
    assert "hex colour" in contrast_problem("accent", "blue")
    # #767676 is the lightest grey that passes on white; #777777 does not.
    assert contrast_problem("accent", "#767676") == ""
    assert contrast_problem("accent", "#777777") != ""


def test_footer_per_plan():
    assert footer_text({}) == "qrapp"
    assert footer_text(LOOK) == "help@acme.example"
    assert footer_text({**LOOK, "powered_by": True}) == "help@acme.example · Powered by qrapp"


def test_landing_page_csp_allows_the_brand_style_and_edge_images():
    csp = "default-src 'none'; style-src 'sha256-abc'; form-action 'self'; base-uri 'none'"
    page = (
        '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" '
        f'content="{csp.replace(chr(39), "&#39;")}"><style>x</style></head>'
        "<body><main><h1>Menu</h1></main></body></html>"
    )
    html, header_csp, tag = brand_landing(page, csp, LOOK)
    style = re.search(r"<style>(\.qb-head[^<]*)</style>", html).group(1)
    digest = style_hash(style)
    assert f"'{digest}'" in header_csp
    assert "img-src 'self'" in header_csp
    meta = re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert digest in meta
    assert "img-src" in meta
    assert html.index('class="qb-head"') < html.index("<h1>Menu</h1>")
    assert "help@acme.example" in html
    assert "qrapp" not in html.lower()
    assert tag
    assert brand_landing(page, csp, {}) == (page, csp, "")
