"""DNS proofs with dnspython: a TXT token at `_qrapp-challenge.<name>` and a CNAME (or, at
an apex, A/AAAA records) pointing at our edge host.

Each check answers a `Check` whose reason is a sentence for a person. A lookup that could
not be made (timeout, no server answered) is `temporary`: the caller retries it later and
keeps the domain's state instead of calling it failed or lost.

The resolver asks the servers of the setting DNS_NAMESERVERS ("host:port,host:port"; empty
means the system resolver), which lets the tests point it at tests/support/dns_server.py.
Shared with the SSO lane (the e-mail domain's TXT proof).
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.exception
import dns.name
import dns.nameserver
import dns.resolver

from qrapp.settings import get_settings

CHALLENGE_PREFIX = "_qrapp-challenge"
# A check runs in a request ("Check now") or a beat job: a dead server must not hold either
# for long; the beat job retries anyway.
_LIFETIME_SECONDS = 4.0


@dataclass(frozen=True)
class Check:
    ok: bool
    reason: str
    temporary: bool = False  # the lookup itself failed: try again, change nothing


def challenge_name(name: str, prefix: str = CHALLENGE_PREFIX) -> str:
    return f"{prefix}.{_plain(name)}"


def txt_proof(
    name: str,
    token: str,
    *,
    nameservers: list[tuple[str, int]] | None = None,
    prefix: str = CHALLENGE_PREFIX,
) -> Check:
    """Whether a TXT record at `<prefix>.<name>` holds exactly `token` (other TXT records
    there, e.g. another workspace's token, are allowed)."""
    where = challenge_name(name, prefix)
    answer = _lookup(where, "TXT", nameservers)
    if isinstance(answer, Check):
        if not answer.temporary:
            return Check(False, f"TXT record not found at {where}.")
        return answer
    values = {b"".join(rdata.strings).decode("utf-8", "replace").strip() for rdata in answer}
    if token in values:
        return Check(True, f"TXT record at {where} holds the token.")
    return Check(False, f"TXT record at {where} does not hold this domain's token.")


def cname_target(
    name: str,
    expected: str,
    *,
    nameservers: list[tuple[str, int]] | None = None,
) -> Check:
    """Whether `name` is a CNAME to `expected`; for a name without a CNAME (an apex), whether
    its A/AAAA addresses are all among `expected`'s."""
    name, expected = _plain(name), _plain(expected)
    answer = _lookup(name, "CNAME", nameservers)
    if not isinstance(answer, Check):
        target = _plain(str(answer[0].target))
        if target == expected:
            return Check(True, f"CNAME points to {expected}.")
        return Check(False, f"CNAME points to {target}, not {expected}.")
    if answer.temporary:
        return answer
    theirs = _addresses(name, nameservers)
    if isinstance(theirs, Check):
        if theirs.temporary:
            return theirs
        return Check(False, f"No CNAME or A/AAAA record found at {name}.")
    ours = _addresses(expected, nameservers)
    if isinstance(ours, Check):
        # Our own host without an address is our fault, not the customer's: retry later.
        return ours if ours.temporary else Check(False, f"{expected} has no address.", True)
    if theirs <= ours:
        return Check(True, f"A/AAAA records of {name} point to {expected}.")
    stray = ", ".join(sorted(theirs - ours))
    return Check(False, f"{name} points to {stray}, not to {expected}.")


def configured_nameservers() -> list[tuple[str, int]] | None:
    """DNS_NAMESERVERS as (host, port) pairs; None means the system resolver."""
    raw = get_settings().dns_nameservers.strip()
    if not raw:
        return None
    servers = []
    for item in raw.split(","):
        host, _, port = item.strip().rpartition(":")
        servers.append((host.strip("[]"), int(port)) if host else (item.strip(), 53))
    return servers


def _plain(name: str) -> str:
    return name.strip().rstrip(".").lower()


def _resolver(nameservers: list[tuple[str, int]] | None) -> dns.resolver.Resolver:
    servers = nameservers if nameservers is not None else configured_nameservers()
    if servers is None:
        resolver = dns.resolver.Resolver()
    else:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(h, p) for h, p in servers]
    resolver.lifetime = _LIFETIME_SECONDS
    # Answers cached by a system resolver could hide a record just created; ours has none.
    resolver.cache = None
    return resolver


def _lookup(name: str, rdtype: str, nameservers: list[tuple[str, int]] | None):
    """The answer, or a Check saying why there is none (temporary when nobody answered)."""
    try:
        return _resolver(nameservers).resolve(name, rdtype, search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return Check(False, f"No {rdtype} record found at {name}.")
    except dns.name.LabelTooLong:
        return Check(False, f"{name} is not a valid DNS name.")
    except (dns.resolver.NoNameservers, dns.exception.Timeout, dns.resolver.LifetimeTimeout):
        return Check(False, f"The DNS lookup of {name} failed; we will try again.", True)
    except dns.exception.DNSException as exc:
        return Check(False, f"The DNS lookup of {name} failed ({exc}); we will try again.", True)


def _addresses(name: str, nameservers: list[tuple[str, int]] | None) -> set[str] | Check:
    found: set[str] = set()
    for rdtype in ("A", "AAAA"):
        answer = _lookup(name, rdtype, nameservers)
        if isinstance(answer, Check):
            if answer.temporary:
                return answer
            continue
        found |= {rdata.address for rdata in answer}
    return found or Check(False, f"No A/AAAA record found at {name}.")
