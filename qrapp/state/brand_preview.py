"""The Settings -> Brand preview: each branded page as the edge serves it, drawn by the
edge's own page functions (qrapp.edge.pages, lead_pages) and the brand's landing-page
wrapper (qrapp.core.brand.brand_landing), so what the owner sees is what visitors get.

Shown in sandboxed iframes (srcdoc, no scripts, no forms); media paths (/m/...) are made
absolute on the edge's host so the logo and favicon load from where visitors get them.
"""

from __future__ import annotations

import re

from qrapp.core.brand import Look, brand_landing
from qrapp.core.pages.starters import starter
from qrapp.edge import lead_pages, pages
from qrapp.services.pages.editing import preview_html
from qrapp.settings import get_settings

_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_LEAD_SPEC = {"title": "Contact us", "thank_you": "Thank you! We will be in touch soon."}


def _absolute(look: Look) -> Look:
    edge = get_settings().edge_url.rstrip("/")
    out = dict(look)
    for key in ("logo", "favicon"):
        if out.get(key):
            out[key] = edge + str(out[key])
    return out


def previews(look: Look) -> dict[str, str]:
    """{"landing", "password", "expired", "thanks"} -> the HTML of each page."""
    look = _absolute(look)
    doc = starter("link_in_bio").document()
    landing, _csp, _tag = brand_landing(preview_html(doc), "", look)
    # The page's own meta CSP would apply inside the srcdoc with the dashboard's origin as
    # 'self' (and block the edge's logo); the iframe is sandboxed without scripts instead.
    landing = _META_CSP.sub("", landing)
    return {
        "landing": landing,
        "password": pages.password_page("Spring menu", look=look).decode(),
        "expired": pages.message_page("expired", look)[1].decode(),
        "thanks": lead_pages.thank_you_page(_LEAD_SPEC, back="#", look=look).decode(),
    }
