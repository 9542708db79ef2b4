"""A workspace's brand as visitors see it ("the look"), and the HTML bits it adds to the
edge's pages. Pure: the brand service builds the look, the edge caches it in its link and
page snapshots and renders with these helpers, and the Settings preview renders the same.

The look is a plain JSON dict (it travels through Redis with the snapshots):
    {"name", "logo", "favicon", "primary", "accent", "support_email", "powered_by"}
`{}` means no brand: the edge's own neutral look with "qrapp" in the footer. With a brand,
`powered_by` says whether the plan keeps "Powered by qrapp" (white label removes it, and
then no page carries our name at all).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from typing import Any

AA = 4.5  # WCAG AA for normal text
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
DEFAULT_PRIMARY = "#3b5bfd"  # the edge's own button colour
POWERED_BY = "Powered by qrapp"

Look = dict[str, Any]


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (the same formula as
    core.pages.colours, which the edge may not import: it pulls in the page document)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def contrast_problem(label: str, colour: str) -> str:
    """ "" when `colour` reads as text (and carries white button text) on white at WCAG AA,
    else a sentence saying why and what to do."""
    if not HEX.match(colour):
        return f"The {label} colour must be a hex colour like #1a4d8f."
    ratio = contrast(colour.lower(), WHITE)
    if ratio >= AA:
        return ""
    return (
        f"The {label} colour {colour.lower()} has a contrast of {ratio:.1f}:1 against white; "
        f"WCAG AA needs at least {AA}:1 so text and buttons stay readable. Pick a darker colour."
    )


def _colour(look: Look, key: str, default: str) -> str:
    value = str(look.get(key) or "")
    return value.lower() if HEX.match(value) else default


def footer_text(look: Look, default: str = "qrapp") -> str:
    """The footer line: ours without a brand; the brand's support e-mail or name, then
    "Powered by qrapp" unless the plan removes it."""
    if not look:
        return default
    parts = [str(look.get("support_email") or "") or str(look.get("name") or "")]
    if look.get("powered_by"):
        parts.append(POWERED_BY)
    return " · ".join(p for p in parts if p)


def head_html(look: Look) -> str:
    fav = str(look.get("favicon") or "")
    return f'<link rel="icon" href="{html.escape(fav, quote=True)}">' if fav else ""


def header_html(look: Look) -> str:
    """The logo and/or name over the page's content ("" without a brand)."""
    if not look:
        return ""
    name = html.escape(str(look.get("name") or ""))
    logo = str(look.get("logo") or "")
    img = (
        f'<img class="qb-logo" src="{html.escape(logo, quote=True)}" alt="{name}" height="40">'
        if logo
        else ""
    )
    text = f'<span class="qb-name">{name}</span>' if name and not logo else ""
    return f'<header class="qb-head">{img}{text}</header>' if img or text else ""


def footer_html(look: Look) -> str:
    if not look:
        return ""
    mail = str(look.get("support_email") or "")
    who = (
        f'<a href="mailto:{html.escape(mail, quote=True)}">{html.escape(mail)}</a>'
        if mail
        else html.escape(str(look.get("name") or ""))
    )
    powered = f"<span>{POWERED_BY}</span>" if look.get("powered_by") else ""
    sep = " · " if who and powered else ""
    return f'<footer class="qb-foot">{who}{sep}{powered}</footer>'


def css(look: Look) -> str:
    """The brand's styles for the edge's own pages (message, password) and the header
    and footer put on landing pages; selectors are prefixed so they touch nothing else."""
    primary = _colour(look, "primary", DEFAULT_PRIMARY)
    accent = _colour(look, "accent", "#1f2330")
    return (
        # White behind the brand's own bits: on a landing page with a dark theme the
        # checked contrast (against white) still holds.
        ".qb-head,.qb-foot{background:#fff;border-radius:12px;padding:6px 12px}"
        ".qb-head{display:flex;justify-content:center;align-items:center;margin:0 0 16px}"
        ".qb-logo{max-height:40px;max-width:200px;width:auto;height:auto}"
        f".qb-name{{font-weight:700;font-size:1.1rem;color:{accent}}}"
        ".qb-foot{margin:24px auto 8px;max-width:max-content;text-align:center;font-size:.8rem;"
        "color:#5a6072}"
        f".qb-foot a{{color:{primary}}}"
        f".qb h1{{color:{accent}}}.qb button{{background:{primary}!important}}"
    )


def style_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _csp_with(csp: str, style: str, images: bool) -> str:
    """A landing page's CSP that also allows the brand's style block (by hash) and, with a
    logo or favicon, images from the edge itself (/m/...)."""
    out = csp.replace("style-src ", f"style-src '{style}' ", 1)
    if images:
        if "img-src " in out:
            out = out.replace("img-src ", "img-src 'self' ", 1)
        else:
            out = out.replace("default-src 'none'", "default-src 'none'; img-src 'self'", 1)
    return out


def brand_landing(page_html: str, page_csp: str, look: Look) -> tuple[str, str, str]:
    """A published page with the brand added: (html, csp, etag suffix). The page was
    rendered at publish time and the brand may change afterwards, so the edge adds it when
    it fills its cache; the page's meta CSP and its header CSP both learn the brand's
    style hash (both are enforced)."""
    if not look:
        return page_html, page_csp, ""
    style = css(look)
    sh = style_hash(style)
    images = bool(look.get("logo") or look.get("favicon"))
    out = page_html.replace("</head>", f"{head_html(look)}<style>{style}</style></head>", 1)
    out = out.replace("<main>", f"<main>{header_html(look)}", 1)
    out = out.replace("</main>", f"</main>{footer_html(look)}", 1)
    meta = re.search(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', out)
    if meta:
        new_meta = _csp_with(html.unescape(meta.group(2)), sh, images)
        start, end = meta.span(2)
        out = out[:start] + html.escape(new_meta, quote=True) + out[end:]
    suffix = hashlib.sha256(repr(sorted(look.items())).encode()).hexdigest()[:12]
    return out, _csp_with(page_csp, sh, images), suffix
