"""Which URLs a webhook may call: https (http only in development or with the explicit
test setting), a host whose EVERY resolved address is public. The sender then connects to
an address checked here, never resolving the name again (no DNS rebinding in between).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from qrapp.settings import get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class UnsafeUrl(ValueError):
    """A URL a webhook must not call; the message is fit to show."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


_resolver: Resolver = system_resolver


@contextmanager
def using_resolver(resolver: Resolver) -> Iterator[None]:
    """Resolve names with `resolver` for a while (tests: a name that points at loopback)."""
    global _resolver
    before, _resolver = _resolver, resolver
    try:
        yield
    finally:
        _resolver = before


def embedded_v4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, NAT64, 6to4, Teredo), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def refusal(ip: IPAddress, *, allow_private: bool) -> str | None:
    """Why a webhook may not connect to `ip`, or None when it may."""
    inner = embedded_v4(ip)
    if inner is not None:
        why = refusal(inner, allow_private=allow_private)
        return f"{why} (inside {ip})" if why else None
    if ip in _METADATA:
        return "a cloud metadata address"
    if ip.is_unspecified or ip.is_multicast:
        return "not a host address"
    if ip.is_link_local:
        return "a link-local address"
    if allow_private and (ip.is_loopback or ip.is_private or ip in _CGNAT):
        return None  # tests and local development only (WEBHOOKS_ALLOW_PRIVATE)
    if ip.is_loopback:
        return "a loopback address"
    if ip in _CGNAT or ip.is_private or ip.is_reserved or not ip.is_global:
        return "a private or reserved address"
    return None


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`addresses`, all public) and what to ask for."""

    scheme: str
    host: str  # the name, for the Host header and TLS (SNI, certificate)
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def policy() -> tuple[bool, bool]:
    """(https required, private addresses allowed) from the settings."""
    s = get_settings()
    allow_private = s.webhooks_allow_private and not s.is_production
    require_https = s.qrapp_env != "development" and not allow_private
    return require_https, allow_private


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of a webhook URL, or UnsafeUrl with the reason."""
    url = url.strip()
    if not url:
        raise UnsafeUrl("Enter the endpoint's URL.")
    if len(url) > 2000:
        raise UnsafeUrl("The URL is too long (2,000 characters at most).")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeUrl("That is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("The URL must start with https:// and name a host.")
    if parts.username or parts.password:
        raise UnsafeUrl("The URL must not contain a user name or password.")
    require_https, _allow = policy()
    if require_https and scheme != "https":
        raise UnsafeUrl("The URL must use https://.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80), path


def check(url: str) -> Target:
    """Resolve and check a webhook URL (when it is saved and before every delivery)."""
    scheme, host, port, path = parse(url)
    _https, allow_private = policy()
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [str(literal)]
    else:
        local = host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
        if local and not allow_private:
            raise UnsafeUrl(f"{host} is a local name; use a public host name.")
        try:
            found = _resolver(host, port)
        except (OSError, UnicodeError):
            raise UnsafeUrl(f"The host name {host} could not be resolved.") from None
        if not found:
            raise UnsafeUrl(f"The host name {host} could not be resolved.")
    for text in found:
        try:
            ip = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            raise UnsafeUrl(f"{host} resolves to an address that is not valid.") from None
        why = refusal(ip, allow_private=allow_private)
        if why:
            shown = host if literal is not None else f"{host} ({ip})"
            raise UnsafeUrl(f"Webhooks cannot be sent to {shown}: {why}.")
    return Target(scheme, host, port, path, tuple(found))
