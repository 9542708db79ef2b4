"""Where a dynamic code may send people: http(s) URLs that do not loop back to us.

Browsers ignore tabs, newlines and leading control characters in URLs, so
`java\tscript:` is `javascript:`; we strip the same characters they do and then look at
the scheme, and refuse anything that is not plain http or https.

A loop is judged on the host as a browser reads it: `127.1`, `0x7f.0.0.1`,
`[::ffff:127.0.0.1]`, `127.0.0.%31` and full-width digits are all 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_STRIPPED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")
# What the URL standard refuses in a host once percent-decoded (":" is IPv6's).
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20\x7f#%/<>?@\[\\\]^|]")
MAX_LENGTH = 4096


class DestinationError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class OwnAddresses:
    """Where our own edge and app answer, so a destination there would loop.

    `hosts`: names and IP addresses (canonical, see canonical_host) that are ours on any
    port. This machine's loopback (127.0.0.0/8, ::1, 0.0.0.0, localhost) is ours only on
    `local_ports`, the ports our processes listen on: on a phone 127.0.0.1 is the phone,
    and a test page on localhost:5000 loops to nothing; None means every port."""

    hosts: frozenset[str] = frozenset()
    local_ports: frozenset[int] | None = frozenset()

    @classmethod
    def of(cls, value: OwnHosts) -> OwnAddresses:
        """A plain set of host names (no ports known): loopback among them means all of
        this machine's loopback, on every port."""
        if isinstance(value, OwnAddresses):
            return value
        hosts = {canonical_host(h) or h.lower() for h in value}
        local = any(is_local(h) for h in hosts)
        return cls(frozenset(h for h in hosts if not is_local(h)), None if local else frozenset())

    def loops(self, host: str, port: int) -> bool:
        if host in self.hosts:
            return True
        return is_local(host) and (self.local_ports is None or port in self.local_ports)


OwnHosts = OwnAddresses | frozenset[str]


def canonical_host(host: str) -> str | None:
    """The host as a browser resolves it: an IP address in its one canonical form (from any
    of the forms the URL standard accepts), else the lower-case name without trailing
    dots; None when a browser would refuse it (a name ending in a number that is no IPv4
    address)."""
    host = unquote(host).strip("[]")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")  # maps full-width digits and dots
        except UnicodeError:
            return host.lower().rstrip(".")
    host = host.lower().rstrip(".")
    if _FORBIDDEN_IN_HOST.search(host):
        return None
    if ":" in host:
        try:
            ip6 = ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
        return str(ip6.ipv4_mapped or ip6)
    last = host.rsplit(".", 1)[-1]
    if last.isdigit() or re.fullmatch(r"0x[0-9a-f]*", last):
        ip4 = _whatwg_ipv4(host)
        return None if ip4 is None else str(ip4)
    return host


def _whatwg_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The URL standard's IPv4 parser: 1 to 4 parts, each decimal, 0x-hex or 0-octal, the
    last filling the remaining bytes (so `127.1` and `2130706433` are 127.0.0.1)."""
    parts = host.split(".")
    if len(parts) > 4 or "" in parts:
        return None
    numbers = []
    for part in parts:
        radix = 10
        if part[:2] == "0x":
            part, radix = part[2:], 16
        elif len(part) > 1 and part[0] == "0":
            part, radix = part[1:], 8
        try:
            numbers.append(int(part, radix) if part else 0)
        except ValueError:
            return None
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return ipaddress.IPv4Address(value)


def is_local(host: str) -> bool:
    """This machine, for whoever opens the URL: loopback or unspecified addresses (Linux
    connects 0.0.0.0 to itself), and `localhost` names, which browsers never look up."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    if ":" not in host and not host.rsplit(".", 1)[-1].isdigit():
        # Not an address ip_address() accepts (IPv6 has colons, IPv4 ends in a number):
        # a host name, answered without the two exceptions the parse would raise, which
        # were a third of checking each URL of a 100,000-row bulk file.
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def normalise_destination(raw: str, *, own_hosts: OwnHosts = frozenset()) -> str:
    """The URL to store, or DestinationError with a message a person understands."""
    if not isinstance(raw, str) or not raw.strip():
        raise DestinationError("Enter the web address people should reach.")
    if len(raw) > MAX_LENGTH:
        raise DestinationError(f"That address is longer than {MAX_LENGTH} characters.")
    if "\x00" in raw:
        raise DestinationError("That address contains invalid characters.")
    value = raw.strip()
    compact = _STRIPPED_BY_BROWSERS.sub("", value)
    scheme = compact.split(":", 1)[0].lower() if ":" in compact else ""
    foreign_scheme = (
        scheme not in ("", "http", "https")
        and not compact.startswith("//")
        and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme)
        and not _looks_like_host_port(compact)
    )
    if foreign_scheme:
        raise DestinationError("Only web addresses (http:// or https://) can be a destination.")
    if _STRIPPED_BY_BROWSERS.search(value):
        raise DestinationError("Web addresses cannot contain spaces or control characters.")
    if not scheme or _looks_like_host_port(compact):
        value = "https://" + value.lstrip("/")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise DestinationError("Only web addresses (http:// or https://) can be a destination.")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or ("." not in host and host != "localhost"):
        raise DestinationError("That address has no valid host name, e.g. example.com.")
    if parts.username or parts.password:
        raise DestinationError("Addresses with a user name or password are not allowed.")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise DestinationError("That address has an invalid port number.") from None
    canonical = canonical_host(parts.hostname or "")
    if canonical is None:
        raise DestinationError("That address has no valid host name, e.g. example.com.")
    if OwnAddresses.of(own_hosts).loops(canonical, port):
        raise DestinationError("That address points back at a qrapp short link, which would loop.")
    return value


def _looks_like_host_port(value: str) -> bool:
    # "example.com:8080/x" has a colon but no scheme.
    return bool(re.match(r"^[a-z0-9.-]+\.[a-z]{2,}:\d+", value, re.IGNORECASE))


def sendable(stored: str, *, own_hosts: OwnHosts = frozenset()) -> bool:
    """Whether a destination read from storage may be sent as a Location: it must be
    exactly what normalise_destination makes of it (a changed value means a row written
    behind the app's back). The edge and the "Simulate a scan" panel both ask this."""
    try:
        return bool(stored) and normalise_destination(stored, own_hosts=own_hosts) == stored
    except DestinationError:
        return False
