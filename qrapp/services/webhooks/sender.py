"""One webhook POST to a checked address: the connection goes to an address that
addresses.check passed (the Host header and TLS name stay the endpoint's), redirects are
not followed, timeouts are short and at most 64 KB of the answer is read."""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass

import httpx

from qrapp.services.webhooks.addresses import Target

CONNECT_TIMEOUT = 3.0
TOTAL_TIMEOUT = 10.0
MAX_READ = 64 * 1024
HEAD_KEPT = 1024  # what the delivery log keeps of the answer
USER_AGENT = "qrapp-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    response_head: str
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _pinned_url(target: Target, address: str) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"{target.scheme}://{host}:{target.port}{target.path}"


def post(
    target: Target, headers: dict[str, str], body: str, *, verify: ssl.SSLContext | bool = True
) -> Outcome:
    """POST `body`; `verify` is the system's CAs (tests pass their own CA's context)."""
    started = time.monotonic()
    deadline = started + TOTAL_TIMEOUT

    def elapsed_ms() -> int:
        return int((time.monotonic() - started) * 1000)

    request_headers = {
        **headers,
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    # httpcore gives the TLS layer this name for SNI and the certificate check, while the
    # socket connects to the address in the URL.
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    timeout = httpx.Timeout(TOTAL_TIMEOUT, connect=CONNECT_TIMEOUT)
    try:
        with httpx.Client(
            timeout=timeout, follow_redirects=False, trust_env=False, verify=verify
        ) as client:
            request = client.build_request(
                "POST",
                _pinned_url(target, target.addresses[0]),
                headers=request_headers,
                content=body.encode(),
                extensions=extensions,
            )
            response = client.send(request, stream=True)
            try:
                chunks, size = [], 0
                for chunk in response.iter_raw():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= MAX_READ or time.monotonic() > deadline:
                        break  # enough to log; the rest is not ours to wait for
            finally:
                response.close()
            head = b"".join(chunks)[:HEAD_KEPT].decode("utf-8", "replace")
            return Outcome(response.status_code, head, elapsed_ms())
    except httpx.TimeoutException:
        return Outcome(None, "", elapsed_ms(), "The endpoint did not answer in time.")
    except httpx.HTTPError as exc:
        return Outcome(None, "", elapsed_ms(), f"Could not connect: {exc}"[:300])
