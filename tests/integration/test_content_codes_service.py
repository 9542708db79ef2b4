"""Content QR codes through services.content: one call makes a dynamic code and the
published page it answers with (one transaction: a refusal stores neither), checked and
scoped like every service; an app-download code sends phones to their store from the
edge and everyone else to the page. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import col, func, select

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import AuditLog, LandingPage, LandingPageVersion, QRCode, RedirectRule
from qrapp.services.content.content_codes import create_content_code
from qrapp.services.errors import FieldErrors, PermissionDenied, ServiceError
from qrapp.services.pages import page_access
from qrapp.services.workspaces import workspaces
from tests.integration import test_edge_pages as edge_pages
from tests.integration.edge.conftest import DESKTOP, IPHONE
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace
from tests.support.plans import give_plan
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

edge_env = edge_pages.edge_env
start_edge = edge_pages.start_edge
edge = edge_pages.edge
owner = edge_pages.owner

MENU = {
    "restaurant": "Trattoria Anna",
    "section": "Pasta",
    "currency": "SEK",
    "items": "Cacio e pepe, 16, pecorino and pepper\nLasagne 18.50",
}


@pytest.fixture
def people(clean_db):
    ws = team_workspace("Content team")
    give_plan(ws.id, "business")  # room for the many pages made below
    out = {"workspace_id": ws.id}
    for role in (Role.EDITOR, Role.VIEWER):
        token = sign_up_and_session(f"{role.value}@content.example", name=role.value.title())
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        out[role.value] = actor(token)
    out["stranger"] = actor(sign_up_and_session("someone@else.example"))
    return out


def _make(who, kind="menu", essentials=None, name="Table menu", workspace_id=None):
    return create_content_code(
        actor=who,
        workspace_id=workspace_id or who.workspace_id,
        kind=kind,
        essentials=MENU if essentials is None else essentials,
        design={},
        name=name,
    )


def _counts() -> tuple[int, int, int, int]:
    with read_session() as s:
        return tuple(  # type: ignore[return-value]
            s.exec(select(func.count()).select_from(m)).one()
            for m in (QRCode, LandingPage, LandingPageVersion, RedirectRule)
        )


def test_menu_code_is_a_dynamic_code_answering_with_a_published_menu_page(people):
    code = _make(people["editor"])
    assert code.is_dynamic
    assert code.short_code
    assert code.destination == ""
    with read_session() as s:
        page = s.get(LandingPage, code.landing_page_id)
        assert page is not None
        assert (page.workspace_id, page.name, page.slug) == (
            people["workspace_id"],
            "Table menu",
            "table-menu",
        )
        assert (page.status, page.published_version) == ("published", 1)
        actions = s.exec(
            select(AuditLog.action)
            .where(col(AuditLog.target_id).in_([str(code.id), str(page.id)]))
            .order_by(col(AuditLog.created_at), col(AuditLog.id))
        ).all()
    assert sorted(actions) == ["page.created", "page.published", "qr.created"]
    snap = page_access.published_page_by_id(page.id)
    assert snap is not None
    html = snap["html"]
    assert "Trattoria Anna" in html
    assert "Cacio e pepe" in html
    assert "Lasagne" in html
    assert "16.00 kr" in html
    assert "18.50 kr" in html
    # The same name again gets its own page address.
    again = _make(people["editor"])
    with read_session() as s:
        assert s.get(LandingPage, again.landing_page_id).slug == "table-menu-2"


def _published_html(page_id) -> str:
    with read_session() as s:
        return s.exec(
            select(LandingPageVersion.html).where(LandingPageVersion.page_id == page_id)
        ).one()


def test_missing_and_bad_essentials_name_their_field_and_store_nothing(people):
    before = _counts()
    cases = [
        ("menu", {**MENU, "restaurant": " "}, "restaurant"),
        ("menu", {**MENU, "items": "\n \n"}, "items"),
        ("business_card", {"name": "Ada", "phone": "call me"}, "phone"),
        ("business_card", {"name": "Ada", "email": "ada at example"}, "email"),
        ("coupon", {"offer": "20% off", "code": "X1", "expires": "soon"}, "expires"),
        ("product", {"name": "Mug", "price": "€9", "buy_url": "javascript:alert(1)"}, "buy_url"),
        ("social", {"name": "Ada"}, "instagram"),
        ("app", {"name": "App", "app_store_url": "https://example.com/app"}, "app_store_url"),
        ("event_page", {"title": "Gig", "start": "2027-05-01T20:00", "end": "2027-05-01T19:00"},
         "end"),
        ("coupon", {"offer": "20% off", "code": "TWO WORDS"}, "code"),
        ("product", {"name": "Mug", "price": "free", "buy_url": "https://shop.example.com"},
         "price"),
        ("pdf", {"title": "Price list"}, "file"),
    ]  # fmt: skip
    for kind, essentials, field in cases:
        with pytest.raises(FieldErrors) as caught:
            _make(people["editor"], kind, essentials)
        assert list(caught.value.errors) == [field], (kind, caught.value.errors)
        assert caught.value.errors[field].strip()
    with pytest.raises(FieldErrors) as caught:
        _make(people["editor"], "horoscope", {})
    assert "kind" in caught.value.errors
    with pytest.raises(FieldErrors) as caught:
        _make(people["editor"], name="  ")
    assert "name" in caught.value.errors
    assert _counts() == before


def test_viewers_strangers_and_other_workspaces_are_refused(people):
    before = _counts()
    with pytest.raises(PermissionDenied):
        _make(people["viewer"])
    with pytest.raises(ServiceError):
        _make(people["editor"], workspace_id=people["stranger"].workspace_id)
    assert _counts() == before


def test_every_non_file_kind_makes_its_page(people):
    examples = {
        "business_card": {"name": "Ada Lovelace", "phone": "+46 70 123 45 67"},
        "coupon": {"offer": "20% off", "code": "SPRING20", "expires": "2027-04-30"},
        "product": {"name": "Mug", "price": "€9", "buy_url": "https://shop.example.com/mug"},
        "social": {"name": "Ada", "instagram": "@ada.makes", "website": "https://ada.example"},
        "event_page": {"title": "Jazz night", "start": "2027-06-19T18:00", "place": "Malmö"},
        "app": {"name": "Budget", "google_play_url": "https://play.google.com/store/apps/x"},
    }
    for kind, essentials in examples.items():
        code = _make(people["editor"], kind, essentials, name=f"My {kind}")
        html = _published_html(code.landing_page_id)
        first = next(iter(essentials.values()))
        assert first in html, kind
    assert "SPRING20" in _published_html(
        _make(people["editor"], "coupon", examples["coupon"], name="c2").landing_page_id
    )


def test_app_download_sends_phones_to_their_store_and_others_to_the_page(edge, owner):
    code = _make(
        owner,
        "app",
        {
            "name": "Pocket Budget",
            "app_store_url": "https://apps.apple.com/app/pocket-budget/id123",
            "google_play_url": "https://play.google.com/store/apps/details?id=com.example",
            "web_url": "https://budget.example.com",
        },
        name="App poster",
    )
    with read_session() as s:
        rules = s.exec(select(RedirectRule).where(RedirectRule.qrcode_id == code.id)).all()
    assert len(rules) == 2
    iphone = eventually(
        lambda: (
            (r := edge.get(f"/{code.short_code}", headers={"user-agent": IPHONE}))
            and r.status_code == 302
            and r
        ),
        timeout=5,
    )
    assert iphone.headers["location"] == "https://apps.apple.com/app/pocket-budget/id123"
    android = edge.get(f"/{code.short_code}", headers={"user-agent": edge_pages.ANDROID})
    assert android.status_code == 302
    assert android.headers["location"].startswith("https://play.google.com/")
    desktop = edge.get(f"/{code.short_code}", headers={"user-agent": DESKTOP})
    assert desktop.status_code == 200
    assert "Pocket Budget" in desktop.text
    assert "location" not in desktop.headers


# --- file kinds: uploaded media --------------------------------------------------------------


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def test_pdf_code_shows_the_uploaded_pdf_and_the_library_sees_it_used(people):
    from qrapp.services.media import library, uploads
    from tests.support.tiny_pdf import tiny_pdf

    editor, ws = people["editor"], people["workspace_id"]
    pdf = uploads.upload(actor=editor, workspace_id=ws, filename="prices.pdf", data=tiny_pdf("Hi"))
    code = _make(editor, "pdf", {"title": "Price list", "file": str(pdf.id)}, name="Prices")
    html = _published_html(code.landing_page_id)
    assert "Price list" in html
    assert f"/m/{pdf.id}/" in html  # the download goes to the edge's copy of the file
    uses = library.asset_usage(actor=editor, workspace_id=ws, asset_id=pdf.id)
    assert {u.page_name for u in uses} == {"Prices"}
    with pytest.raises(ServiceError, match="Prices"):
        library.delete_asset(actor=editor, workspace_id=ws, asset_id=pdf.id)


def test_file_kinds_take_only_their_own_workspaces_files_of_their_kind(people):
    from qrapp.services.media import uploads

    editor, ws = people["editor"], people["workspace_id"]
    image = uploads.upload(actor=editor, workspace_id=ws, filename="red.png", data=_png())
    stranger = people["stranger"]
    theirs = uploads.upload(
        actor=stranger, workspace_id=stranger.workspace_id, filename="x.png", data=_png()
    )
    before = _counts()
    with pytest.raises(FieldErrors) as caught:
        _make(editor, "pdf", {"title": "Menu", "file": str(image.id)})
    assert "is not a PDF" in caught.value.errors["file"]
    with pytest.raises(FieldErrors) as caught:
        _make(editor, "images", {"title": "Rooms", "file": str(theirs.id)})
    assert "upload it again" in caught.value.errors["file"]
    with pytest.raises(FieldErrors) as caught:
        _make(editor, "video", {"title": "Tour", "file": "not-an-id"})
    assert list(caught.value.errors) == ["file"]
    assert _counts() == before
    gallery = _make(editor, "images", {"title": "Rooms", "file": str(image.id)}, name="Rooms")
    assert f"/m/{image.id}/" in _published_html(gallery.landing_page_id)
