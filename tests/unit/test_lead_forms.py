"""Lead forms without a server: the block's props rules, the rendered form (labels, the
honeypot hidden from people and assistive tech, the token placeholder, the action), the
field checks, the signed render-time token, the edge writing a fresh token into each view
of a page with a form, and the error page escaping what was typed."""

from __future__ import annotations

import re

import pytest

from qrapp.core import leads
from qrapp.core.pages.document import DocumentError, blank_document, new_block, parse_document
from qrapp.core.pages.render import render_page
from qrapp.edge import landing, lead_pages, page_answers

SECRET = "unit-test-secret"
PAGE = "0196a0e0-0000-7000-8000-00000000000a"


def _doc(**props) -> dict:
    doc = blank_document("Contact us")
    block = new_block("lead_form")
    block["id"] = "form1"
    block["props"].update(props)
    doc["blocks"].append(block)
    return doc


def test_default_block_asks_name_email_and_message():
    page = render_page(parse_document(_doc()), slug="contact")
    spec = page.forms["form1"]
    assert [(f["name"], f["required"]) for f in spec["fields"]] == [
        ("name", True),
        ("email", True),
        ("message", False),
    ]
    assert spec["consent"] == ""


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"ask_name": "off", "ask_email": "off", "ask_message": "off"}, "at least one field"),
        ({"ask_phone": "sometimes"}, "Phone field"),
        ({"custom": [{"id": f"c{i}", "label": "X"} for i in range(11)]}, "At most 10 items"),
        ({"custom": [{"id": "a", "label": "X"}, {"id": "a", "label": "Y"}]}, "share an id"),
        ({"custom": [{"id": "a", "label": "", "kind": "text"}]}, "Label"),
        ({"custom": [{"id": "a", "label": "Size", "kind": "colour"}]}, "Type"),
        ({"submit_label": ""}, "submit button"),
        ({"onclick": "alert(1)"}, "unknown field"),
    ],
)
def test_block_validation_refuses_with_a_clear_message(props, message):
    with pytest.raises(DocumentError) as exc:
        parse_document(_doc(**props))
    assert message in exc.value.message
    assert exc.value.message.startswith("Block 2 (Lead form)")


def test_rendered_form_has_labels_honeypot_token_and_action():
    custom = [{"id": "size", "label": "Shoe size", "kind": "number", "required": True}]
    page = render_page(
        parse_document(_doc(custom=custom, consent_text="I agree <b>now</b>")), slug="contact"
    )
    html = page.html
    assert '<form method="post" action="/p/contact/f/form1" novalidate>' in html
    for fid in ("form1-name", "form1-email", "form1-message", "form1-c_size"):
        assert f'<label for="{fid}">' in html
        assert f'id="{fid}"' in html
    assert 'name="c_size" type="text"' in html
    assert 'inputmode="decimal"' in html
    assert f'value="{leads.TOKEN_PLACEHOLDER}"' in html
    honeypot = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', html).group(0)
    assert 'name="website"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert "I agree &lt;b&gt;now&lt;/b&gt;" in html
    assert "form-action 'self'" in page.csp
    assert "script" not in page.csp


def _spec(**props) -> leads.FormSpec:
    return render_page(parse_document(_doc(**props)), slug="contact").forms["form1"]


def test_check_submission_messages_and_values():
    custom = [
        {"id": "d", "label": "Visit date", "kind": "date"},
        {"id": "n", "label": "Guests", "kind": "number", "required": True},
        {"id": "news", "label": "Newsletter", "kind": "checkbox"},
    ]
    spec = _spec(ask_phone="optional", custom=custom, consent_text="OK to mail me")
    errors, values = leads.check_submission(
        spec,
        {
            "name": ["  Ada \t Lovelace "],
            "email": ["not-an-address"],
            "phone": ["12"],
            "message": ["line 1\r\nline 2\x00"],
            "c_d": ["31/12/2026"],
            "c_n": ["nan"],
        },
    )
    assert values["name"] == "Ada Lovelace"
    assert values["message"] == "line 1\nline 2"
    assert values["c_news"] == "No"
    assert errors == {
        "email": "Write “E-mail” as name@example.com.",
        "phone": "“Phone” takes digits, spaces and + ( ) - only.",
        "c_d": "Write “Visit date” as a date (YYYY-MM-DD).",
        "c_n": "“Guests” must be a number.",
        "consent": "Tick the consent box to send the form.",
    }
    errors, _ = leads.check_submission(
        spec,
        {"name": ["Ada"], "email": ["ada@example.com"], "c_n": ["4"], "consent": ["yes"]},
    )
    assert errors == {}


def test_token_is_signed_bound_to_the_page_and_ages():
    token = leads.sign_token(SECRET, PAGE, 1_000_000.0)
    assert len(token) == len(leads.TOKEN_PLACEHOLDER)
    assert leads.token_age(SECRET, PAGE, token, 1_000_004.5) == 4.5
    assert leads.token_age(SECRET, "another-page", token, 1_000_004.0) is None
    assert leads.token_age("another-secret", PAGE, token, 1_000_004.0) is None
    forged = "0000999999" + token[10:]
    assert leads.token_age(SECRET, PAGE, forged, 1_000_004.0) is None
    assert leads.token_age(SECRET, PAGE, token, 999_000.0) is None  # from the future
    for junk in ("", None, leads.TOKEN_PLACEHOLDER, token + "x"):
        assert leads.token_age(SECRET, PAGE, junk, 1_000_004.0) is None


def test_each_view_of_a_page_with_a_form_carries_a_fresh_token():
    rendered = render_page(parse_document(_doc()), slug="contact")
    snap = {
        "page_id": PAGE,
        "workspace_id": PAGE,
        "slug": "contact",
        "version": 1,
        "html": rendered.html,
        "csp": rendered.csp,
        "etag": "v1",
        "forms": rendered.forms,
    }
    page = page_answers.page_from_snapshot(snap)
    first = landing.view(page, {}, SECRET, 1_000_000.0)
    later = landing.view(page, {}, SECRET, 1_000_060.0)
    assert leads.TOKEN_PLACEHOLDER.encode() not in first[2]
    assert first[2] != later[2]
    assert dict(first[1])[b"content-length"] == str(len(first[2])).encode()
    token = re.search(rb'name="_t" value="([^"]+)"', later[2]).group(1).decode()
    assert leads.token_age(SECRET, PAGE, token, 1_000_063.0) == 3.0
    # The bytes change per view, the page does not: a weak ETag, and 304 still works.
    assert dict(first[1])[b"etag"] == b'W/"v1"'
    assert landing.view(page, {b"if-none-match": b'W/"v1"'}, SECRET, 1.0)[0] == 304
    assert landing.parse("/p/contact/f/form1") == ("contact", "f", "form1")


def test_error_page_escapes_values_and_links_messages_to_fields():
    spec = _spec(consent_text="Yes, <script>")
    body = lead_pages.form_page(
        spec,
        action="/p/contact/f/form1",
        back="/p/contact",
        token="t" * 33,
        errors={"email": "Fill in “E-mail”."},
        values={"name": '"><script>alert(1)</script>', "message": "</textarea><b>x"},
    ).decode()
    assert "<script>" not in body
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in body
    assert "&lt;/textarea&gt;&lt;b&gt;x</textarea>" in body
    assert '<a href="#f-email">Fill in “E-mail”.</a>' in body
    assert 'aria-invalid="true" aria-describedby="f-email-err"' in body
    assert 'role="alert"' in body


def test_error_page_ignores_colours_that_are_not_hex():
    spec = dict(_spec())
    spec["colours"] = {"bg": "red;}</style><script>x()</script>", "accent": "#123456"}
    body = lead_pages.thank_you_page(spec, back="/p/contact").decode()
    assert "<script>" not in body
    assert "background:#ffffff" in body
    assert "background:#123456" in body


def test_the_builders_add_makes_a_valid_custom_field():
    from qrapp.state import page_doc_ops as ops

    doc = _doc()
    ops.add_item(doc, "form1", "custom")
    ops.set_item(doc, "form1", "custom", 0, "kind", "paragraph")
    ops.set_item(doc, "form1", "custom", 0, "required", "true")
    spec = render_page(parse_document(doc), slug="contact").forms["form1"]
    item_id = doc["blocks"][1]["props"]["custom"][0]["id"]
    assert spec["fields"][-1] == {
        "name": f"c_{item_id}",
        "label": "Your question",
        "type": "paragraph",
        "required": True,
    }
