"""The public home page's try-it generator: a static URL or text code without an account.

Nothing is stored: the code is rendered from the request alone with the same engine and
verdict the designer uses (`prepare` once, then the file and `scannability.check`).
Anyone can call this, so the content is short (MAX_CONTENT), the sizes are fixed, the
styles are a few presets, and each client IP gets a budget per minute (RateLimiter).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

from qrapp.core.payloads import PayloadError, parse
from qrapp.core.render import PRESETS, Prepared, prepare, render
from qrapp.core.scannability import Verdict, check
from qrapp.services.errors import FieldErrors, ServiceError

KINDS = {"url": "Website", "text": "Text"}
# A few of the designer's presets; the full designer is what an account is for.
STYLES = {
    "classic": ("Classic", "classic"),
    "rounded": ("Rounded", "soft-rounded"),
    "dots": ("Dots", "dots"),
    "ocean": ("Ocean", "ocean"),
}
MAX_CONTENT = 500
PREVIEW_SIZE = 320
DOWNLOAD_SIZE = 1024
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


class TryItThrottled(ServiceError):
    def __init__(self) -> None:
        super().__init__("That is a lot of codes in a minute. Please wait a moment and try again.")


@dataclass(frozen=True)
class TryRequest:
    kind: str
    content: str
    style: str = "classic"


def _ready(req: TryRequest) -> Prepared:
    if req.kind not in KINDS:
        raise FieldErrors({"kind": "Choose a website or text."})
    if req.style not in STYLES:
        raise FieldErrors({"style": "Choose one of the styles shown."})
    content = req.content.strip() if req.kind == "url" else req.content
    if not content.strip():
        raise FieldErrors({"content": "Type a web address or some text first."})
    if len(content) > MAX_CONTENT:
        raise FieldErrors(
            {"content": f"Use at most {MAX_CONTENT} characters here; an account allows more."}
        )
    field = "url" if req.kind == "url" else "text"
    try:
        payload = parse(req.kind, {field: content})
    except PayloadError as exc:
        raise FieldErrors({"content": next(iter(exc.errors.values()))}) from None
    return prepare(payload, PRESETS[STYLES[req.style][1]])


def preview(req: TryRequest) -> tuple[bytes, Verdict, str]:
    """(PNG bytes, verdict, the encoded text) for the preview; FieldErrors on bad input."""
    ready = _ready(req)
    return render(ready, fmt="png", size=PREVIEW_SIZE), check(ready), ready.text


def download(req: TryRequest, fmt: str) -> bytes:
    """The file to download; refuses (ServiceError) a design a decoder cannot read."""
    if fmt not in FORMATS:
        raise FieldErrors({"format": "Choose PNG or SVG."})
    ready = _ready(req)
    verdict = check(ready)
    if verdict.level == "fail":
        raise ServiceError("This code does not scan, so it cannot be downloaded.")
    return render(ready, fmt=fmt, size=DOWNLOAD_SIZE)  # type: ignore[arg-type]


class RateLimiter:
    """At most `limit` events per `window` seconds per key, in this process's memory.

    No database writes for anonymous visitors; with several web workers each keeps its
    own count, so the real budget is `limit` x workers: still a small bound on CPU.
    The number of keys is capped (oldest forgotten) so a spray of IPs cannot grow it."""

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 10_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> None:
        """Count one event for `key`; raise TryItThrottled when over the budget."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            full = len(hits) >= self.limit
            if not full:
                hits.append(now)
            self._hits[key] = hits
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
        if full:
            raise TryItThrottled()


def ip_key(ip: str) -> str:
    """IPv6 clients own a whole /64: count them per /64, not per address."""
    import ipaddress

    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


# One preview per keystroke pause (the input is debounced); downloads are rarer.
PREVIEWS = RateLimiter(limit=60)
DOWNLOADS = RateLimiter(limit=20)
