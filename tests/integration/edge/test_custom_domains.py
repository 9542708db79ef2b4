"""The edge per custom domain: verified hosts answer their workspace's codes, root
redirect, 404 fallback and robots.txt; every unknown or unverified host gets one neutral
404; Caddy's ask endpoint says yes only for our hosts and verified domains."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from qrapp.cachebus import announce_code_changed, announce_domain_changed
from qrapp.db import engine, transaction
from qrapp.models.domains import PENDING, VERIFIED, CustomDomain
from tests.support.dns_server import DnsServer
from tests.support.environment import patched_env
from tests.support.waiting import eventually


def _domain(workspace_id, hostname: str, status: str = VERIFIED, **extra) -> CustomDomain:
    with transaction() as tx:
        row = CustomDomain(
            workspace_id=workspace_id, hostname=hostname, token="t", status=status, **extra
        )
        tx.session.add(row)
    announce_domain_changed(hostname)
    return row


def _move_code(code, hostname: str) -> None:
    with engine().begin() as conn:
        conn.execute(
            sa.text("UPDATE qr_code SET domain = :d WHERE id = :i"),
            {"d": hostname, "i": code.id.hex if engine().dialect.name == "sqlite" else code.id},
        )
    announce_code_changed(hostname, code.short_code)


def test_verified_host_serves_its_codes_and_settings(edge, owner, make_code):
    code = make_code("https://example.com/menu")
    _domain(
        owner.workspace_id,
        "go.brand.test",
        root_redirect_url="https://brand.example/",
        not_found_url="https://brand.example/missing",
        robots="deny",
    )
    _move_code(code, "go.brand.test")
    host = {"host": "go.brand.test"}
    scan = eventually(
        lambda: (r := edge.get(f"/{code.short_code}", headers=host)).status_code == 302 and r
    )
    assert scan.headers["location"] == "https://example.com/menu"
    assert edge.get("/", headers=host).headers["location"] == "https://brand.example/"
    missing = edge.get("/nosuchcode", headers=host)
    assert missing.status_code == 302
    assert missing.headers["location"] == "https://brand.example/missing"
    robots = edge.get("/robots.txt", headers=host)
    assert robots.text == "User-agent: *\nDisallow: /\n"
    # The same code keeps working on our default domain (the fallback of a lost domain).
    default = edge.get(f"/{code.short_code}")
    assert default.status_code == 302
    assert default.headers["location"] == "https://example.com/menu"


def test_a_code_moved_to_another_domain_switches_hosts_at_once(start_edge, owner, make_code):
    from qrapp.services.codes import qrcodes

    # A long cache: only the change's announcement can make the edge see the move in time.
    edge = start_edge(EDGE_CACHE_SECONDS="300")
    code = make_code("https://example.com/menu")
    _domain(owner.workspace_id, "old.brand.test")
    _domain(owner.workspace_id, "new.brand.test")
    qrcodes.change_domain(actor=owner, code_id=code.id, domain="old.brand.test")
    path = f"/{code.short_code}"

    def status(host: str) -> int:
        return edge.get(path, headers={"host": host}).status_code

    assert eventually(lambda: status("old.brand.test") == 302)
    assert status("new.brand.test") == 404  # and now cached as unknown there
    qrcodes.change_domain(actor=owner, code_id=code.id, domain="new.brand.test")
    assert eventually(lambda: status("new.brand.test") == 302, timeout=3)
    assert eventually(lambda: status("old.brand.test") == 404, timeout=3)
    assert edge.get(path).status_code == 302  # our own host: every code's fallback


def test_unknown_and_unverified_hosts_get_one_neutral_404(edge, owner, make_code):
    code = make_code()
    _domain(owner.workspace_id, "pending.brand.test", status=PENDING)
    _move_code(code, "pending.brand.test")
    answers = [
        edge.get(path, headers={"host": host})
        for host in ("pending.brand.test", "never-added.test", "pending.brand.test:443")
        for path in ("/", f"/{code.short_code}", "/robots.txt", "/p/some-page")
    ]
    assert {(r.status_code, r.text) for r in answers} == {(404, "Not found\n")}


def test_a_code_left_on_a_name_that_moved_is_not_served_there(edge, owner, make_code):
    from tests.integration.helpers import actor, sign_up_and_session

    code = make_code()
    _move_code(code, "moved.brand.test")
    other = actor(sign_up_and_session("other-ws@example.com", "Other"))
    _domain(other.workspace_id, "moved.brand.test")
    answer = eventually(
        lambda: edge.get(f"/{code.short_code}", headers={"host": "moved.brand.test"})
    )
    assert answer.status_code == 404
    assert "location" not in answer.headers


def test_caddy_ask_says_yes_only_for_ours_and_verified(edge, owner):
    _domain(owner.workspace_id, "tls.brand.test")
    _domain(owner.workspace_id, "wait.brand.test", status=PENDING)

    def ask(name: str, **headers: str) -> int:
        return edge.get(f"/_caddy/ask?domain={name}", headers=headers).status_code

    assert eventually(lambda: ask("tls.brand.test") == 200)
    assert ask("edge.qrapp.test") == 200  # our own EDGE_URL host
    assert ask("wait.brand.test") == 404
    assert ask("random.example") == 404
    assert ask("") == 404
    # Relayed by a proxy (the public through Caddy): never answered.
    assert ask("tls.brand.test", **{"x-forwarded-for": "203.0.113.5"}) == 404


def test_http_proof_challenge_is_served_on_the_claimed_host_only(edge, owner):
    row = _domain(owner.workspace_id, "http.brand.test", status=PENDING)
    with transaction() as tx:
        tx.session.get(CustomDomain, row.id).token = "tok-http"
    path = f"/.well-known/qrapp-challenge/{row.id}"
    assert edge.get(path, headers={"host": "http.brand.test"}).text == "tok-http"
    assert edge.get(path, headers={"host": "other.brand.test"}).status_code == 404


def test_an_image_fetched_on_our_host_carries_the_fallback_until_verified(edge, owner, make_code):
    code = make_code()
    _move_code(code, "img.brand.test")

    def decoded() -> str:
        png = edge.get(f"/{code.short_code}.png")
        assert png.status_code == 200
        return zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))[0].text

    assert decoded() == f"http://edge.qrapp.test/{code.short_code}"
    _domain(owner.workspace_id, "img.brand.test")
    assert eventually(lambda: decoded() == f"https://img.brand.test/{code.short_code}")


def test_http_proof_through_the_edge(start_edge, owner, dns_for_edge, private_webhooks):
    # The proof is fetched with the webhooks' address rules; the test edge is on 127.0.0.1.
    from qrapp.services.domains import manage
    from tests.support.plans import give_plan

    give_plan(owner.workspace_id, "business")
    edge = start_edge()
    dns_for_edge.set("http-proof.brand.test", "A", "127.0.0.1")
    with patched_env({"DOMAINS_HTTP_PROOF_PORT": str(edge.port)}):
        added = manage.add_domain(actor=owner, hostname="http-proof.brand.test", proof="http")
        assert added.challenge_url.endswith(f"/.well-known/qrapp-challenge/{added.id}")
        assert [r.type for r in added.records] == ["CNAME"]
        assert manage.check_now(actor=owner, domain_id=added.id).status == "verified"
        # Nobody answers where the name points now: a temporary failure, not a loss.
        dns_for_edge.set("http-proof.brand.test", "A", "127.0.0.2")
        again = manage.check_now(actor=owner, domain_id=added.id)
    assert again.status == "verified"


@pytest.fixture
def dns_for_edge():
    server = DnsServer().start()
    try:
        with patched_env({"DNS_NAMESERVERS": server.setting}):
            yield server
    finally:
        server.stop()


def test_a_page_on_a_verified_domain_is_served_only_for_its_workspace(edge, owner):
    from qrapp.cachebus import announce_page_changed
    from qrapp.services.pages import editing
    from tests.integration.helpers import actor, sign_up_and_session

    page = editing.create_page(actor=owner, name="Menu page")
    editing.publish(actor=owner, page_id=page.id)
    with engine().begin() as conn:
        conn.execute(
            sa.text("UPDATE landing_page SET domain = 'pages.brand.test' WHERE slug = :s"),
            {"s": page.slug},
        )
    announce_page_changed("pages.brand.test", page.slug, str(page.id))
    other = actor(sign_up_and_session("page-other@example.com", "Other"))
    row = _domain(other.workspace_id, "pages.brand.test")
    host = {"host": "pages.brand.test"}
    assert eventually(lambda: edge.get("/", headers=host).status_code == 404)
    assert edge.get(f"/p/{page.slug}", headers=host).status_code == 404
    with transaction() as tx:
        tx.session.get(CustomDomain, row.id).workspace_id = owner.workspace_id
    announce_domain_changed("pages.brand.test")
    assert eventually(lambda: edge.get(f"/p/{page.slug}", headers=host).status_code == 200)
