"""Custom domains through the services: add, the records shown, verification against a
real DNS server (missing TXT, wrong token, CNAME elsewhere, success), the beat's re-check
turning a domain "lost" with an e-mail, two workspaces claiming one name, tenancy, plans,
and codes choosing their domain."""

from __future__ import annotations

import datetime as dt

import pytest

from qrapp.db import transaction
from qrapp.models.audit import AuditAction
from qrapp.models.domains import CustomDomain
from qrapp.models.types import utcnow
from qrapp.services.codes import qrcodes
from qrapp.services.domains import live, manage, rechecks, verification
from qrapp.services.errors import FieldErrors, NotFound, ServiceError
from tests.integration.domains.conftest import EDGE_HOST, new_owner, publish, unpublish
from tests.support.environment import patched_env


def _status(domain_id) -> CustomDomain:
    with transaction() as tx:
        return tx.session.get(CustomDomain, domain_id)


def _make_due(domain_id) -> None:
    with transaction() as tx:
        row = tx.session.get(CustomDomain, domain_id)
        row.next_check_at = utcnow() - dt.timedelta(seconds=1)


def test_verification_walks_missing_wrong_elsewhere_then_success(dns):
    owner = new_owner()
    added = manage.add_domain(actor=owner, hostname="  HTTPS://Go.Shop-One.test/menu ")
    assert added.hostname == "go.shop-one.test"
    assert added.status == "pending"
    token = _status(added.id).token
    assert token.startswith("qrapp-")
    assert [(r.type, r.name, r.value) for r in added.records] == [
        ("CNAME", "go.shop-one.test", EDGE_HOST),
        ("TXT", "_qrapp-challenge.go.shop-one.test", token),
    ]

    missing = manage.check_now(actor=owner, domain_id=added.id)
    assert missing.status == "failed"
    assert missing.reason == "TXT record not found at _qrapp-challenge.go.shop-one.test."

    dns.set("_qrapp-challenge.go.shop-one.test", "TXT", "not-the-token")
    wrong = manage.check_now(actor=owner, domain_id=added.id)
    assert "does not hold this domain's token" in wrong.reason

    publish(dns, "go.shop-one.test", token, target="somewhere-else.test")
    elsewhere = manage.check_now(actor=owner, domain_id=added.id)
    assert elsewhere.status == "failed"
    assert elsewhere.reason == f"CNAME points to somewhere-else.test, not {EDGE_HOST}."

    publish(dns, "go.shop-one.test", token)
    ok = manage.check_now(actor=owner, domain_id=added.id)
    assert ok.status == "verified"
    assert ok.reason == ""
    assert ok.verified_at is not None
    assert _status(added.id).next_check_at > utcnow() + dt.timedelta(hours=23)


def test_beat_recheck_loses_a_domain_whose_records_went_and_mails_the_owner(dns, mail):
    owner = new_owner()
    added = manage.add_domain(actor=owner, hostname="qr.lost-shop.test")
    publish(dns, "qr.lost-shop.test", added.records[1].value)
    manage.check_now(actor=owner, domain_id=added.id)
    manage.set_default(actor=owner, domain_id=added.id)
    code = qrcodes.create(
        actor=owner, data=qrcodes.CodeInput(name="Menu", destination="https://example.com/")
    )
    assert code.domain == "qr.lost-shop.test"  # the default domain
    live.forget()
    assert qrcodes.short_url(code) == f"https://qr.lost-shop.test/{code.short_code}"

    unpublish(dns, "qr.lost-shop.test")
    _make_due(added.id)
    assert rechecks.recheck_due() == 1
    row = _status(added.id)
    assert row.status == "lost"
    assert "TXT record not found" in row.reason
    assert row.is_default is False
    live.forget()
    assert qrcodes.short_url(code).endswith(f"/{code.short_code}")
    assert "qr.lost-shop.test" not in qrcodes.short_url(code)  # fell back to ours
    msg = mail.wait_for(owner.email, "is no longer verified")
    assert "qr.lost-shop.test" in msg.get_payload()

    # Records back: the next re-check verifies it again.
    publish(dns, "qr.lost-shop.test", row.token)
    _make_due(added.id)
    rechecks.recheck_due()
    assert _status(added.id).status == "verified"


def test_pending_domains_are_retried_with_backoff(dns):
    owner = new_owner()
    added = manage.add_domain(actor=owner, hostname="slow.shop.test")
    gaps = []
    for _ in range(3):
        _make_due(added.id)
        before = utcnow()
        rechecks.recheck_due()
        gaps.append(_status(added.id).next_check_at - before)
    assert gaps[0] < gaps[1] < gaps[2]
    assert _status(added.id).attempts == 3


def test_a_second_workspace_takes_the_name_only_with_its_own_txt(dns, mail):
    first, second = new_owner(), new_owner()
    a = manage.add_domain(actor=first, hostname="shared.brand.test")
    publish(dns, "shared.brand.test", a.records[1].value)
    assert manage.check_now(actor=first, domain_id=a.id).status == "verified"

    b = manage.add_domain(actor=second, hostname="shared.brand.test")
    assert b.records[1].value != a.records[1].value
    # Only the first workspace's token is there: no proof for the second.
    assert manage.check_now(actor=second, domain_id=b.id).status == "failed"
    assert _status(a.id).status == "verified"

    # An HTTP proof cannot take a name another workspace verified (the CNAME already
    # points at us, so serving a token proves nothing).
    with transaction() as tx:
        tx.session.get(CustomDomain, b.id).proof = "http"
    with transaction() as tx:
        row = tx.session.get(CustomDomain, b.id)
        verification.apply_result(tx, row, verification.Check(True, "served"), utcnow())
    assert _status(b.id).reason == verification.HTTP_CANNOT_MOVE
    with transaction() as tx:
        tx.session.get(CustomDomain, b.id).proof = "dns"

    dns.add("_qrapp-challenge.shared.brand.test", "TXT", b.records[1].value)
    assert manage.check_now(actor=second, domain_id=b.id).status == "verified"
    old = _status(a.id)
    assert old.status == "lost"
    assert old.reason == verification.MOVED_REASON
    mail.wait_for(first.email, "moved to another workspace")
    with transaction() as tx:
        from sqlmodel import select

        from qrapp.models import AuditLog

        actions = set(
            tx.session.exec(
                select(AuditLog.action).where(AuditLog.workspace_id == first.workspace_id)
            ).all()
        )
    assert {
        AuditAction.DOMAIN_ADDED,
        AuditAction.DOMAIN_VERIFIED,
        AuditAction.DOMAIN_MOVED,
    } <= actions


def test_another_workspaces_domain_is_not_found(dns):
    first, second = new_owner(), new_owner()
    a = manage.add_domain(actor=first, hostname="mine.brand.test")
    for call in (
        lambda: manage.get_domain(actor=second, domain_id=a.id),
        lambda: manage.check_now(actor=second, domain_id=a.id),
        lambda: manage.remove_domain(actor=second, domain_id=a.id),
        lambda: manage.set_default(actor=second, domain_id=a.id),
        lambda: manage.update_settings(
            actor=second, domain_id=a.id, root_redirect_url="", not_found_url="", robots="deny"
        ),
    ):
        with pytest.raises(NotFound):
            call()
    assert [d.hostname for d in manage.list_domains(actor=second)] == []
    assert _status(a.id).robots == "allow"


def test_plan_limits_and_bad_names(dns):
    free = new_owner(plan=None)
    with pytest.raises(ServiceError, match="has no custom domains"):
        manage.add_domain(actor=free, hostname="free.brand.test")
    owner = new_owner()
    with patched_env({"DOMAINS_PER_PLAN": "business:1"}):
        manage.add_domain(actor=owner, hostname="one.brand.test")
        with pytest.raises(ServiceError, match="allows 1 custom domain;"):
            manage.add_domain(actor=owner, hostname="two.brand.test")
    for bad, message in [
        ("", "Enter a domain"),
        ("192.0.2.1", "not an IP address"),
        ("no_underscores.test", "not a valid domain name"),
        ("localhost", "not a valid domain name"),
        (EDGE_HOST, "ours"),
        ("one.brand.test", "already added"),
    ]:
        with pytest.raises(FieldErrors, match=message):
            manage.add_domain(actor=owner, hostname=bad)
    unicode = manage.add_domain(actor=owner, hostname="Bücher.Brand.test")
    assert unicode.hostname == "xn--bcher-kva.brand.test"
    assert unicode.display == "bücher.brand.test"


def test_codes_choose_a_verified_domain_only(dns):
    owner = new_owner()
    added = manage.add_domain(actor=owner, hostname="links.brand.test")
    with pytest.raises(FieldErrors, match="verified domains"):
        qrcodes.create(
            actor=owner,
            data=qrcodes.CodeInput(
                name="A", destination="https://example.com/", domain="links.brand.test"
            ),
        )
    publish(dns, "links.brand.test", added.records[1].value)
    manage.check_now(actor=owner, domain_id=added.id)
    code = qrcodes.create(
        actor=owner,
        data=qrcodes.CodeInput(
            name="B", destination="https://example.com/", domain="links.brand.test", alias="menu1"
        ),
    )
    live.forget()
    assert qrcodes.short_url(code) == "https://links.brand.test/menu1"
    ours = qrcodes.create(
        actor=owner, data=qrcodes.CodeInput(name="C", destination="https://example.com/")
    )
    assert ours.domain == ""  # no default domain set
    with pytest.raises(FieldErrors, match="already taken"):
        qrcodes.create(
            actor=owner,
            data=qrcodes.CodeInput(name="D", destination="https://example.com/", alias="menu1"),
        )


def test_settings_are_checked(dns):
    owner = new_owner()
    added = manage.add_domain(actor=owner, hostname="cfg.brand.test")
    with pytest.raises(FieldErrors) as info:
        manage.update_settings(
            actor=owner,
            domain_id=added.id,
            root_redirect_url="javascript:alert(1)",
            not_found_url="https://brand.example/404",
            robots="maybe",
        )
    assert set(info.value.errors) == {"root_redirect_url", "robots"}
    saved = manage.update_settings(
        actor=owner,
        domain_id=added.id,
        root_redirect_url="brand.example",
        not_found_url="",
        robots="deny",
    )
    assert saved.root_redirect_url.startswith("https://brand.example")
    assert saved.robots == "deny"
    with pytest.raises(ServiceError, match="Only a verified domain"):
        manage.set_default(actor=owner, domain_id=added.id)


def test_a_page_moves_to_a_verified_domain_only(dns):
    from qrapp.services.domains import page_domains
    from qrapp.services.pages import editing

    owner = new_owner()
    page = editing.create_page(actor=owner, name="Menu")
    with pytest.raises(FieldErrors, match="verified domains"):
        page_domains.set_page_domain(actor=owner, page_id=page.id, domain="pages.shop.test")
    added = manage.add_domain(actor=owner, hostname="pages.shop.test")
    publish(dns, "pages.shop.test", _status(added.id).token)
    manage.check_now(actor=owner, domain_id=added.id)
    assert (
        page_domains.set_page_domain(actor=owner, page_id=page.id, domain="pages.shop.test")
        == "pages.shop.test"
    )
    # Another page with the same address cannot follow it there.
    twin = editing.create_page(actor=owner, name="Menu")
    with transaction() as tx:
        from qrapp.models import LandingPage

        tx.session.get(LandingPage, twin.id).slug = page.slug + "-x"
        tx.session.get(LandingPage, page.id).slug = page.slug + "-x"
    with pytest.raises(FieldErrors, match="already uses"):
        page_domains.set_page_domain(actor=owner, page_id=twin.id, domain="pages.shop.test")
    other = new_owner()
    with pytest.raises(NotFound):
        page_domains.set_page_domain(actor=other, page_id=page.id, domain="")
