"""Landing-page slugs: the `<slug>` of `/p/<slug>` on the edge.

Lowercase a-z, 0-9 and single hyphens, 3-60 characters, so a slug reads the same printed,
spoken and typed on a phone; words the app or the edge use themselves are refused.
"""

from __future__ import annotations

import re
import unicodedata

from qrapp.core.shortcodes import RESERVED as SHORT_CODE_RESERVED

MIN_LENGTH = 3
MAX_LENGTH = 60
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED = SHORT_CODE_RESERVED | frozenset(
    {"new", "edit", "preview", "template", "templates", "null", "undefined"}
)
FALLBACK = "page"


def slug_problem(slug: str) -> str | None:
    """None if `slug` may be used, else the reason in words."""
    if not MIN_LENGTH <= len(slug) <= MAX_LENGTH:
        return f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."
    if not SLUG_RE.match(slug):
        return (
            "Use lowercase letters a-z, digits and single hyphens, "
            "starting and ending with a letter or digit."
        )
    if slug in RESERVED:
        return f"'{slug}' is reserved. Choose another."
    return None


def slugify(name: str) -> str:
    """A valid slug made from a page name ("Café Menu!" -> "cafe-menu"), or FALLBACK when
    the name gives nothing usable."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    slug = slug[:MAX_LENGTH].rstrip("-")
    if slug_problem(slug) is not None:
        return FALLBACK
    return slug


def with_suffix(base: str, n: int) -> str:
    """The n-th alternative to a taken slug: "menu-2", "menu-3", ... kept within
    MAX_LENGTH by shortening the base, never the number."""
    suffix = f"-{n}"
    return base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
