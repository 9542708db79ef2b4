"""The edge serving uploaded media: content type, ETag, long caching, Content-Disposition,
and HTTP ranges (206 with the right bytes, 416 when unsatisfiable) so phones can seek;
from the storage alone, without the database."""

from __future__ import annotations

import os
import urllib.parse

import pytest

from qrapp.services.media import library, uploads
from qrapp.services.media.storage import S3Storage, get_storage, signed_path
from tests.support import media_samples as samples
from tests.support.media import ensure_bucket


@pytest.fixture
def media_owner(owner):
    if isinstance(get_storage(), S3Storage):
        env = os.environ
        ensure_bucket(
            env["S3_ENDPOINT_URL"], env["S3_BUCKET"], env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"]
        )
    return owner


def _upload(actor, name: str, data: bytes):
    return uploads.upload(actor=actor, workspace_id=actor.workspace_id, filename=name, data=data)


def test_video_ranges_give_the_right_bytes(media_owner, start_edge):
    # The edge is started with a database it cannot reach: media never need it.
    edge = start_edge(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/none")
    video = samples.mp4(24) + os.urandom(700_000)
    asset = _upload(media_owner, "Tour.mp4", video)
    path = f"/m/{asset.id}/original"

    full = edge.get(path)
    assert full.status_code == 200
    assert full.content == video
    assert full.headers["content-type"] == "video/mp4"
    assert full.headers["accept-ranges"] == "bytes"
    assert full.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert full.headers["content-disposition"].startswith('inline; filename="Tour.mp4"')
    assert full.headers["x-content-type-options"] == "nosniff"
    etag = full.headers["etag"]

    cases = [
        ("bytes=100-199", 100, 199),
        ("bytes=0-0", 0, 0),
        ("bytes=-50", len(video) - 50, len(video) - 1),
        ("bytes=600000-", 600000, len(video) - 1),
        ("bytes=700000-9999999", 700000, len(video) - 1),
        ("bytes=262140-262150", 262140, 262150),  # across a storage chunk
    ]
    for header, first, last in cases:
        part = edge.get(path, headers={"range": header})
        assert part.status_code == 206, header
        assert part.content == video[first : last + 1], header
        assert part.headers["content-range"] == f"bytes {first}-{last}/{len(video)}"
        assert part.headers["content-length"] == str(last - first + 1)

    for header in ("bytes=800000-", "bytes=700024-700030"):
        refused = edge.get(path, headers={"range": header})
        assert refused.status_code == 416, header
        assert refused.headers["content-range"] == f"bytes */{len(video)}"

    # Several ranges (or a malformed one) get the whole file.
    for header in ("bytes=0-9,20-29", "lines=1-2", "bytes=9-1"):
        whole = edge.get(path, headers={"range": header})
        assert whole.status_code == 200, header
        assert whole.content == video
    # If-Range with another ETag: the file changed for the client, so all of it.
    stale = edge.get(path, headers={"range": "bytes=0-9", "if-range": '"other"'})
    assert stale.status_code == 200
    same = edge.get(path, headers={"range": "bytes=0-9", "if-range": etag})
    assert same.status_code == 206

    assert edge.get(path, headers={"if-none-match": etag}).status_code == 304
    head = edge.client.head(path)
    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(video))
    assert head.content == b""


def test_ranges_read_at_once_and_streamed(media_owner, edge):
    # Up to ONE_READ bytes are read at once and sent in one piece; more are streamed in
    # chunks: both give the exact bytes, on both sides of the boundary.
    from qrapp.edge.media import ONE_READ

    video = samples.mp4(24) + os.urandom(ONE_READ * 2 + 1000)
    asset = _upload(media_owner, "Long.mp4", video)
    path = f"/m/{asset.id}/original"
    cases = [
        (1000, 1000 + ONE_READ - 1),  # exactly ONE_READ: at once
        (1000, 1000 + ONE_READ),  # one byte more: streamed
        (5, len(video) - 7),  # nearly all of it, streamed
    ]
    for first, last in cases:
        part = edge.get(path, headers={"range": f"bytes={first}-{last}"})
        assert part.status_code == 206, (first, last)
        assert part.headers["content-range"] == f"bytes {first}-{last}/{len(video)}"
        assert part.content == video[first : last + 1], (first, last)
    whole = edge.get(path)
    assert whole.status_code == 200
    assert whole.content == video


def test_images_downloads_and_missing(media_owner, edge):
    photo = _upload(media_owner, "Été.jpg", samples.jpeg_with_gps(1200, 800))
    webp = edge.get(f"/m/{photo.id}/w960.webp")
    assert webp.status_code == 200
    assert webp.headers["content-type"] == "image/webp"
    assert webp.content[8:12] == b"WEBP"
    assert "sandbox" in webp.headers["content-security-policy"]

    down = edge.get(f"/m/{photo.id}/download")
    assert down.status_code == 200
    cd = down.headers["content-disposition"]
    assert cd.startswith('attachment; filename="Ete.jpg"')
    assert urllib.parse.quote("Été.jpg") in cd

    menu = _upload(media_owner, "Menu.pdf", samples.pdf())
    pdf = edge.get(f"/m/{menu.id}/original")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert edge.get(f"/m/{menu.id}/thumb").headers["content-type"] == "image/png"

    archive = _upload(media_owner, "../../prices.zip", b"PK\x03\x04" + os.urandom(500))
    got = edge.get(f"/m/{archive.id}/original")
    assert got.headers["content-type"] == "application/zip"
    assert got.headers["content-disposition"].startswith('attachment; filename="prices.zip"')

    assert edge.get(f"/m/{photo.id}/w9999").status_code == 404
    assert edge.get("/m/01a22cb5-9b4e-71ab-94be-2226063723bb/original").status_code == 404
    assert edge.get("/m/not-an-id/original").status_code == 404
    assert edge.get(f"/m/{photo.id}/../../etc/passwd").status_code == 404

    # Deleted: gone at once, even from an edge that had the asset cached.
    library.delete_asset(actor=media_owner, workspace_id=media_owner.workspace_id, asset_id=menu.id)
    assert edge.get(f"/m/{menu.id}/original").status_code == 404
    assert edge.get(f"/m/{menu.id}/thumb").status_code == 404


def test_signed_links_work_until_they_expire(media_owner, edge):
    data = samples.mp3(30_000)
    asset = _upload(media_owner, "Jingle.mp3", data)
    link = signed_path(f"{asset.id}/original", expires_in=60)
    got = edge.get(link)
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["content-disposition"].startswith('attachment; filename="original"')
    assert got.headers["cache-control"] == "private, no-store"
    part = edge.get(link, headers={"range": "bytes=10-19"})
    assert (part.status_code, part.content) == (206, data[10:20])
    tampered = link.replace("sig=", "sig=0")
    assert edge.get(tampered).status_code == 404
    other = signed_path(f"{asset.id}/meta.json", expires_in=60).replace("meta.json", "original")
    assert edge.get(other).status_code == 404
    expired = signed_path(f"{asset.id}/original", expires_in=-1)
    assert edge.get(expired).status_code == 404
