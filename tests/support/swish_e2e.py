"""Swish for the e2e product: the simulator (mTLS) the product's web backend and worker
call, and an https front in the test process that hands the simulator's callbacks to the
product's own backend (which serves plain http in the e2e set-up).

Why a forwarding front and not the product over TLS: the product's web process is the
Reflex production server, started once per session for every e2e test; serving it over
TLS would change how every test and chromium reach it. The front only adds TLS: the
callback is still handled by the product's own route and process, as Swish's would be.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.requests import Request
from starlette.responses import Response

from tests.support.swish_sim import SwishSim, swish_sim
from tests.support.tls_app import https_app
from tests.support.tls_certs import make_pki

PAYEE = "1231181189"  # Swish's documented test merchant number


@dataclass(frozen=True)
class SwishWorld:
    sim: SwishSim
    env: dict[str, str]  # what the product's processes are started with
    callback_front: str  # https base URL the simulator calls back


def _forwarder(target: str):
    """An ASGI app that passes each request on to `target` (same path and body) and
    answers with the target's status and body."""
    client = httpx.AsyncClient(base_url=target, timeout=30)

    async def app(scope, receive, send):
        request = Request(scope, receive)
        upstream = await client.request(
            request.method,
            request.url.path,
            content=await request.body(),
            headers={"content-type": request.headers.get("content-type", "")},
        )
        await Response(upstream.content, status_code=upstream.status_code)(scope, receive, send)

    return app


@contextmanager
def swish_for_product(folder: Path, app_url: str) -> Iterator[SwishWorld]:
    """Certificates under `folder`, the simulator and the https callback front for the
    product at `app_url`."""
    pki = make_pki(folder, client_cn=PAYEE)
    with swish_sim(pki) as sim, https_app(_forwarder(app_url), pki.server) as front:
        env = {
            "SWISH_API_BASE": sim.base_url,
            "SWISH_CERT_FILE": str(pki.client.cert),
            "SWISH_KEY_FILE": str(pki.client.key),
            "SWISH_CA_FILE": str(pki.ca),
            "SWISH_PAYEE_ALIAS": PAYEE,
            "SWISH_CALLBACK_BASE": front,
        }
        yield SwishWorld(sim, env, front)
