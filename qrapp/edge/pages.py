"""The few HTML pages phones may see: unknown, expired, paused, limit reached, and the
password form. Static text with escaped values and a strict CSP (no scripts at all).

A code's page carries its workspace's brand (`look`, qrapp.core.brand: logo or name,
colours, favicon, support e-mail, "Powered by qrapp" as the plan says) from the link
snapshot the edge caches; an unknown code has no workspace, so its page stays neutral."""

from __future__ import annotations

import html
from typing import Any

from qrapp.core import brand

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

_STYLE = (
    "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f7fb;"
    "color:#1f2330;margin:0;display:flex;min-height:100vh;align-items:center;"
    "justify-content:center}main{background:#fff;border-radius:16px;padding:32px 28px;"
    "max-width:380px;margin:16px;box-shadow:0 4px 24px rgba(0,0,0,.08);text-align:center}"
    "h1{font-size:1.3rem;margin:0 0 8px}p{color:#5a6072;line-height:1.5}"
    "input{width:100%;box-sizing:border-box;padding:12px;border:1px solid #ccd;border-radius:10px;"
    "font-size:1rem;margin:12px 0}button{width:100%;padding:12px;border:0;border-radius:10px;"
    "background:#3b5bfd;color:#fff;font-size:1rem}.err{color:#c62828}"
    "footer{margin-top:20px;font-size:.8rem;color:#6b7080}"
    ".brand{margin:0 0 16px;font-weight:600;color:#1f2330;letter-spacing:.02em}"
)

MESSAGES = {
    "unknown": ("This code does not exist", "Check the code or ask whoever shared it."),
    "paused": ("This code is paused", "Its owner has paused it for now. Try again later."),
    "archived": ("This code has ended", "Its owner no longer uses it."),
    "not_started": ("Not yet", "This code is not active yet. Try again later."),
    "expired": ("This code has expired", "The campaign behind it has ended."),
    "outside_schedule": ("Closed right now", "This code only works during set hours."),
    "limit_reached": ("This code has been used up", "It allowed a limited number of scans."),
    "already_scanned": ("Already scanned", "This code can be used once per person."),
    "bad_destination": ("This code cannot be opened", "Its destination is not available."),
    "preview": ("Open this code on your phone", "This link works when opened by a person."),
    "page_unknown": (
        "This page is not available",
        "The address may be wrong, or its owner has taken the page down.",
    ),
}

STATUS = {
    "unknown": 404,
    "paused": 403,
    "archived": 410,
    "not_started": 403,
    "expired": 410,
    "outside_schedule": 403,
    "limit_reached": 410,
    "already_scanned": 410,
    "bad_destination": 422,
    "preview": 200,
    "page_unknown": 404,
}


def _page(title: str, body: str, head: str = "", footer: str = "qrapp", look: Any = None) -> bytes:
    look = look or {}
    if look:
        head += brand.head_html(look)
        style = _STYLE + brand.css(look)
        body = brand.header_html(look) + body
        foot = brand.footer_html(look)
    else:
        style, foot = _STYLE, f"<footer>{html.escape(footer)}</footer>"
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8>{head}"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        '<meta name=robots content="noindex">'
        f"<title>{html.escape(title)}</title><style>{style}</style></head>"
        f"<body{' class=qb' if look else ''}><main>{body}{foot}</main></body></html>"
    ).encode()


def message_page(reason: str, look: Any = None) -> tuple[int, bytes]:
    title, text = MESSAGES.get(reason, MESSAGES["unknown"])
    body = f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
    return STATUS.get(reason, 404), _page(title, body, look=look)


def unlocked_page(name: str, target: str, look: Any = None) -> bytes:
    """The answer to a right password: it sets the grant cookie and moves on to `target`
    (the code's own short link, which then redirects) with a meta refresh, not an HTTP
    redirect. Browsers hold every redirect that follows a form POST to the form page's
    CSP `form-action 'self'`, so a 303 -> 302 chain to another site is blocked; a refresh
    is a new navigation, needs no script, and leaves the form page's CSP as strict."""
    href = html.escape(target, quote=True)
    body = (
        f"<h1>{html.escape(name or 'Protected code')}</h1>"
        f'<p>Password accepted.</p><p><a href="{href}">Continue</a></p>'
    )
    refresh = f'<meta http-equiv="refresh" content="0;url={href}">'
    return _page("Password accepted", body, head=refresh, look=look)


def password_page(name: str, error: str = "", look: Any = None) -> bytes:
    err = f'<p class="err" role="alert">{html.escape(error)}</p>' if error else ""
    body = (
        f"<h1>{html.escape(name or 'Protected code')}</h1>"
        "<p>Enter the password to continue.</p>"
        f'{err}<form method="post"><input type="password" name="password" '
        'autocomplete="current-password" required autofocus aria-label="Password">'
        "<button type=submit>Continue</button></form>"
    )
    return _page("Password required", body, look=look)


def billing_paused_page(brand_name: str, look: Any = None) -> bytes:
    """What a scan of a code paused by billing (qrapp.services.billing.suspension) sees:
    the owner's name as the brand, and nothing about plans or payments, which are the
    owner's business, not the scanner's."""
    name = html.escape(brand_name)
    show_name = brand_name and not look  # with a look, its header names the brand
    body = (
        (f'<p class="brand">{name}</p>' if show_name else "") + "<h1>Temporarily unavailable</h1>"
        "<p>This code is not available right now. Please try again later.</p>"
    )
    return _page("Temporarily unavailable", body, footer=brand_name or "qrapp", look=look)
