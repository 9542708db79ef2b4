"""The sender connects to the checked address but speaks TLS to the endpoint's name: the
certificate is checked against the name (SNI too) and the Host header carries it."""

from __future__ import annotations

import ssl

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from qrapp.services.webhooks import sender
from qrapp.services.webhooks.addresses import Target
from tests.support.tls_app import https_app
from tests.support.tls_certs import make_pki

pytestmark = pytest.mark.integration


async def _echo(request):
    return JSONResponse({"host": request.headers["host"], "body": (await request.body()).decode()})


@pytest.fixture(scope="module")
def tls_receiver(tmp_path_factory):
    certs = make_pki(tmp_path_factory.mktemp("pki"), client_cn="unused")
    app = Starlette(routes=[Route("/hooks", _echo, methods=["POST"])])
    with https_app(app, certs.server) as url:
        yield int(url.rsplit(":", 1)[1]), ssl.create_default_context(cafile=str(certs.ca))


def test_the_name_is_verified_while_the_checked_address_is_dialled(tls_receiver):
    port, trust = tls_receiver
    # "localhost" is on the certificate; the socket goes to the address we checked.
    target = Target("https", "localhost", port, "/hooks", ("127.0.0.1",))
    out = sender.post(target, {"webhook-id": "msg_1"}, '{"a":1}', verify=trust)
    assert out.ok, out
    assert f'"host":"localhost:{port}"' in out.response_head
    assert '"body":"{\\"a\\":1}"' in out.response_head


def test_a_certificate_for_another_name_is_refused(tls_receiver):
    port, trust = tls_receiver
    # The certificate also names 127.0.0.1: verifying the dialled address would pass.
    target = Target("https", "hooks.example.com", port, "/hooks", ("127.0.0.1",))
    out = sender.post(target, {}, "{}", verify=trust)
    assert out.status_code is None
    assert "certificate" in out.error.lower() or "hostname" in out.error.lower()


def test_the_answer_read_is_capped(tls_receiver):
    port, trust = tls_receiver
    target = Target("https", "localhost", port, "/hooks", ("127.0.0.1",))
    out = sender.post(target, {}, "x" * 200_000, verify=trust)
    assert out.ok
    assert len(out.response_head) == sender.HEAD_KEPT
