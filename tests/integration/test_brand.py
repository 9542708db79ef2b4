"""White label (issue 17 §4): the brand service (permissions, plan gating, WCAG contrast
refusal, tenancy) and the brand on the edge's pages through a real edge process: a
white-label workspace's password, expired, landing and lead-form pages carry its brand and
no "qrapp" text; a Pro workspace's keep "Powered by qrapp"; Free shows ours."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import pytest
import sqlalchemy as sa
from PIL import Image

from qrapp.core.permissions import Role
from qrapp.db import engine
from qrapp.models import WorkspaceBrand
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.codes import editing as code_editing
from qrapp.services.errors import FieldErrors, PermissionDenied
from qrapp.services.media import uploads
from qrapp.services.workspaces import brand, workspaces
from tests.integration.edge import conftest as edge_fixtures
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace
from tests.integration.test_leads import publish_lead_page
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

edge_env = edge_fixtures.edge_env
start_edge = edge_fixtures.start_edge
edge = edge_fixtures.edge
owner = edge_fixtures.owner
make_code = edge_fixtures.make_code

ACME = brand.BrandInput(
    name="Acme Coffee",
    primary_colour="#1a4d8f",
    accent_colour="#7a2e0e",
    support_email="help@acme.example",
)


def set_plan(workspace_id, plan_id: str) -> None:
    with engine().begin() as conn:
        conn.execute(
            sa.text("UPDATE workspace SET plan = :p WHERE id = :w"),
            {"p": plan_id, "w": workspace_id.hex if _sqlite() else str(workspace_id)},
        )


def _sqlite() -> bool:
    return engine().dialect.name == "sqlite"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (26, 77, 143)).save(out, "PNG")
    return out.getvalue()


def stored_brand(workspace_id) -> WorkspaceBrand | None:
    from qrapp.db import read_session

    with read_session() as s:
        return s.get(WorkspaceBrand, workspace_id)


def test_free_plan_is_refused_with_the_way_up(clean_db):
    owner_actor = actor(sign_up_and_session("free@brand.example", "Free"))
    with pytest.raises(PlanLimitReached, match="upgrade to Pro"):
        brand.save_brand(actor=owner_actor, data=ACME)
    assert stored_brand(owner_actor.workspace_id) is None
    view = brand.get_brand(actor=owner_actor)
    assert view.can_brand is False
    assert view.look == {}


def test_roles_contrast_and_tenancy(clean_db):
    ws = team_workspace("Acme")
    set_plan(ws.id, "pro")
    token = sign_up_and_session("owner@acme.example", "Owner")
    add_member(ws.id, actor(token).user_id, Role.OWNER)
    workspaces.switch(actor=actor(token), workspace_id=ws.id)
    the_owner = actor(token)
    editor_token = sign_up_and_session("editor@acme.example", "Editor")
    add_member(ws.id, actor(editor_token).user_id, Role.EDITOR)
    workspaces.switch(actor=actor(editor_token), workspace_id=ws.id)
    admin_token = sign_up_and_session("admin@acme.example", "Admin")
    add_member(ws.id, actor(admin_token).user_id, Role.ADMIN)
    workspaces.switch(actor=actor(admin_token), workspace_id=ws.id)

    with pytest.raises(PermissionDenied):
        brand.save_brand(actor=actor(editor_token), data=ACME)
    with pytest.raises(PermissionDenied):
        brand.get_brand(actor=actor(editor_token))

    # Yellow on white is 1.1:1: refused with the ratio and what to do; nothing stored.
    with pytest.raises(FieldErrors) as refused:
        brand.save_brand(
            actor=the_owner,
            data=brand.BrandInput(name="Acme", primary_colour="#ffeb3b", support_email="nope"),
        )
    errors = refused.value.errors
    assert "primary_colour" in errors
    assert "4.5:1" in errors["primary_colour"]
    assert "darker" in errors["primary_colour"]
    assert "support_email" in errors
    assert stored_brand(ws.id) is None

    # Another workspace's image is "not found" here.
    stranger = actor(sign_up_and_session("stranger@elsewhere.example"))
    set_plan(stranger.workspace_id, "pro")
    theirs = uploads.upload(
        actor=stranger, workspace_id=stranger.workspace_id, filename="x.png", data=_png()
    )
    with pytest.raises(FieldErrors) as foreign:
        brand.save_brand(
            actor=the_owner, data=brand.BrandInput(name="Acme", logo_asset_id=str(theirs.id))
        )
    assert "not found" in foreign.value.errors["logo_asset_id"]

    mine = uploads.upload(actor=the_owner, workspace_id=ws.id, filename="logo.png", data=_png())
    view = brand.save_brand(
        actor=actor(admin_token),
        data=brand.BrandInput(**{**ACME.__dict__, "logo_asset_id": str(mine.id)}),
    )
    assert view.name == "Acme Coffee"
    assert view.look["powered_by"] is True  # Pro keeps "Powered by qrapp"
    assert view.look["logo"].startswith(f"/m/{mine.id}/")
    # The stranger's own brand is untouched by ours, and theirs is not ours.
    assert stored_brand(stranger.workspace_id) is None


def _no_qrapp(text: str) -> None:
    assert "qrapp" not in text.lower(), re.findall(r".{40}qrapp.{40}", text, re.I | re.S)


def test_white_label_pages_carry_the_brand_and_no_qrapp(edge, owner, make_code):
    set_plan(owner.workspace_id, "enterprise")
    brand.save_brand(actor=owner, data=ACME)
    locked = make_code(alias="locked-acme")
    code_editing.set_password(actor=owner, code_id=locked.id, password="opensesame1")
    ended = make_code(
        alias="ended-acme",
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 2, 1, tzinfo=dt.UTC),
    )
    assert ended.short_code

    r = edge.get("/locked-acme")
    assert r.status_code == 200
    assert "Acme Coffee" in r.text
    assert "help@acme.example" in r.text
    assert "#1a4d8f" in r.text
    assert "Enter the password" in r.text
    _no_qrapp(r.text)

    wrong = edge.client.post(
        "/locked-acme", data={"password": "wrong"}, headers={"user-agent": "x"}
    )
    assert wrong.status_code == 401
    assert "Acme Coffee" in wrong.text
    _no_qrapp(wrong.text)

    r = edge.get("/ended-acme")
    assert r.status_code == 410
    assert "Acme Coffee" in r.text
    _no_qrapp(r.text)

    page_id, slug, block_id = publish_lead_page(owner)
    r = edge.get(f"/p/{slug}")
    assert r.status_code == 200
    assert "Acme Coffee" in r.text
    _no_qrapp(r.text)
    # The brand's style block is allowed by hash in both the header and the meta CSP.
    csp = r.headers["content-security-policy"]
    style = re.search(r"<style>(\.qb-head[^<]*)</style>", r.text).group(1)
    from qrapp.core.brand import style_hash

    assert style_hash(style) in csp
    assert style_hash(style) in r.text  # the page's own meta CSP

    thanks = edge.get(f"/p/{slug}/f/{block_id}")
    assert thanks.status_code == 200
    assert "Acme Coffee" in thanks.text
    _no_qrapp(thanks.text)

    # A new brand shows on the next visit (the save announced every page and code).
    brand.save_brand(actor=owner, data=brand.BrandInput(**{**ACME.__dict__, "name": "Acme Tea"}))
    eventually(lambda: "Acme Tea" in edge.get("/locked-acme").text, timeout=5)
    eventually(lambda: "Acme Tea" in edge.get(f"/p/{slug}").text, timeout=5)
    assert page_id


def test_pro_keeps_powered_by_and_free_shows_ours(edge, owner, make_code):
    set_plan(owner.workspace_id, "pro")
    brand.save_brand(actor=owner, data=ACME)
    locked = make_code(alias="locked-pro")
    code_editing.set_password(actor=owner, code_id=locked.id, password="opensesame1")
    r = edge.get("/locked-pro")
    assert "Acme Coffee" in r.text
    assert "Powered by qrapp" in r.text
    # Back on Free, the stored brand no longer shows (it returns with a paid plan).
    set_plan(owner.workspace_id, "free")
    brand_row = stored_brand(owner.workspace_id)
    assert brand_row is not None
    code_editing.set_password(actor=owner, code_id=locked.id, password="opensesame2")
    eventually(lambda: "Acme Coffee" not in edge.get("/locked-pro").text, timeout=5)
    assert "qrapp" in edge.get("/locked-pro").text


def test_unused_uuid_asset_is_not_found(clean_db):
    owner_actor = actor(sign_up_and_session("ghost@brand.example"))
    set_plan(owner_actor.workspace_id, "business")
    with pytest.raises(FieldErrors) as refused:
        brand.save_brand(
            actor=owner_actor, data=brand.BrandInput(favicon_asset_id=str(uuid.uuid4()))
        )
    assert "not found" in refused.value.errors["favicon_asset_id"]
