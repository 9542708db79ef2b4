"""Caddy in front of the edge (issue 17 §2), for real: the shipped deploy/Caddyfile run by
Debian's caddy on free ports with its internal CA (`local_certs`) and its own storage
under tmp, proxying to a real edge process. A TLS handshake with the SNI of a verified
custom domain gets a certificate that Caddy's root (and only it) vouches for, and the
request through it gets the code's redirect; a handshake for a name nobody verified gets
no certificate at all, because the edge's ask endpoint said no.

Caddy is started once per session (it is slow to start and holds its CA); the edge it
proxies to is started per test on the port Caddy was told."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import ssl
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from qrapp.cachebus import announce_code_changed
from qrapp.db import engine, transaction
from qrapp.models.domains import VERIFIED, CustomDomain
from tests.support.processes import ROOT, free_port, start, stop, wait_http
from tests.support.waiting import eventually

pytestmark = [pytest.mark.integration, pytest.mark.production]

VERIFIED_HOST = "go.brand-caddy.test"
UNVERIFIED_HOST = "not-ours.example"


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def caddy(tmp_path_factory) -> Iterator[dict]:
    exe = shutil.which("caddy")
    assert exe, "caddy is not installed: run the suite with scripts/test (it installs it)"
    tmp = tmp_path_factory.mktemp("caddy")
    ports = {"http": free_port(), "https": free_port(), "edge": free_port()}
    env = {
        # Caddy's storage (certificates, the internal CA) and config under tmp, not ~/.
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "HTTP_PORT": str(ports["http"]),
        "HTTPS_PORT": str(ports["https"]),
        "EDGE_UPSTREAM": f"127.0.0.1:{ports['edge']}",
        "APP_HOST": "app.brand-caddy.test",
        "CADDY_ADMIN": "off",
        "CADDY_GLOBAL_EXTRA": "local_certs\nskip_install_trust",
    }
    log = tmp / "caddy.log"
    proc = start(
        [exe, "run", "--config", str(ROOT / "deploy/Caddyfile"), "--adapter", "caddyfile"],
        env,
        log,
    )
    root = tmp / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:
        eventually(
            lambda: (
                (proc.poll() is None or pytest.fail(log.read_text()))
                and _accepting(ports["https"])
                and root.is_file()
            ),
            30,
            interval=0.1,
        )
        yield {"ports": ports, "root": root, "log": log}
    finally:
        stop(proc)


@pytest.fixture
def edge_behind_caddy(caddy, clean_db, tmp_path) -> Iterator[None]:
    env = {k: os.environ[k] for k in os.environ} | {
        "EDGE_TRUSTED_PROXIES": "127.0.0.1",
        "EDGE_URL": "http://edge.brand-caddy.test",
        "SCAN_QUEUE_PATH": str(tmp_path / "scan-queue.sqlite"),
        "SCAN_SPOOL_PATH": str(tmp_path / "scan-spool.sqlite"),
    }
    port = caddy["ports"]["edge"]
    log = tmp_path / "edge.log"
    proc = start([sys.executable, "-m", "qrapp.edge", "--port", str(port)], env, log)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", 30, proc, log)
        yield
    finally:
        stop(proc)


def _verified_domain_with_code(owner_actor, short_code: str) -> None:
    """A domain verified as the domains lane's verification leaves it, and a dynamic code
    on it (made through the service, then moved to the domain)."""
    from qrapp.services.codes import qrcodes

    code = qrcodes.create(
        actor=owner_actor,
        data=qrcodes.CodeInput(
            name="Poster", destination="https://example.com/spring", alias=short_code
        ),
    )
    with transaction() as tx:
        tx.session.add(
            CustomDomain(
                workspace_id=owner_actor.workspace_id,
                hostname=VERIFIED_HOST,
                token="t" * 32,
                status=VERIFIED,
                verified_at=dt.datetime.now(dt.UTC),
            )
        )
    with engine().begin() as conn:
        conn.execute(
            sa.text("UPDATE qr_code SET domain = :d WHERE short_code = :c"),
            {"d": VERIFIED_HOST, "c": short_code},
        )
    assert code.short_code == short_code
    announce_code_changed(VERIFIED_HOST, short_code)


def _tls(caddy: dict, server_name: str) -> ssl.SSLSocket:
    """A TLS connection to Caddy on 127.0.0.1 with this SNI, trusting only Caddy's root."""
    ctx = ssl.create_default_context(cafile=str(caddy["root"]))
    raw = socket.create_connection(("127.0.0.1", caddy["ports"]["https"]), timeout=20)
    try:
        return ctx.wrap_socket(raw, server_hostname=server_name)
    except BaseException:
        raw.close()
        raise


def _get(tls: ssl.SSLSocket, host: str, path: str) -> tuple[int, dict[str, str]]:
    tls.sendall(
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: caddy-test\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = tls.recv(65536)
        if not chunk:
            break
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def test_a_verified_domain_gets_a_certificate_and_the_redirect_an_unknown_name_none(
    caddy, edge_behind_caddy
):
    from tests.integration.helpers import actor, sign_up_and_session

    owner_actor = actor(sign_up_and_session("caddy-owner@brand.example", "Owner"))
    _verified_domain_with_code(owner_actor, "spring")

    started = time.monotonic()
    tls = _tls(caddy, VERIFIED_HOST)  # the certificate is issued during this handshake
    try:
        cert = tls.getpeercert()
        names = [v for k, v in cert["subjectAltName"] if k == "DNS"]
        assert names == [VERIFIED_HOST]
        issuer = dict(x[0] for x in cert["issuer"])
        assert "Caddy Local Authority" in issuer["commonName"]
        status, headers = _get(tls, VERIFIED_HOST, "/spring")
    finally:
        tls.close()
    assert status == 302, headers
    assert headers["location"] == "https://example.com/spring"
    assert headers.get("strict-transport-security", "").startswith("max-age=")
    assert time.monotonic() - started < 20

    # Nobody verified this name: the ask endpoint says 404, Caddy issues nothing, and
    # the handshake fails (no certificate for it, from any CA).
    with pytest.raises(ssl.SSLError):
        _tls(caddy, UNVERIFIED_HOST).close()
    assert not list(Path(caddy["root"]).parents[3].rglob(f"*{UNVERIFIED_HOST}*"))
