"""The media library: search, where an asset is used, delete refused while used."""

from __future__ import annotations

import pytest

from qrapp.db import transaction
from qrapp.models import LandingPage
from qrapp.services.errors import PermissionDenied, ServiceError
from qrapp.services.media import library, uploads
from qrapp.services.pages import editing
from tests.integration.media.conftest import stored_keys
from tests.support import media_samples as samples


def _upload(people, name, data):
    return uploads.upload(
        actor=people["editor"], workspace_id=people["workspace_id"], filename=name, data=data
    )


def test_list_search_and_filter(people):
    ws = people["workspace_id"]
    menu = _upload(people, "Lunch menu.pdf", samples.pdf())
    song = _upload(people, "Jingle 100%.mp3", samples.mp3())
    names = [a.name for a in library.list_assets(actor=people["viewer"], workspace_id=ws)]
    assert names == ["Jingle 100%.mp3", "Lunch menu.pdf"]  # newest first
    found = library.list_assets(actor=people["viewer"], workspace_id=ws, query="MENU")
    assert [a.id for a in found] == [str(menu.id)]
    assert [
        a.id for a in library.list_assets(actor=people["viewer"], workspace_id=ws, query="100%")
    ] == [str(song.id)]
    assert library.list_assets(actor=people["viewer"], workspace_id=ws, query="_") == []
    assert [
        a.id for a in library.list_assets(actor=people["viewer"], workspace_id=ws, kind="audio")
    ] == [str(song.id)]
    view = library.get_asset(actor=people["viewer"], workspace_id=ws, asset_id=menu.id)
    assert view.thumb_url == f"/m/{menu.id}/thumb"


def test_an_asset_used_by_a_page_cannot_be_deleted_until_it_is_not(people):
    ws = people["workspace_id"]
    asset = _upload(people, "Menu.pdf", samples.pdf())
    page = editing.create_page(actor=people["editor"], name="Dinner")
    draft = editing.get_page(actor=people["editor"], page_id=page.id).draft
    # Wherever a block keeps the id, the usage search finds it in the document.
    with_ref = {**draft, "meta_asset": str(asset.id)}
    with transaction() as tx:
        row = tx.session.get(LandingPage, page.id)
        row.draft = with_ref
        tx.session.add(row)
    uses = library.asset_usage(actor=people["viewer"], workspace_id=ws, asset_id=asset.id)
    assert [(u.page_name, u.where) for u in uses] == [("Dinner", "draft")]
    # The library page asks for all its files at once, with the same answers.
    unused = _upload(people, "Spare.pdf", samples.pdf())
    by_asset = library.usage_by_asset(
        actor=people["viewer"], workspace_id=ws, asset_ids=[str(asset.id), str(unused.id)]
    )
    assert by_asset == {str(asset.id): uses, str(unused.id): []}
    with pytest.raises(
        ServiceError, match=r"“Menu\.pdf” is used on “Dinner”\. Remove it from that page first\."
    ):
        library.delete_asset(actor=people["editor"], workspace_id=ws, asset_id=asset.id)
    with pytest.raises(PermissionDenied):
        library.delete_asset(actor=people["viewer"], workspace_id=ws, asset_id=asset.id)
    with transaction() as tx:
        row = tx.session.get(LandingPage, page.id)
        row.draft = draft
        tx.session.add(row)
    library.delete_asset(actor=people["editor"], workspace_id=ws, asset_id=asset.id)
    remaining = library.list_assets(actor=people["viewer"], workspace_id=ws)
    assert [a.id for a in remaining] == [str(unused.id)]
    assert not any(k.startswith(str(asset.id)) for k in stored_keys())
