"""What a person types as a domain, checked and brought to one form: lower case, IDNA
("xn--") labels, no scheme, path, port or trailing dot."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from qrapp.services.errors import FieldErrors
from qrapp.settings import get_settings

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def edge_host() -> str:
    """The name customers' CNAME records point to."""
    s = get_settings()
    return (s.domains_edge_host or urlsplit(s.edge_url).hostname or "").lower().rstrip(".")


def own_hosts() -> frozenset[str]:
    s = get_settings()
    names = {edge_host()}
    for url in (s.edge_url, s.app_url, s.api_url):
        host = (urlsplit(url).hostname or "").lower()
        if host:
            names.add(host)
    return frozenset(names - {""})


def normalise(raw: str) -> str:
    """The host name to store, or FieldErrors({"hostname": why}) for a person."""
    text = (raw or "").strip().lower()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/", 1)[0].rstrip(".")
    if not text:
        raise FieldErrors({"hostname": "Enter a domain, for example go.example.com."})
    if ":" in text or _is_ip(text):
        raise FieldErrors({"hostname": "Enter a domain name, not an IP address or a port."})
    try:
        ascii_name = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise FieldErrors({"hostname": f"'{raw.strip()}' is not a valid domain name."}) from None
    labels = ascii_name.split(".")
    if len(labels) < 2 or len(ascii_name) > 253 or not all(_LABEL.match(x) for x in labels):
        raise FieldErrors({"hostname": f"'{raw.strip()}' is not a valid domain name."})
    if labels[-1].isdigit():
        raise FieldErrors({"hostname": "Enter a domain name, not an IP address or a port."})
    for own in own_hosts():
        if ascii_name == own or ascii_name.endswith("." + own):
            raise FieldErrors({"hostname": "That name is ours; enter a domain of your own."})
    return ascii_name


def display(hostname: str) -> str:
    """The name as people read it (Unicode labels)."""
    try:
        return hostname.encode("ascii").decode("idna")
    except UnicodeError:
        return hostname


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True
