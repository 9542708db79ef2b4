"""How the web process answers for the built frontend: our routes (qrapp.api.app) in
front of Reflex's own static files, on a build folder laid out as `reflex run --env prod`
exports it (page/index.html, hashed assets with .gz sidecars)."""

from __future__ import annotations

import gzip

import pytest
from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.api.frontend_files import IMMUTABLE

SCRIPT = b"console.log('app')"


@pytest.fixture
def client(tmp_path, monkeypatch) -> TestClient:
    monkeypatch.setenv("REFLEX_WEB_WORKDIR", str(tmp_path))
    built = tmp_path / "build" / "client"
    for page in ("", "login", "codes", "codes/new"):
        (built / page).mkdir(parents=True, exist_ok=True)
        (built / page / "index.html").write_text(f"<!doctype html><title>{page}</title>")
    (built / "assets").mkdir()
    (built / "assets" / "root-Ab_d-123.js").write_bytes(SCRIPT)
    (built / "assets" / "root-Ab_d-123.js.gz").write_bytes(gzip.compress(SCRIPT))
    (built / "favicon.ico").write_bytes(b"\0\0\1\0")
    # As reflex.utils.exec.get_frontend_mount serves the build in production mode.
    frontend = PrecompressedStaticFiles(directory=built, html=True, encodings=["gzip"])
    reflex_stand_in = Starlette(routes=[Mount("/", app=frontend)])
    return TestClient(transform(reflex_stand_in), follow_redirects=False)


@pytest.mark.parametrize("path", ["/login", "/login/", "/codes", "/codes/new", "/"])
def test_pages_answer_at_their_own_path_and_are_revalidated(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert "content-security-policy" in response.headers
    assert response.text.endswith(f"<title>{path.strip('/')}</title>")


def test_a_page_keeps_its_query_without_a_redirect(client):
    response = client.get("/login?next=/codes")
    assert response.status_code == 200
    assert response.text.endswith("<title>login</title>")


def test_hashed_assets_are_cached_for_a_year(client):
    for encoding in ("gzip", "identity"):
        response = client.get("/assets/root-Ab_d-123.js", headers={"accept-encoding": encoding})
        assert response.status_code == 200
        assert response.content == SCRIPT
        assert response.headers["cache-control"] == IMMUTABLE
    etag = response.headers["etag"]
    again = client.get(
        "/assets/root-Ab_d-123.js", headers={"if-none-match": etag, "accept-encoding": "identity"}
    )
    assert again.status_code == 304
    assert again.headers["cache-control"] == IMMUTABLE


def test_files_without_a_content_hash_or_missing_are_not_cached_for_long(client):
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200
    assert "immutable" not in favicon.headers.get("cache-control", "")
    missing = client.get("/assets/gone-Ab_d-123.js")
    assert missing.status_code == 404
    assert "immutable" not in missing.headers.get("cache-control", "")


def test_paths_that_are_no_exported_page_are_left_alone(client):
    assert client.get("/nowhere").status_code == 404
    assert client.get("/healthz").status_code == 200
