"""Uploads checked on the server: every refusal has a clear message and stores nothing
(no row, no object); accepted files are re-encoded (images), opened (PDFs) or recognised
by their first bytes (video, audio), under keys the server chose."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models import AuditLog, MediaAsset
from qrapp.services.errors import NotFound, PermissionDenied, ServiceError
from qrapp.services.media import library, uploads
from qrapp.services.media.refs import media_refs
from qrapp.services.media.storage import get_storage
from tests.integration.media.conftest import stored_keys
from tests.support import media_samples as samples
from tests.support.environment import patched_env


def _rows() -> list[MediaAsset]:
    with read_session() as s:
        return list(s.exec(select(MediaAsset)).all())


def _refused(people, filename: str, data: bytes, match: str) -> None:
    before = stored_keys()
    with pytest.raises(ServiceError, match=match) as info:
        uploads.upload(
            actor=people["editor"],
            workspace_id=people["workspace_id"],
            filename=filename,
            data=data,
        )
    assert "Traceback" not in info.value.message
    assert _rows() == []
    assert stored_keys() == before


def test_a_pixel_flood_png_is_refused(people):
    _refused(
        people,
        "huge.png",
        samples.flood_png(),
        r"This image has 400 megapixels; images can have at most 50 megapixels",
    )
    # Over our limit but under Pillow's own: refused from the header, with its size.
    _refused(
        people,
        "big.png",
        samples.flood_png(8000, 8000),
        r"This image is 8,000 x 8,000 pixels \(64 megapixels\); images can have at most 50",
    )


def test_a_pdf_renamed_to_png_is_refused(people):
    _refused(
        people,
        "photo.png",
        samples.pdf(),
        r"This file is named \.png but is a PDF\. Rename it to \.pdf",
    )


def test_a_pdf_that_is_not_one_is_refused(people):
    _refused(
        people, "menu.pdf", b"just some text\n" * 40, r"named \.pdf but is not a PDF document\."
    )
    _refused(
        people,
        "photo.png",
        b"just some text\n" * 40,
        r"named \.png but is not a PNG, JPEG, GIF, WebP or AVIF image\.",
    )
    _refused(
        people, "menu.pdf", samples.broken_pdf(), "This PDF could not be opened; it may be damaged"
    )


def test_an_svg_with_script_is_refused(people):
    _refused(people, "logo.svg", samples.svg_with_script(), "SVG images cannot be uploaded")
    # Named as something else, it is still recognised by its content.
    _refused(people, "logo.png", samples.svg_with_script(), "SVG images cannot be uploaded")
    _refused(people, "notes.txt", samples.svg_with_script(), "SVG images cannot be uploaded")


def test_iphone_heic_photos_are_refused_with_a_way_out(people):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200
    _refused(people, "IMG_0001.HEIC", heic, "HEIC photos cannot be uploaded yet")


def test_an_over_cap_video_is_refused(people):
    with patched_env({"MEDIA_MAX_VIDEO_BYTES": str(1024 * 1024)}):
        _refused(
            people,
            "film.mp4",
            samples.mp4(1024 * 1024 + 1),
            r"Videos can be at most 1\.0 MB; this one is 1\.0 MB",
        )


def test_an_empty_file_and_a_full_quota_are_refused(people):
    _refused(people, "empty.png", b"", "This file is empty")
    with patched_env({"MEDIA_QUOTA_BYTES": "10000"}):
        _refused(people, "film.mp4", samples.mp4(20000), "the workspace has 9 KB of its 9 KB left")


def test_a_long_name_with_dot_dot_slash_is_made_safe(people):
    name = "../" * 20 + "a" * 300 + ".pdf"
    asset = uploads.upload(
        actor=people["editor"],
        workspace_id=people["workspace_id"],
        filename=name,
        data=samples.pdf(),
    )
    assert "/" not in asset.name
    assert ".." not in asset.name
    assert len(asset.name) <= 200
    assert asset.name.endswith(".pdf")
    assert asset.name.startswith("aaaa")
    # Keys are the server's: the asset id and the variant, never the name.
    assert {v["key"] for v in asset.variants.values()} == {
        f"{asset.id}/original",
        f"{asset.id}/thumb",
    }
    assert stored_keys() >= {f"{asset.id}/original", f"{asset.id}/thumb", f"{asset.id}/meta.json"}
    for bad, shown in [
        ("../../etc/passwd\x00.png", "passwd_.png"),
        ("C:\\Users\\x\\café menu.pdf", "café menu.pdf"),
    ]:
        data = samples.png_with_alpha() if bad.endswith(".png") else samples.pdf()
        got = uploads.upload(
            actor=people["editor"], workspace_id=people["workspace_id"], filename=bad, data=data
        )
        assert got.name == shown


def test_photos_lose_exif_and_gps_and_get_responsive_sizes_and_webp(people):
    from PIL import Image

    data = samples.jpeg_with_gps(2400, 1600)
    assert b"SpyCam" in data
    asset = uploads.upload(
        actor=people["editor"],
        workspace_id=people["workspace_id"],
        filename="holiday.jpg",
        data=data,
    )
    assert (asset.kind, asset.content_type, asset.width, asset.height) == (
        "image",
        "image/jpeg",
        2400,
        1600,
    )
    assert set(asset.variants) == {
        "original",
        "w480",
        "w960",
        "w1920",
        "w480.webp",
        "w960.webp",
        "w1920.webp",
    }
    storage = get_storage()
    for name, v in asset.variants.items():
        body = storage.get(v["key"])
        assert len(body) == v["size"]
        assert b"SpyCam" not in body
        im = Image.open(io.BytesIO(body))
        assert (
            im.width == v["width"] == (2400 if name == "original" else int(name[1:].split(".")[0]))
        )
        assert not im.getexif()  # no EXIF at all, so no GPS
        assert im.format == ("WEBP" if name.endswith(".webp") else "JPEG")
    assert asset.size == sum(v["size"] for v in asset.variants.values())
    with read_session() as s:
        audit = s.exec(select(AuditLog).where(AuditLog.action == "media.uploaded")).one()
    assert audit.target_id == str(asset.id)


def test_a_photo_taken_sideways_is_turned_upright(people):
    asset = uploads.upload(
        actor=people["editor"],
        workspace_id=people["workspace_id"],
        filename="portrait.jpg",
        data=samples.jpeg_with_gps(600, 400, orientation=6),  # 90 degrees clockwise
    )
    assert (asset.width, asset.height) == (400, 600)
    assert set(asset.variants) == {"original"}  # narrower than the smallest size


def test_transparent_png_stays_png_small_images_get_no_larger_sizes(people):
    asset = uploads.upload(
        actor=people["editor"],
        workspace_id=people["workspace_id"],
        filename="badge.png",
        data=samples.png_with_alpha(600, 300),
    )
    assert asset.content_type == "image/png"
    assert set(asset.variants) == {"original", "w480", "w480.webp"}


@pytest.mark.parametrize(
    ("filename", "make", "kind", "ctype"),
    [
        ("clip.mp4", samples.mp4, "video", "video/mp4"),
        ("clip.webm", samples.webm, "video", "video/webm"),
        ("song.mp3", samples.mp3, "audio", "audio/mpeg"),
        ("song.aac", samples.aac, "audio", "audio/aac"),
        ("song.ogg", samples.ogg, "audio", "audio/ogg"),
        ("no-extension", samples.mp3, "audio", "audio/mpeg"),
    ],
)
def test_video_and_audio_are_recognised_by_their_magic(people, filename, make, kind, ctype):
    data = make()
    asset = uploads.upload(
        actor=people["editor"], workspace_id=people["workspace_id"], filename=filename, data=data
    )
    assert (asset.kind, asset.content_type) == (kind, ctype)
    assert get_storage().get(f"{asset.id}/original") == data


def test_a_pdf_is_opened_and_gets_a_thumbnail(people):
    asset = uploads.upload(
        actor=people["editor"],
        workspace_id=people["workspace_id"],
        filename="Menu.pdf",
        data=samples.pdf(),
    )
    assert (asset.kind, asset.content_type) == ("pdf", "application/pdf")
    thumb = get_storage().get(asset.variants["thumb"]["key"])
    assert thumb.startswith(b"\x89PNG")
    assert asset.variants["thumb"]["width"] == 480
    ref = media_refs(people["workspace_id"], [str(asset.id)])[str(asset.id)]
    assert ref.url == f"/m/{asset.id}/original"
    assert ref.poster_url == f"/m/{asset.id}/thumb"
    assert ref.filename == "Menu.pdf"


def test_only_editors_of_the_workspace_upload_and_refs_are_scoped(people):
    ws = people["workspace_id"]
    with pytest.raises(PermissionDenied):
        uploads.upload(
            actor=people["viewer"], workspace_id=ws, filename="a.mp3", data=samples.mp3()
        )
    with pytest.raises(NotFound):
        uploads.upload(
            actor=people["stranger"], workspace_id=ws, filename="a.mp3", data=samples.mp3()
        )
    assert _rows() == []
    asset = uploads.upload(
        actor=people["owner"], workspace_id=ws, filename="a.mp3", data=samples.mp3()
    )
    assert set(media_refs(ws, [asset.id, "not-an-id"])) == {str(asset.id)}
    assert media_refs(people["stranger"].workspace_id, [asset.id]) == {}
    with pytest.raises(NotFound):
        library.list_assets(actor=people["stranger"], workspace_id=ws)
    assert [a.id for a in library.list_assets(actor=people["viewer"], workspace_id=ws)] == [
        str(asset.id)
    ]
