"""An existing code changes its domain (services.codes.code_domain) and the REST API takes
`domain` on create, batch create and update: verified domains of the workspace only, the
short code free on the new domain, an audit row, `short_url` following; refusals change
nothing and answer problem+json with the field. The edge side: tests/integration/edge/
test_custom_domains.py; in a browser: tests/e2e/test_domains.py."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import col, func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.core.permissions import Role
from qrapp.db import engine, read_session
from qrapp.models import AuditLog, QRCode
from qrapp.models.audit import AuditAction
from qrapp.services import api_keys
from qrapp.services.codes import qrcodes
from qrapp.services.domains import live, manage
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied, ServiceError
from qrapp.services.workspaces import workspaces
from tests.integration.domains.conftest import new_owner, publish
from tests.integration.helpers import actor, add_member, sign_up_and_session

pytestmark = pytest.mark.integration

MENU = "https://example.com/menu"


def _verified(dns, owner, hostname: str) -> str:
    added = manage.add_domain(actor=owner, hostname=hostname)
    publish(dns, hostname, added.records[1].value)
    assert manage.check_now(actor=owner, domain_id=added.id).status == "verified"
    live.forget()
    return hostname


def _code(owner, **kw) -> QRCode:
    return qrcodes.create(
        actor=owner,
        data=qrcodes.CodeInput(name=f"C {uuid.uuid4().hex[:6]}", destination=MENU, **kw),
    )


def _stored(code_id) -> QRCode:
    with read_session() as s:
        row = s.get(QRCode, code_id)
        assert row is not None
        return row


def _domain_audits(code_id) -> list[dict]:
    with read_session() as s:
        return [
            r.details
            for r in s.exec(
                select(AuditLog)
                .where(
                    AuditLog.action == AuditAction.QR_DOMAIN_CHANGED,
                    AuditLog.target_id == str(code_id),
                )
                .order_by(col(AuditLog.created_at))
            ).all()
        ]


def test_an_editor_moves_a_code_between_domains_and_back(dns):
    owner = new_owner()
    first = _verified(dns, owner, "go.first-shop.test")
    second = _verified(dns, owner, "go.second-shop.test")
    code = _code(owner, alias="spring-menu")
    assert code.domain == ""

    moved = qrcodes.change_domain(actor=owner, code_id=code.id, domain="GO.First-Shop.test.")
    assert moved.domain == first
    assert qrcodes.short_url(moved) == f"https://{first}/spring-menu"
    assert qrcodes.code_text(moved) == f"https://{first}/spring-menu"  # images and downloads

    qrcodes.change_domain(actor=owner, code_id=code.id, domain=second)
    # The same domain again changes nothing and writes no audit row.
    qrcodes.change_domain(actor=owner, code_id=code.id, domain=second)
    back = qrcodes.change_domain(actor=owner, code_id=code.id, domain="")
    assert back.domain == ""
    assert _stored(code.id).domain == ""
    assert qrcodes.short_url(back).endswith("/spring-menu")
    assert "shop.test" not in qrcodes.short_url(back)
    assert _domain_audits(code.id) == [
        {"from": "", "to": first},
        {"from": first, "to": second},
        {"from": second, "to": ""},
    ]


def test_refusals_change_nothing(dns):
    owner, stranger = new_owner(), new_owner()
    mine = _verified(dns, owner, "links.mine-shop.test")
    theirs = _verified(dns, stranger, "links.their-shop.test")
    pending = manage.add_domain(actor=owner, hostname="wait.mine-shop.test").hostname
    code = _code(owner)

    for name in (pending, theirs, "never-added.test", "not a domain!"):
        with pytest.raises(FieldErrors) as info:
            qrcodes.change_domain(actor=owner, code_id=code.id, domain=name)
        assert "is not one of your verified domains" in info.value.errors["domain"]
    static = qrcodes.create(
        actor=owner,
        data=qrcodes.CodeInput(
            name="Wifi", content_type="text", payload={"text": "hi"}, is_dynamic=False
        ),
    )
    with pytest.raises(ServiceError, match="static code has no short link") as info:
        qrcodes.change_domain(actor=owner, code_id=static.id, domain=mine)
    assert info.value.field == "domain"
    # Another workspace's code is "not found", even onto the stranger's own domain.
    with pytest.raises(NotFound):
        qrcodes.change_domain(actor=stranger, code_id=code.id, domain=theirs)
    viewer_token = sign_up_and_session(f"viewer-{uuid.uuid4().hex[:6]}@example.com")
    add_member(owner.workspace_id, actor(viewer_token).user_id, Role.VIEWER)
    workspaces.switch(actor=actor(viewer_token), workspace_id=owner.workspace_id)
    with pytest.raises(PermissionDenied):
        qrcodes.change_domain(actor=actor(viewer_token), code_id=code.id, domain=mine)
    assert _stored(code.id).domain == ""
    assert _stored(static.id).domain == ""
    assert _domain_audits(code.id) == []


def test_a_short_code_another_code_uses_on_that_domain_is_refused(dns):
    owner = new_owner()
    shop = _verified(dns, owner, "qr.twin-shop.test")
    ours = _code(owner, alias="twin")
    there = _code(owner, alias="twin-2", domain=shop)
    # Codes made before short codes were kept unique across domains may share one (the
    # database holds (domain, short_code) unique only).
    with engine().begin() as conn:
        conn.execute(sa.text("UPDATE qr_code SET short_code = 'twin' WHERE short_code = 'twin-2'"))
    with pytest.raises(FieldErrors) as info:
        qrcodes.change_domain(actor=owner, code_id=ours.id, domain=shop)
    assert info.value.errors == {
        "domain": f"The short link 'twin' is already used by another code on {shop}, "
        "so this code cannot move there."
    }
    assert _stored(ours.id).domain == ""
    assert _stored(there.id).domain == shop
    with pytest.raises(FieldErrors, match="already used by another code on our domain"):
        qrcodes.change_domain(actor=owner, code_id=there.id, domain="")


# --- the REST API ---------------------------------------------------------------------


@pytest.fixture
def api():
    return TestClient(transform(Starlette()), follow_redirects=False)


def _key(owner) -> dict[str, str]:
    token = api_keys.create_key(actor=owner, name="k", scopes=["codes:write"]).token
    return {"Authorization": f"Bearer {token}"}


def _field_errors(answer) -> dict[str, str]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    return {e["field"]: e["message"] for e in answer.json()["errors"]}


def _count(workspace_id) -> int:
    with read_session() as s:
        return s.exec(
            select(func.count()).select_from(QRCode).where(QRCode.workspace_id == workspace_id)
        ).one()


def test_api_create_and_batch_take_a_domain(dns, api):
    owner, stranger = new_owner(), new_owner()
    shop = _verified(dns, owner, "go.api-shop.test")
    theirs = _verified(dns, stranger, "go.api-theirs.test")
    key = _key(owner)

    made = api.post(
        "/api/v1/codes",
        json={"name": "Menu", "destination": MENU, "alias": "api-menu", "domain": shop},
        headers=key,
    )
    assert made.status_code == 201, made.text
    assert made.json()["domain"] == shop
    assert made.json()["short_url"] == f"https://{shop}/api-menu"
    plain = api.post("/api/v1/codes", json={"name": "Plain", "destination": MENU}, headers=key)
    assert plain.json()["domain"] == ""  # no default domain: ours

    before = _count(owner.workspace_id)
    refused = api.post(
        "/api/v1/codes", json={"name": "X", "destination": MENU, "domain": theirs}, headers=key
    )
    assert "is not one of your verified domains" in _field_errors(refused)["domain"]
    static = api.post(
        "/api/v1/codes",
        json={
            "name": "S",
            "dynamic": False,
            "content_type": "text",
            "payload": {"text": "hi"},
            "domain": shop,
        },
        headers=key,
    )
    assert _field_errors(static) == {
        "domain": "Only dynamic codes have a short link, so only they have a domain."
    }

    batch = api.post(
        "/api/v1/codes/batch",
        json={
            "items": [
                {"name": "B0", "destination": MENU, "domain": shop},
                {"name": "B1", "destination": MENU, "domain": "wait.api-shop.test"},
                {"name": "B2", "destination": MENU, "domain": ""},
                {"name": "B3", "destination": MENU, "domain": theirs},
            ]
        },
        headers=key,
    )
    assert set(_field_errors(batch)) == {"items.1.domain", "items.3.domain"}
    assert _count(owner.workspace_id) == before  # all or nothing

    ok = api.post(
        "/api/v1/codes/batch",
        json={
            "items": [
                {"name": "B0", "destination": MENU, "domain": shop},
                {"name": "B2", "destination": MENU, "domain": ""},
            ]
        },
        headers=key,
    )
    assert ok.status_code == 201, ok.text
    items = ok.json()["items"]
    assert [i["domain"] for i in items] == [shop, ""]
    assert items[0]["short_url"] == f"https://{shop}/{items[0]['short_code']}"
    assert shop not in items[1]["short_url"]


def test_api_update_moves_a_code_and_refusals_change_nothing(dns, api):
    owner, stranger = new_owner(), new_owner()
    shop = _verified(dns, owner, "go.patch-shop.test")
    key = _key(owner)
    code = _code(owner, alias="patch-me")

    moved = api.patch(f"/api/v1/codes/{code.id}", json={"domain": shop}, headers=key)
    assert moved.status_code == 200, moved.text
    assert moved.json()["short_url"] == f"https://{shop}/patch-me"
    got = api.get(f"/api/v1/codes/{code.id}", headers=key)
    assert got.json()["domain"] == shop

    # A refused domain refuses the whole request: the name sent with it is not saved.
    refused = api.patch(
        f"/api/v1/codes/{code.id}",
        json={"name": "Renamed", "domain": "wait.patch-shop.test"},
        headers=key,
    )
    assert "is not one of your verified domains" in _field_errors(refused)["domain"]
    assert _stored(code.id).name == code.name
    assert _stored(code.id).domain == shop

    back = api.patch(f"/api/v1/codes/{code.id}", json={"domain": None}, headers=key)
    assert back.json()["domain"] == ""
    assert back.json()["short_url"].endswith("/patch-me")
    assert shop not in back.json()["short_url"]

    theirs = api.patch(f"/api/v1/codes/{code.id}", json={"domain": ""}, headers=_key(stranger))
    assert theirs.status_code == 404
    assert _domain_audits(code.id) == [{"from": "", "to": shop}, {"from": shop, "to": ""}]


def test_a_copy_stays_on_the_originals_domain_while_the_workspace_holds_it(dns):
    owner = new_owner()
    shop = _verified(dns, owner, "go.copy-shop.test")
    on_shop = _code(owner, domain=shop)
    on_ours = _code(owner, domain="")
    manage.set_default(actor=owner, domain_id=next(d.id for d in manage.list_domains(actor=owner)))
    assert qrcodes.duplicate(actor=owner, code_id=on_shop.id).domain == shop
    # Ours was chosen for the original, so the copy keeps ours over the new default.
    assert qrcodes.duplicate(actor=owner, code_id=on_ours.id).domain == ""
    # A domain the workspace no longer holds: the copy goes to the default (ours now).
    manage.remove_domain(
        actor=owner, domain_id=next(d.id for d in manage.list_domains(actor=owner))
    )
    live.forget()
    copy = qrcodes.duplicate(actor=owner, code_id=on_shop.id)
    assert copy.domain == ""
    assert copy.short_code != on_shop.short_code
