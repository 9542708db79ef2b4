"""What a landing page lets through: rich text by allowlist (nh3) and links by scheme.

A page is published on our domain, so anything active in it (script, event handlers,
javascript: links, frames, forms, styles) would run with our origin's trust. The allowlist
is tiny on purpose: bold, italic, links and lists are what a page author needs.
"""

import re
from collections.abc import Callable

import nh3

from qrapp.core.payloads import validators

RICH_TEXT_TAGS = frozenset({"b", "strong", "i", "em", "a", "ul", "ol", "li", "p", "br"})
LINK_SCHEMES = ("http", "https", "mailto", "tel")

_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_MAILTO = re.compile(r"^mailto:[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$", re.IGNORECASE)
_TEL = re.compile(r"^tel:\+?[0-9][0-9\-().]{2,30}$", re.IGNORECASE)


def link_error(url: str) -> str | None:
    """Why `url` cannot be a link on a page, or None when `safe_link` accepts it."""
    value = (url or "").strip()
    if not value:
        return "This field is required."
    if _CONTROL.search(value):
        # Browsers drop tabs and newlines inside URLs (`java\tscript:`): refuse them all.
        return "A link cannot contain spaces or control characters; encode spaces as %20."
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme == "mailto":
        return None if _MAILTO.match(value) else "Write an e-mail link as mailto:name@example.com."
    if scheme == "tel":
        return None if _TEL.match(value) else "Write a phone link as tel:+46701234567."
    try:
        validators.web_url(value)
    except ValueError as exc:
        if "not allowed" in str(exc):
            return "Links may only be web addresses (http, https), mailto: or tel:."
        return str(exc)
    return None


def safe_link(url: str) -> str | None:
    """The link normalised (https:// added to a bare domain) if its scheme is http, https,
    mailto or tel and it is well formed; None for anything else (javascript:, data:, ...)."""
    if link_error(url) is not None:
        return None
    value = url.strip()
    scheme = value.split(":", 1)[0].lower()
    if scheme in ("mailto", "tel"):
        return scheme + ":" + value.split(":", 1)[1]
    return validators.web_url(value)


def safe_image_url(url: str) -> str | None:
    """An https image address (the page's CSP lists its host), or None."""
    link = safe_link(url)
    return link if link is not None and link.lower().startswith("https://") else None


def clean_rich_text(html: str, rewrite_link: Callable[[str], str | None] | None = None) -> str:
    """Rich text reduced to the allowlist; links that are not http/https/mailto/tel lose
    their href. `rewrite_link` (used at render) maps each kept href to its final value."""

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            link = safe_link(value)
            if link is None:
                return None
            return rewrite_link(link) if rewrite_link is not None else link
        return value

    return nh3.clean(
        html or "",
        tags=set(RICH_TEXT_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "svg", "math"},
        attributes={"a": {"href"}},
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=attribute_filter,
    )
