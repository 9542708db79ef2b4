"""POST /_upload/media: the session cookie signs in, JSON answers, refusals with their
message, a body over the cap refused before it is read, other sites' pages refused."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.settings import get_settings
from tests.integration.media.conftest import stored_keys
from tests.support import media_samples as samples
from tests.support.environment import patched_env


def _client(token: str | None = None) -> TestClient:
    client = TestClient(transform(Starlette()), follow_redirects=False)
    if token:
        client.cookies.set(get_settings().session_cookie_name, token)
    return client


def test_upload_answers_json(people):
    client = _client(people["editor_token"])
    ok = client.post("/_upload/media", files={"file": ("Menu.pdf", samples.pdf(), "text/plain")})
    assert ok.status_code == 201
    body = ok.json()
    assert body["kind"] == "pdf"
    assert body["name"] == "Menu.pdf"
    assert body["url"] == f"/m/{body['id']}/original"
    assert f"{body['id']}/original" in stored_keys()

    bad = client.post("/_upload/media", files={"file": ("x.png", samples.pdf(), "image/png")})
    assert bad.status_code == 400
    assert bad.json() == {
        "error": "This file is named .png but is a PDF. Rename it to .pdf or upload the right file."
    }
    assert client.post("/_upload/media", data={"nothing": "here"}).json() == {
        "error": "Choose a file to upload."
    }


def test_signed_out_viewer_and_other_sites_are_refused(people):
    files = {"file": ("a.mp3", samples.mp3(), "audio/mpeg")}
    before = stored_keys()
    out = _client().post("/_upload/media", files=files)
    assert out.status_code == 401
    assert "log in" in out.json()["error"]
    viewer = _client(people["viewer_token"]).post("/_upload/media", files=files)
    assert viewer.status_code == 403
    foreign = _client(people["editor_token"]).post(
        "/_upload/media", files=files, headers={"origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert stored_keys() == before


def test_a_body_over_the_largest_cap_is_refused_before_it_is_read(people):
    limits = {
        k: str(200_000)
        for k in (
            "MEDIA_MAX_IMAGE_BYTES",
            "MEDIA_MAX_PDF_BYTES",
            "MEDIA_MAX_VIDEO_BYTES",
            "MEDIA_MAX_AUDIO_BYTES",
            "MEDIA_MAX_FILE_BYTES",
        )
    }
    with patched_env(limits):
        big = _client(people["editor_token"]).post(
            "/_upload/media", files={"file": ("a.mp4", samples.mp4(400_000), "video/mp4")}
        )
    assert big.status_code == 413
    assert big.json() == {"error": "Files up to 195 KB can be uploaded."}
