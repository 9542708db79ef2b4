"""A tiny authoritative DNS server (dnslib) on 127.0.0.1, UDP and TCP on one free port,
whose records the test edits while it runs: `set(name, type, value)`, `add(...)`,
`clear(name)`. Unknown names answer NXDOMAIN; a known name without the asked type answers
an empty NOERROR; a CNAME is followed within the server's own records, like a real
authoritative server that holds both names."""

from __future__ import annotations

import socket
import threading

from dnslib import AAAA, CNAME, QTYPE, RCODE, RR, TXT, A, DNSRecord
from dnslib.server import BaseResolver, DNSLogger, DNSServer

_RDATA = {"A": A, "AAAA": AAAA, "CNAME": CNAME, "TXT": TXT}
_TTL = 1


def _key(name: str) -> str:
    return name.strip().rstrip(".").lower()


class _Records(BaseResolver):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.records: dict[str, dict[str, list[str]]] = {}

    def resolve(self, request: DNSRecord, handler) -> DNSRecord:
        reply = request.reply()
        reply.header.aa = 1
        name = _key(str(request.q.qname))
        qtype = QTYPE[request.q.qtype]
        with self.lock:
            if name not in self.records:
                reply.header.rcode = RCODE.NXDOMAIN
                return reply
            for _ in range(8):  # follow CNAMEs within our records, never forever
                types = self.records.get(name, {})
                if qtype != "CNAME" and types.get("CNAME"):
                    target = types["CNAME"][0]
                    reply.add_answer(RR(name, QTYPE.CNAME, rdata=CNAME(target), ttl=_TTL))
                    name = _key(target)
                    continue
                for value in types.get(qtype, []):
                    reply.add_answer(
                        RR(name, getattr(QTYPE, qtype), rdata=_RDATA[qtype](value), ttl=_TTL)
                    )
                break
        return reply


class DnsServer:
    def __init__(self) -> None:
        self._records = _Records()
        self.port = _free_port()
        self._servers = [
            DNSServer(
                self._records,
                port=self.port,
                address="127.0.0.1",
                tcp=tcp,
                # Only errors: a line per query would bury the test's own output.
                logger=DNSLogger("-recv,-send,-request,-reply,-truncated,-data"),
            )
            for tcp in (False, True)
        ]

    @property
    def nameservers(self) -> list[tuple[str, int]]:
        return [("127.0.0.1", self.port)]

    @property
    def setting(self) -> str:
        """The value of DNS_NAMESERVERS that points the app at this server."""
        return f"127.0.0.1:{self.port}"

    def start(self) -> DnsServer:
        for server in self._servers:
            server.start_thread()
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.stop()
            server.server.server_close()

    def set(self, name: str, rtype: str, value: str) -> None:
        """Replace every `rtype` record of `name` with this one."""
        with self._records.lock:
            self._records.records.setdefault(_key(name), {})[rtype.upper()] = [value]

    def add(self, name: str, rtype: str, value: str) -> None:
        with self._records.lock:
            self._records.records.setdefault(_key(name), {}).setdefault(rtype.upper(), []).append(
                value
            )

    def clear(self, name: str, rtype: str | None = None) -> None:
        """Remove `name`'s records of `rtype`, or all of them (the name then is NXDOMAIN)."""
        with self._records.lock:
            if rtype is None:
                self._records.records.pop(_key(name), None)
            else:
                self._records.records.get(_key(name), {}).pop(rtype.upper(), None)


def _free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (asked of the OS for TCP, then tried
    for UDP; a rare clash tries again)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no port free for both UDP and TCP")
