"""Content-Disposition for downloads whose names may hold any letter (RFC 6266).

Browsers take `filename*` (UTF-8, percent-encoded, RFC 8187) and keep "Menü" as is;
`filename` is the ASCII fallback for clients that do not read `filename*`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# RFC 8187 attr-char minus the letters and digits quote() keeps anyway.
_ATTR_SAFE = "!#$&+-.^_`|~"


def ascii_fallback(filename: str, default: str = "download") -> str:
    """The name with accents folded (é -> e) and everything else outside [A-Za-z0-9._-]
    turned into hyphens; `default` (keeping the extension) when nothing is left."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", folded)
    name = re.sub(r"-{2,}", "-", name).strip("-")
    stem, dot, ext = name.rpartition(".")
    if dot and not stem.strip("-_."):  # only the extension survived ("日本.png")
        return f"{default}.{ext}"
    return name.strip(".") or default


def attachment(filename: str) -> str:
    """`attachment; filename="<ascii>"; filename*=UTF-8''<utf-8>` for `filename`."""
    cleaned = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C")
    cleaned = re.sub(r'[\\/"]', "-", cleaned) or "download"
    encoded = quote(unicodedata.normalize("NFC", cleaned), safe=_ATTR_SAFE)
    return f"attachment; filename=\"{ascii_fallback(cleaned)}\"; filename*=UTF-8''{encoded}"
