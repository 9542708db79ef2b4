"""REST v1 codes: list with filters and a cursor, create one or a batch (plan limits all
or nothing), change, pause / resume / archive, delete, image, rules, folders and tags."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import func, select

from qrapp.db import read_session, transaction
from qrapp.models import QRCode, Workspace
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from tests.integration.api.conftest import bearer

pytestmark = pytest.mark.integration


def _count(workspace_id) -> int:
    with read_session() as s:
        return s.exec(
            select(func.count()).select_from(QRCode).where(QRCode.workspace_id == workspace_id)
        ).one()


def _set_plan(workspace_id, plan: str) -> None:
    with transaction() as tx:
        ws = tx.session.get(Workspace, workspace_id)
        assert ws is not None
        ws.plan = plan
        tx.session.add(ws)


@pytest.fixture
def writer(world, make_key):
    return bearer(make_key(world["a_owner"], ["codes:write"]))


def test_create_a_dynamic_code_answers_201_with_its_location(world, writer, api_client):
    got = api_client.post(
        "/api/v1/codes",
        json={"name": "Menu", "destination": "https://example.com/menu", "tags": ["Food"]},
        headers=writer,
    )
    assert got.status_code == 201, got.text
    body = got.json()
    assert got.headers["location"] == f"/api/v1/codes/{body['id']}"
    assert body["dynamic"] is True
    assert body["tags"] == ["Food"]
    assert body["destination"] == "https://example.com/menu"
    again = api_client.get(got.headers["location"], headers=writer)
    assert again.status_code == 200
    assert again.json()["name"] == "Menu"


def test_create_a_static_wifi_code_with_a_design_and_alias_rules(world, writer, api_client):
    got = api_client.post(
        "/api/v1/codes",
        json={
            "name": "Guest wifi",
            "dynamic": False,
            "content_type": "wifi",
            "payload": {"ssid": "Guests", "password": "secret123", "security": "WPA"},
            "design": {"foreground": "#113355"},
        },
        headers=writer,
    )
    assert got.status_code == 201, got.text
    assert got.json()["content_type"] == "wifi"
    assert got.json()["short_url"] is None
    refused = api_client.post(
        "/api/v1/codes",
        json={
            "name": "S",
            "dynamic": False,
            "content_type": "text",
            "payload": {"text": "hi"},
            "alias": "mine",
        },
        headers=writer,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "alias", "message": "Only dynamic codes have a short link."}
    ]


def test_create_refusals_carry_the_services_message_per_field(world, writer, api_client):
    before = _count(world["a_owner"].workspace_id)
    got = api_client.post(
        "/api/v1/codes", json={"name": "  ", "destination": "ftp://x"}, headers=writer
    )
    assert got.status_code == 422
    assert got.headers["content-type"] == "application/problem+json"
    fields = {e["field"]: e["message"] for e in got.json()["errors"]}
    assert fields["name"] == "Give the code a name you will recognise."
    assert fields.get("destination")
    assert _count(world["a_owner"].workspace_id) == before


def test_the_plan_limit_is_a_402_problem_and_creates_nothing(world, writer, api_client):
    workspace_id = world["a_owner"].workspace_id
    # Free: 10 dynamic codes; the world made one.
    for i in range(9):
        ok = api_client.post(
            "/api/v1/codes",
            json={"name": f"C{i}", "destination": "https://example.com/"},
            headers=writer,
        )
        assert ok.status_code == 201, ok.text
    got = api_client.post(
        "/api/v1/codes",
        json={"name": "Eleventh", "destination": "https://example.com/"},
        headers=writer,
    )
    assert got.status_code == 402
    assert got.json()["detail"].startswith("Your Free plan includes 10 dynamic codes.")
    assert _count(workspace_id) == 10


def test_a_batch_is_all_or_nothing_with_per_index_messages(world, writer, api_client):
    workspace_id = world["a_owner"].workspace_id
    items = [{"name": f"B{i}", "destination": "https://example.com/"} for i in range(4)]
    items[3]["destination"] = "javascript:alert(1)"
    items[1]["name"] = ""
    got = api_client.post("/api/v1/codes/batch", json={"items": items}, headers=writer)
    assert got.status_code == 422
    fields = {e["field"] for e in got.json()["errors"]}
    assert fields == {"items.1.name", "items.3.destination"}
    assert _count(workspace_id) == 1
    # Beyond the Free plan's room (9 left) as a whole: 402, none made.
    many = [{"name": f"M{i}", "destination": "https://example.com/"} for i in range(10)]
    got = api_client.post("/api/v1/codes/batch", json={"items": many}, headers=writer)
    assert got.status_code == 402
    assert _count(workspace_id) == 1
    got = api_client.post("/api/v1/codes/batch", json={"items": many[:9]}, headers=writer)
    assert got.status_code == 201
    assert [c["name"] for c in got.json()["items"]] == [f"M{i}" for i in range(9)]
    assert _count(workspace_id) == 10


def test_a_batch_of_100_is_made_and_101_refused(world, writer, api_client):
    workspace_id = world["a_owner"].workspace_id
    _set_plan(workspace_id, "business")
    items = [{"name": f"N{i}", "destination": f"https://example.com/{i}"} for i in range(101)]
    refused = api_client.post("/api/v1/codes/batch", json={"items": items}, headers=writer)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "items", "message": "Send at most 100 codes at once."}
    ]
    assert _count(workspace_id) == 1
    made = api_client.post("/api/v1/codes/batch", json={"items": items[:100]}, headers=writer)
    assert made.status_code == 201, made.text[:500]
    assert len(made.json()["items"]) == 100
    assert len({c["short_code"] for c in made.json()["items"]}) == 100
    assert _count(workspace_id) == 101


def test_a_batch_refuses_the_same_alias_twice(world, writer, api_client):
    items = [
        {"name": "One", "destination": "https://example.com/", "alias": "spring-sale"},
        {"name": "Two", "destination": "https://example.com/", "alias": "spring-sale"},
    ]
    got = api_client.post("/api/v1/codes/batch", json={"items": items}, headers=writer)
    assert got.status_code == 422
    assert [e["field"] for e in got.json()["errors"]] == ["items.1.alias"]


def test_list_pages_with_a_cursor_and_filters(world, writer, api_client):
    owner = world["a_owner"]
    _set_plan(owner.workspace_id, "business")
    for i in range(7):
        qrcodes.create(
            actor=owner,
            data=CodeInput(
                name=f"Flyer {i}",
                destination="https://example.com/",
                tags=("spring",) if i % 2 else (),
            ),
        )
    seen: list[str] = []
    url = "/api/v1/codes?limit=3"
    while True:
        got = api_client.get(url, headers=writer)
        assert got.status_code == 200, got.text
        page = got.json()
        assert len(page["items"]) <= 3
        seen += [c["name"] for c in page["items"]]
        if not page["next_cursor"]:
            break
        url = f"/api/v1/codes?limit=3&cursor={page['next_cursor']}"
    assert len(seen) == len(set(seen)) == 8
    assert seen[0] == "Flyer 6"  # newest first
    tagged = api_client.get("/api/v1/codes?tag=spring", headers=writer).json()["items"]
    assert sorted(c["name"] for c in tagged) == ["Flyer 1", "Flyer 3", "Flyer 5"]
    found = api_client.get("/api/v1/codes?q=flyer%204", headers=writer).json()["items"]
    assert [c["name"] for c in found] == ["Flyer 4"]
    assert api_client.get("/api/v1/codes?dynamic=false", headers=writer).json()["items"] == []
    bad = api_client.get("/api/v1/codes?cursor=nonsense", headers=writer)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"
    too_many = api_client.get("/api/v1/codes?limit=101", headers=writer)
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "limit"


def test_list_never_shows_another_workspaces_codes(world, make_key, api_client):
    key = bearer(make_key(world["b_owner"], ["codes:read"]))
    items = api_client.get("/api/v1/codes", headers=key).json()["items"]
    assert [c["id"] for c in items] == [str(world["b_code"].id)]


def test_patch_changes_only_what_is_sent_and_refuses_a_bad_field_whole(world, writer, api_client):
    code = world["a_code"]
    url = f"/api/v1/codes/{code.id}"
    got = api_client.patch(
        url,
        json={
            "name": "Poster (May)",
            "destination": "https://example.org/may",
            "tags": ["may"],
            "utm": {"utm_source": "poster"},
            "validity": {"max_scans": 500},
        },
        headers=writer,
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["name"] == "Poster (May)"
    assert body["destination"] == "https://example.org/may"
    assert body["tags"] == ["may"]
    assert body["utm"] == {"utm_source": "poster"}
    assert body["validity"]["max_scans"] == 500
    refused = api_client.patch(
        url, json={"name": "Renamed", "utm": {"utm_bogus": "x"}}, headers=writer
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "utm.utm_bogus"
    assert api_client.get(url, headers=writer).json()["name"] == "Poster (May)"
    bad_validity = api_client.patch(url, json={"validity": {"max_scans": 0}}, headers=writer)
    assert bad_validity.status_code == 422
    assert bad_validity.json()["errors"][0]["field"] == "max_scans"


def test_patch_moves_a_code_into_a_folder_and_out(world, writer, api_client):
    folder = api_client.post("/api/v1/folders", json={"name": "Print"}, headers=writer)
    assert folder.status_code == 201
    fid = folder.json()["id"]
    url = f"/api/v1/codes/{world['a_code'].id}"
    assert api_client.patch(url, json={"folder_id": fid}, headers=writer).json()["folder_id"] == fid
    listed = api_client.get(f"/api/v1/codes?folder_id={fid}", headers=writer).json()["items"]
    assert len(listed) == 1
    assert (
        api_client.patch(url, json={"folder_id": None}, headers=writer).json()["folder_id"] is None
    )


def test_pause_resume_archive_and_delete(world, writer, api_client):
    url = f"/api/v1/codes/{world['a_code'].id}"
    assert api_client.post(url + "/pause", headers=writer).json()["status"] == "paused"
    assert api_client.post(url + "/archive", headers=writer).json()["status"] == "archived"
    listed = api_client.get("/api/v1/codes?status=archived", headers=writer).json()["items"]
    assert [c["id"] for c in listed] == [str(world["a_code"].id)]
    assert api_client.post(url + "/resume", headers=writer).json()["status"] == "active"
    gone = api_client.delete(url, headers=writer)
    assert gone.status_code == 204
    assert gone.content == b""
    assert api_client.get(url, headers=writer).status_code == 404


@pytest.mark.parametrize(
    ("fmt", "media", "magic"),
    [
        ("png", "image/png", b"\x89PNG"),
        ("svg", "image/svg+xml", b"<"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_the_image_in_each_format(world, make_key, api_client, fmt, media, magic):
    key = bearer(make_key(world["a_owner"], ["codes:read"]))
    got = api_client.get(
        f"/api/v1/codes/{world['a_code'].id}/image?format={fmt}&size=256", headers=key
    )
    assert got.status_code == 200
    assert got.headers["content-type"].startswith(media)
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "poster-a-qr." + fmt in got.headers["content-disposition"]
    assert got.content.lstrip().startswith(magic)
    if fmt == "png":
        assert Image.open(io.BytesIO(got.content)).size == (256, 256)


@pytest.mark.parametrize("size", [63, 8193])
def test_an_image_size_out_of_bounds_is_a_clear_422(world, make_key, api_client, size):
    key = bearer(make_key(world["a_owner"], ["codes:read"]))
    got = api_client.get(f"/api/v1/codes/{world['a_code'].id}/image?size={size}", headers=key)
    assert got.status_code == 422
    assert got.json()["errors"][0]["field"] == "size"
    assert str(64 if size < 64 else 8192) in got.json()["errors"][0]["message"]


def test_rules_are_listed_and_replaced_whole(world, writer, api_client):
    url = f"/api/v1/codes/{world['a_code'].id}/rules"
    assert api_client.get(url, headers=writer).json() == {"items": []}
    rules = [
        {
            "label": "Swedes",
            "conditions": [{"field": "country", "op": "in", "value": ["SE"]}],
            "destination": "https://example.se/",
        },
        {
            "label": "Split",
            "variants": [
                {"label": "A", "destination": "https://a.example/", "weight": 1},
                {"label": "B", "destination": "https://b.example/", "weight": 1},
            ],
        },
    ]
    got = api_client.put(url, json={"rules": rules}, headers=writer)
    assert got.status_code == 200, got.text
    assert [r["label"] for r in got.json()["items"]] == ["Swedes", "Split"]
    bad = [
        {
            "label": "x",
            "conditions": [{"field": "planet", "value": ["mars"]}],
            "destination": "https://x.example/",
        }
    ]
    refused = api_client.put(url, json={"rules": bad}, headers=writer)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "rules.0.conditions.0.field"
    assert len(api_client.get(url, headers=writer).json()["items"]) == 2
    assert api_client.put(url, json={"rules": []}, headers=writer).json() == {"items": []}


def test_folders_and_tags(world, writer, api_client):
    made = api_client.post("/api/v1/folders", json={"name": "Events"}, headers=writer)
    assert made.status_code == 201
    assert made.headers["location"].endswith(made.json()["id"])
    again = api_client.post("/api/v1/folders", json={"name": "Events"}, headers=writer)
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"field": "folder", "message": "There is already a folder called 'Events'."}
    ]
    names = [f["name"] for f in api_client.get("/api/v1/folders", headers=writer).json()["items"]]
    assert names == ["Events"]
    gone = api_client.delete(f"/api/v1/folders/{made.json()['id']}", headers=writer)
    assert gone.status_code == 204
    assert api_client.get("/api/v1/folders", headers=writer).json() == {"items": []}
    api_client.patch(
        f"/api/v1/codes/{world['a_code'].id}", json={"tags": ["Summer", "print"]}, headers=writer
    )
    assert api_client.get("/api/v1/tags", headers=writer).json() == {"items": ["print", "Summer"]}


def test_nul_characters_and_times_without_offset_are_422_not_500(world, writer, api_client):
    before = _count(world["a_owner"].workspace_id)
    nul = api_client.post(
        "/api/v1/codes",
        json={"name": "a\x00b", "destination": "https://example.com/"},
        headers=writer,
    )
    assert nul.status_code == 422
    assert nul.json()["errors"][0]["field"] == "name"
    assert "NUL" in nul.json()["errors"][0]["message"]
    assert api_client.get("/api/v1/codes?q=%00", headers=writer).status_code == 422
    assert (
        api_client.post("/api/v1/folders", json={"name": "\x00"}, headers=writer).status_code == 422
    )
    naive = api_client.patch(
        f"/api/v1/codes/{world['a_code'].id}",
        json={"validity": {"starts_at": "2026-12-01T10:00:00"}},
        headers=writer,
    )
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["field"] == "validity.starts_at"
    listed = api_client.get("/api/v1/codes?created_after=2026-01-01T00:00:00", headers=writer)
    assert listed.status_code == 422
    assert _count(world["a_owner"].workspace_id) == before
