"""Facts about the person (or bot) behind a scan, and how we keep them private.

Pure functions: the edge calls the cheap ones on every request (client IP behind trusted
proxies, anonymisation, the visitor hash, language, referrer host, link-previewer flag);
the ingest calls `parse_user_agent` (ua-parser + crawlerdetect, about half a millisecond
uncached) off the response path.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_USER_AGENT = 512
MAX_REFERRER = 253

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(spec: str | list[str]) -> tuple[IPNetwork, ...]:
    """'10.0.0.0/8, 127.0.0.1' -> networks; raises ValueError on a bad entry."""
    items = spec.split(",") if isinstance(spec, str) else spec
    return tuple(ipaddress.ip_network(i.strip(), strict=False) for i in items if i.strip())


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def _trusted(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[IPNetwork, ...]
) -> bool:
    return any(ip.version == n.version and ip in n for n in networks)


@functools.lru_cache(maxsize=16384)
def client_ip(peer: str, forwarded_for: str, trusted_proxies: tuple[IPNetwork, ...]) -> str:
    """The visitor's IP. X-Forwarded-For counts only when the direct peer is a trusted
    proxy; then we walk it right to left past our own proxies, so a client cannot put a
    fake address at the left end and have it believed."""
    peer_ip = _parse_ip(peer or "")
    if peer_ip is None:
        return ""
    if not forwarded_for or not trusted_proxies or not _trusted(peer_ip, trusted_proxies):
        return str(peer_ip)
    current = peer_ip
    for hop in reversed(forwarded_for.split(",")):
        ip = _parse_ip(hop)
        if ip is None:
            break  # garbage: stop at the last address we could trust
        current = ip
        if not _trusted(ip, trusted_proxies):
            break
    return str(current)


def anonymise_ip(ip: str) -> str:
    """/24 for IPv4, /48 for IPv6 (what GA and Matomo keep); '' when not an IP."""
    parsed = _parse_ip(ip)
    if parsed is None:
        return ""
    prefix = 24 if parsed.version == 4 else 48
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False).network_address)


def daily_key(secret: str, day: str) -> bytes:
    """The visitor-hash key for one UTC day (YYYY-MM-DD). It is derived, never stored, so
    yesterday's hashes cannot be linked to today's once the day is over."""
    return hmac.new(secret.encode(), b"visitor-hash:" + day.encode(), hashlib.sha256).digest()


def visitor_hash(key: bytes, ip: str, user_agent: str) -> str:
    """Keyed BLAKE2b (a MAC like HMAC, in one C call) of IP and user agent under the
    day's key: stable for a visitor within the day, unlinkable across days."""
    msg = f"{ip}\n{user_agent[:MAX_USER_AGENT]}".encode("utf-8", "replace")
    return hashlib.blake2b(msg, key=key[:64], digest_size=16).hexdigest()


_LANG_RE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


def languages(accept_language: str, limit: int = 6) -> list[str]:
    """Accept-Language -> lower-case tags by preference ('sv-se', 'sv', 'en')."""
    scored: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language[:512].split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or not _LANG_RE.match(tag):
            continue
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if q > 0:
            scored.append((-q, index, tag.lower()))
    return [tag for _q, _i, tag in sorted(scored)[:limit]]


@functools.lru_cache(maxsize=4096)
def primary_language(accept_language: str) -> str:
    """The preferred language's primary subtag ('sv' for 'sv-SE,en;q=0.8')."""
    langs = languages(accept_language, limit=1)
    return langs[0].split("-", 1)[0] if langs else ""


@functools.lru_cache(maxsize=4096)
def referrer_host(referer: str) -> str:
    if not referer:
        return ""
    try:
        host = urlsplit(referer[:2048]).hostname or ""
    except ValueError:
        return ""
    return host.lower()[:MAX_REFERRER]


def clean_text(value: str, limit: int) -> str:
    """Header text as stored: printable, bounded (a 64 KB user agent is cut)."""
    value = value[: limit * 2]
    if value.isprintable():  # the usual case, checked in C
        return value[:limit]
    return "".join(ch for ch in value if ch.isprintable())[:limit]


# Link previewers and fetchers that crawlerdetect may miss; matched case-insensitively.
_PREVIEWERS = (
    "whatsapp",
    "slackbot",
    "slack-imgproxy",
    "facebookexternalhit",
    "facebot",
    "twitterbot",
    "telegrambot",
    "discordbot",
    "linkedinbot",
    "skypeuripreview",
    "microsoft office",
    "ms-office",
    "msoffice",
    "ms office",
    "bingpreview",
    "safelinks",
    "googleimageproxy",
    "applebot",
    "iframely",
    "embedly",
    "python-requests",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "curl/",
    "wget/",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "headlesschrome",
    "phantomjs",
)


@functools.lru_cache(maxsize=4096)
def looks_like_previewer(user_agent: str) -> bool:
    """Cheap test the edge runs on every scan: empty agents and known previewers."""
    ua = user_agent.lower()
    return not ua.strip() or any(p in ua for p in _PREVIEWERS)


@dataclass(frozen=True)
class AgentFacts:
    device_type: str  # mobile | tablet | desktop | bot | other
    os: str
    browser: str
    is_bot: bool


_TABLET_HINTS = ("ipad", "tablet", "kindle", "silk", "playbook", "nexus 7", "nexus 9", "sm-t")


@functools.lru_cache(maxsize=8192)
def parse_user_agent(user_agent: str) -> AgentFacts:
    """Device type, OS family, browser family and the bot verdict of a user agent."""
    from ua_parser import parse  # imported lazily: the edge's hot path never needs it

    ua = user_agent[:MAX_USER_AGENT]
    bot = looks_like_previewer(ua) or _crawler_detect().isCrawler(ua)
    result = parse(ua)
    os_family = (result.os.family if result.os else "") or ""
    browser = (result.user_agent.family if result.user_agent else "") or ""
    device = (result.device.family if result.device else "") or ""
    low = ua.lower()
    if bot or device == "Spider":
        device_type = "bot"
    elif any(h in low for h in _TABLET_HINTS) or (os_family == "Android" and "mobile" not in low):
        device_type = "tablet"
    elif "mobi" in low or os_family in ("iOS", "Android", "Windows Phone", "KaiOS"):
        device_type = "mobile"
    elif os_family in ("Windows", "Mac OS X", "macOS", "Linux", "Ubuntu", "Chrome OS", "Fedora"):
        device_type = "desktop"
    else:
        device_type = "other"
    return AgentFacts(
        device_type=device_type,
        os="" if os_family == "Other" else os_family[:40],
        browser="" if browser == "Other" else browser[:40],
        is_bot=bot or device == "Spider",
    )


@functools.cache
def _crawler_detect() -> Any:  # crawlerdetect has no type information
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()
