"""GET /try: the home page's try-it form answered as a plain HTML page.

The home page paints before its scripts load (components/build_hints.py), and its try-it
form is a real <form method="get" action="/try">: a visitor who types and presses Enter
before the scripts have run (or with JavaScript off) lands here and gets the same
preview, verdict and downloads the live form shows, with the form again to change it.
No scripts on this page; the same budget per client IP as the live preview.
"""

from __future__ import annotations

import base64
import html
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from qrapp.api.try_it import MAX_QUERY
from qrapp.core import routes as paths
from qrapp.services import try_it
from qrapp.services.errors import FieldErrors, ServiceError

VERDICTS = {"ok": "Scans well", "warn": "Scans, with risks", "fail": "Does not scan"}
_STYLE = """
:root{color-scheme:light dark;--ink:#1c2024;--muted:#60646c;--line:#d9d9e0;--bg:#fff;
--accent:#3e63dd;--on-accent:#fff;--ok:#18794e;--warn:#ad5700;--bad:#ce2c31}
@media (prefers-color-scheme:dark){:root{--ink:#edeef0;--muted:#b0b4ba;--line:#43484e;
--bg:#111113;--accent:#9eb1ff;--on-accent:#111113;--ok:#3dd68c;--warn:#ffa057;--bad:#ff9592}}
body{margin:0;font:16px/1.5 Inter,system-ui,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:920px;margin:0 auto;padding:24px 16px}
.grid{display:grid;gap:24px;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
label,legend{font-weight:600;display:block;margin:12px 0 6px}
fieldset{border:0;padding:0;margin:0}
input[type=text],textarea,select{font:inherit;color:inherit;background:transparent;width:100%;
box-sizing:border-box;padding:8px 10px;border:1px solid var(--line);border-radius:8px}
.choice{display:inline-flex;gap:6px;margin-right:14px;font-weight:400}
button,.button{font:inherit;font-weight:600;display:inline-block;margin-top:14px;
padding:8px 16px;border-radius:8px;border:0;background:var(--accent);color:var(--on-accent);
text-decoration:none;cursor:pointer}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
a{color:var(--accent)}
.muted{color:var(--muted);font-size:14px}
.alert{color:var(--bad);font-weight:600}
.ok{color:var(--ok)}.warn{color:var(--warn)}.fail{color:var(--bad)}
.preview{text-align:center}
.preview img{width:100%;max-width:260px;border:1px solid var(--line);border-radius:12px}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _form(req: try_it.TryRequest) -> str:
    kinds = "".join(
        f'<label class="choice"><input type="radio" name="kind" value="{k}"'
        f"{' checked' if k == req.kind else ''}> {_e(label)}</label>"
        for k, label in try_it.KINDS.items()
    )
    styles = "".join(
        f'<label class="choice"><input type="radio" name="style" value="{k}"'
        f"{' checked' if k == req.style else ''}> {_e(label)}</label>"
        for k, (label, _preset) in try_it.STYLES.items()
    )
    return (
        f'<form method="get" action="{paths.TRY_PAGE}" id="try-form">'
        f"<fieldset><legend>What the code holds</legend>{kinds}</fieldset>"
        '<label for="try-content">What should the code hold?</label>'
        f'<textarea id="try-content" name="content" rows="3" maxlength="{try_it.MAX_CONTENT + 1}"'
        f">{_e(req.content)}</textarea>"
        f"<fieldset><legend>Style</legend>{styles}</fieldset>"
        '<button type="submit" id="try-submit">Make my code</button></form>'
    )


def _result(req: try_it.TryRequest, preview: tuple | None, error: str) -> str:
    if error:
        return f'<p class="alert" role="alert" id="try-error">{_e(error)}</p>'
    if preview is None:
        return '<p class="muted">Type a web address or some text, then make the code.</p>'
    png, verdict, text = preview
    src = "data:image/png;base64," + base64.b64encode(png).decode()
    query = urlencode({"kind": req.kind, "content": req.content, "style": req.style})
    parts = [
        f'<img id="try-preview" src="{src}" alt="Your QR code">',
        f'<p id="try-verdict" class="{_e(verdict.level)}"><strong>'
        f"{_e(VERDICTS.get(verdict.level, verdict.level))}</strong></p>",
        *(f'<p class="muted">{_e(r)}</p>' for r in verdict.reasons),
        f'<p class="muted">Holds: <span id="try-encoded">{_e(text)}</span></p>',
    ]
    if verdict.level in ("ok", "warn"):
        parts.append(
            f'<a class="button" id="try-png" href="{paths.try_qr("png")}?{_e(query)}" download>'
            "Download PNG</a> "
            f'<a class="button" id="try-svg" href="{paths.try_qr("svg")}?{_e(query)}" download>'
            "Download SVG</a>"
        )
    return "".join(parts)


def page_html(req: try_it.TryRequest, preview: tuple | None, error: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>Your QR code · qrapp</title><link rel="icon" href="{paths.FAVICON}">'
        f"<style>{_STYLE}</style></head><body><main>"
        '<h1>Make a QR code now</h1><p class="muted">No account needed. '
        f'<a href="{paths.HOME}">Back to the home page</a> · '
        f'<a href="{paths.SIGNUP}">Sign up for codes you can change and track</a></p>'
        f'<div class="grid"><div>{_form(req)}</div>'
        f'<div class="preview" aria-live="polite">{_result(req, preview, error)}</div></div>'
        "</main></body></html>"
    )


async def try_page(request: Request) -> Response:
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    q = request.query_params
    req = try_it.TryRequest(
        kind=q.get("kind", "url") if q.get("kind") in try_it.KINDS else "url",
        content=q.get("content", "")[: try_it.MAX_CONTENT + 1],
        style=q.get("style", "classic") if q.get("style") in try_it.STYLES else "classic",
    )
    preview, error, status = None, "", 200
    if len(request.url.query) > MAX_QUERY:
        error, status = "That is too long for this generator.", 414
    elif req.content.strip():
        ip = request.client.host if request.client else ""
        try:
            try_it.PREVIEWS.hit(try_it.ip_key(ip))
            preview = await run_in_threadpool(try_it.preview, req)
        except try_it.TryItThrottled as exc:
            error, status = exc.message, 429
        except FieldErrors as exc:
            error, status = exc.errors.get("content", exc.message), 400
        except ServiceError as exc:
            error, status = exc.message, 400
    return HTMLResponse(page_html(req, preview, error), status, headers=headers)


routes = [Route(paths.TRY_PAGE, try_page, methods=["GET"])]
