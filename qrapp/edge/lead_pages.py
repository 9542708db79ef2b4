"""The pages a lead-form POST answers with, built by the edge (it loads no Jinja): the form
again with the messages and what the visitor typed, the thank-you page, and refusals.

Every value is escaped here; the colours come from the version's form spec and are used
only when they are plain #rrggbb. No script: the form works as plain HTML, and the page
carries the edge's strict CSP (responses.html: form-action 'self').
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from qrapp.core import brand, leads

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_DEFAULTS = {"bg": "#ffffff", "fg": "#1f2328", "muted": "#5a5f66", "accent": "#2f5bd3",
             "on_accent": "#ffffff", "link": "#2f5bd3"}  # fmt: skip
_INPUT_TYPES = {"email": "email", "phone": "tel", "date": "date"}
_AUTOCOMPLETE = {"name": "name", "email": "email", "phone": "tel"}
ERROR_COLOUR = "#b3261e"  # 5.9:1 on white: the message reads on any light theme card


def _colours(spec: Any) -> dict[str, str]:
    given = spec.get("colours") if isinstance(spec, dict) else None
    given = given if isinstance(given, dict) else {}
    return {
        k: str(given[k]) if _HEX.match(str(given.get(k, ""))) else default
        for k, default in _DEFAULTS.items()
    }


def _style(c: dict[str, str]) -> str:
    return (
        f"body{{margin:0;background:{c['bg']};color:{c['fg']};"
        "font:17px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}"
        "main{max-width:36rem;margin:0 auto;padding:2rem 1.25rem 3rem}"
        "h1{font-size:1.5rem;line-height:1.2;margin:0 0 .5rem}"
        f"a{{color:{c['link']}}}label{{display:block;font-weight:600;margin:.875rem 0 .25rem}}"
        f".opt{{font-weight:400;color:{c['muted']}}}"
        "input:not([type=checkbox]),textarea{box-sizing:border-box;width:100%;"
        f"padding:.625rem .75rem;border:1px solid {c['muted']};border-radius:10px;"
        f"font:inherit;background:{c['bg']};color:{c['fg']}}}"
        "[aria-invalid=true]{border:2px solid " + ERROR_COLOUR + "}"
        ".check{display:flex;gap:.625rem;font-weight:400}.check input{width:1.25rem;height:1.25rem}"
        f".err{{color:{ERROR_COLOUR};margin:.25rem 0 0;font-weight:600}}"
        f".box{{border:2px solid {ERROR_COLOUR};border-radius:12px;padding:.75rem 1rem;"
        "margin:1rem 0;"
        f"background:#fff;color:{ERROR_COLOUR}}}.box a{{color:{ERROR_COLOUR}}}"
        f"button{{margin-top:1.25rem;width:100%;min-height:3.25rem;border:0;border-radius:14px;"
        f"background:{c['accent']};color:{c['on_accent']};font:inherit;font-weight:600}}"
        ".hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}"
    )


def _document(title: str, spec: Any, body: str, look: Any = None) -> bytes:
    """The page; with the workspace's brand (qrapp.core.brand) its logo or name over the
    content and its footer under it (the form keeps its own colours)."""
    look = look or {}
    style = _style(_colours(spec)) + (brand.css(look) if look else "")
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f'<meta name=robots content="noindex">{brand.head_html(look)}'
        f"<title>{escape(title)}</title><style>{style}</style></head>"
        f"<body><main>{brand.header_html(look)}{body}{brand.footer_html(look)}</main>"
        "</body></html>"
    ).encode()


def _field(f: dict[str, Any], value: str, error: str) -> str:
    name = str(f.get("name", ""))
    fid = "f-" + name
    label = escape(str(f.get("label", "")))
    kind = str(f.get("type", "text"))
    required = bool(f.get("required"))
    aria = ' aria-required="true"' if required else ""
    if error:
        aria += f' aria-invalid="true" aria-describedby="{escape(fid)}-err"'
    err = f'<p class="err" id="{escape(fid)}-err">{escape(error)}</p>' if error else ""
    if kind == "checkbox":
        checked = " checked" if value == "Yes" else ""
        return (
            f'<label class="check"><input type="checkbox" id="{escape(fid)}" '
            f'name="{escape(name)}" value="yes"{checked}{aria}> <span>{label}</span></label>{err}'
        )
    opt = "" if required else ' <span class="opt">(optional)</span>'
    head = f'<label for="{escape(fid)}">{label}{opt}</label>'
    limit = leads.MAX_LENGTH.get(kind, 200)
    if kind == "paragraph":
        control = (
            f'<textarea id="{escape(fid)}" name="{escape(name)}" rows="4" '
            f'maxlength="{limit}"{aria}>{escape(value)}</textarea>'
        )
    else:
        auto = _AUTOCOMPLETE.get(name)
        control = (
            f'<input id="{escape(fid)}" name="{escape(name)}" '
            f'type="{_INPUT_TYPES.get(kind, "text")}" maxlength="{limit}" '
            f'value="{escape(value)}"' + (f' autocomplete="{auto}"' if auto else "") + f"{aria}>"
        )
    return head + control + err


def form_page(
    spec: Any, *, action: str, back: str, token: str, errors: dict[str, str],
    values: dict[str, str], notice: str = "", look: Any = None,
) -> bytes:  # fmt: skip
    """The form again: a summary of what to fix (linked to the fields), each field with its
    value and message, a fresh token, and a way back to the page."""
    title = str(spec.get("title") or "Contact form")
    items = "".join(
        f'<li><a href="#f-{escape(name)}">{escape(message)}</a></li>'
        for name, message in errors.items()
    )
    summary = escape(notice) if notice else "Please check the form:"
    box = f'<div class="box" role="alert"><p>{summary}</p>'
    box += (f"<ul>{items}</ul>" if items else "") + "</div>"
    fields = ""
    for f in spec.get("fields") or []:
        if isinstance(f, dict):
            name = str(f.get("name"))
            fields += f"<div>{_field(f, values.get(name, ''), errors.get(name, ''))}</div>"
    consent = str(spec.get("consent") or "")
    if consent:
        fields += (
            "<div>"
            + _field(
                {
                    "name": leads.CONSENT_FIELD,
                    "label": consent,
                    "type": "checkbox",
                    "required": True,
                },
                "Yes" if values.get(leads.CONSENT_FIELD) else "",
                errors.get(leads.CONSENT_FIELD, ""),
            )
            + "</div>"
        )
    body = (
        f"<h1>{escape(title)}</h1>{box}"
        f'<form method="post" action="{escape(action)}" novalidate>'
        f'<input type="hidden" name="{leads.TOKEN_FIELD}" value="{escape(token)}">'
        f'<div class="hp" aria-hidden="true"><label for="hp">Leave this empty</label>'
        f'<input id="hp" name="{leads.HONEYPOT_FIELD}" type="text" tabindex="-1" '
        f'autocomplete="off"></div>{fields}'
        f"<button type=submit>{escape(str(spec.get('submit') or 'Send'))}</button></form>"
        f'<p><a href="{escape(back)}">Back to the page</a></p>'
    )
    return _document(title, spec, body, look)


def thank_you_page(spec: Any, *, back: str, look: Any = None) -> bytes:
    title = str(spec.get("title") or "Thank you")
    text = str(spec.get("thank_you") or "Thank you!")
    body = (
        f'<h1>{escape(title)}</h1><p role="status">{escape(text)}</p>'
        f'<p><a href="{escape(back)}">Back to the page</a></p>'
    )
    return _document(title, spec, body, look)


def refusal_page(spec: Any, *, back: str, heading: str, text: str, look: Any = None) -> bytes:
    body = (
        f'<h1>{escape(heading)}</h1><p role="alert">{escape(text)}</p>'
        f'<p><a href="{escape(back)}">Back to the page</a></p>'
    )
    return _document(heading, spec, body, look)
