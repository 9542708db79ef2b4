"""Publishing and previewing pages whose blocks hold uploaded media: the assets resolve in
the page's own workspace only; a block whose file is not chosen, gone or another
workspace's stops the publish with a message naming it, and nothing goes live. On SQLite
and PostgreSQL (media in a local folder / the SeaweedFS S3 server)."""

from __future__ import annotations

import copy
import io

import pytest
from PIL import Image

from qrapp.core.pages.document import new_block
from qrapp.core.permissions import Role
from qrapp.services.errors import FieldErrors
from qrapp.services.media.uploads import upload
from qrapp.services.pages import editing
from qrapp.services.workspaces import workspaces
from qrapp.settings import get_settings
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace


def _png(width=640, height=480) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def people(clean_db):
    ws = team_workspace("Media pages")
    token = sign_up_and_session("editor@media-pages.example", name="Editor")
    add_member(ws.id, actor(token).user_id, Role.EDITOR)
    workspaces.switch(actor=actor(token), workspace_id=ws.id)
    stranger = actor(sign_up_and_session("other@elsewhere.example"))
    return {"editor": actor(token), "stranger": stranger}


def _page_with(editor, *blocks):
    page = editing.create_page(actor=editor, name="Media page")
    doc = copy.deepcopy(page.draft)
    doc["blocks"] = list(blocks)
    revision = editing.save_draft(
        actor=editor, page_id=page.id, document=doc, base_revision=page.draft_revision
    )
    return page, revision


def _gallery(asset_id: str) -> dict:
    block = new_block("gallery")
    block["props"]["images"][0].update(asset_id=asset_id, alt="Our terrace")
    return block


def test_a_published_gallery_serves_the_workspace_image_with_its_variants(people):
    editor = people["editor"]
    asset = upload(
        actor=editor, workspace_id=editor.workspace_id, filename="terrace.png", data=_png()
    )
    page, revision = _page_with(editor, _gallery(str(asset.id)))
    version = editing.publish(actor=editor, page_id=page.id, revision=revision)
    assert f'src="/m/{asset.id}/original"' in version.html
    assert f"/m/{asset.id}/w480 480w" in version.html
    assert 'alt="Our terrace"' in version.html
    assert "img-src 'self'" in version.csp
    assert "script-src" not in version.csp
    # the builder's preview shows the same picture for the page's workspace, none without
    preview = editing.preview_html(page.draft | {"blocks": [_gallery(str(asset.id))]},
                                   workspace_id=editor.workspace_id)  # fmt: skip
    # absolute on the edge: the preview is an iframe inside the web app
    edge = get_settings().edge_url.rstrip("/")
    assert f'src="{edge}/m/{asset.id}/original"' in preview
    assert "/m/" not in editing.preview_html({"settings": {"title": "x"},
                                              "blocks": [_gallery(str(asset.id))]})  # fmt: skip


@pytest.mark.parametrize("case", ["not chosen", "another workspace's"])
def test_publish_refuses_a_block_without_its_file_and_nothing_goes_live(people, case):
    editor, stranger = people["editor"], people["stranger"]
    asset_id = ""
    if case != "not chosen":
        theirs = upload(
            actor=stranger, workspace_id=stranger.workspace_id, filename="x.png", data=_png()
        )
        asset_id = str(theirs.id)
    video = new_block("video_file")
    video["props"]["asset_id"] = asset_id
    page, revision = _page_with(editor, new_block("heading"), video)
    with pytest.raises(FieldErrors) as err:
        editing.publish(actor=editor, page_id=page.id, revision=revision)
    expected = (
        "choose a file (upload one or pick one from your media)"
        if case == "not chosen"
        else "the chosen file is no longer in this workspace's media; choose another"
    )
    assert err.value.message == (
        f"Block 2 (Video file), Video file (MP4): {expected}, or remove the block."
    )
    stored = editing.get_page(actor=editor, page_id=page.id)
    assert stored.status == "draft"
    assert stored.published_version is None
    assert editing.list_versions(actor=editor, page_id=page.id) == []
    # another workspace's file never shows in the preview either
    assert "<video" not in editing.preview_html(stored.draft, workspace_id=editor.workspace_id)
