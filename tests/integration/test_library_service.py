"""The library service: search and filters, batch actions, tags and folders, each scoped
to the actor's workspace."""

from __future__ import annotations

import pytest
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models import AuditLog, Folder, QRCode
from qrapp.services.codes import library
from qrapp.services.codes.library import LibraryQuery
from qrapp.services.errors import FieldErrors, NotFound
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.scans import make_code


@pytest.fixture
def people(clean_db):
    return {
        "me": actor(sign_up_and_session("me@library.example")),
        "stranger": actor(sign_up_and_session("stranger@library.example")),
    }


def _codes(workspace_id) -> dict[str, QRCode]:
    with read_session() as s:
        rows = s.exec(select(QRCode).where(QRCode.workspace_id == workspace_id)).all()
    return {c.name: c for c in rows}


def _names(page: library.LibraryPage) -> list[str]:
    return [c.name for c in page.codes]


def test_search_filters_sorts_and_pages_within_the_workspace(people):
    me = people["me"]
    for name in ("Menu", "Poster", "Card"):
        make_code(me.workspace_id, name, tags=("Food",) if name != "Card" else ())
    make_code(people["stranger"].workspace_id, "Menu elsewhere", tags=("Food",))

    assert sorted(_names(library.search(actor=me, query=LibraryQuery()))) == [
        "Card",
        "Menu",
        "Poster",
    ]
    assert _names(library.search(actor=me, query=LibraryQuery(sort="name"))) == [
        "Card",
        "Menu",
        "Poster",
    ]
    assert _names(library.search(actor=me, query=LibraryQuery(search="men"))) == ["Menu"]
    tagged = library.search(actor=me, query=LibraryQuery(tag="food", sort="name"))
    assert (_names(tagged), tagged.total) == (["Menu", "Poster"], 2)
    second = library.search(actor=me, query=LibraryQuery(sort="name", per_page=2, page=2))
    assert (_names(second), second.total, second.page, second.pages) == (["Poster"], 3, 2, 2)
    assert library.workspace_tags(actor=me) == ["Food"]
    # The stranger sees only their own code.
    theirs = library.search(actor=people["stranger"], query=LibraryQuery())
    assert (_names(theirs), theirs.total) == (["Menu elsewhere"], 1)


def test_batch_pause_archive_activate_tag_and_untag(people):
    me = people["me"]
    ids = [make_code(me.workspace_id, name) for name in ("A", "B", "C")]

    assert library.bulk(actor=me, action="pause", code_ids=ids[:2]) == 2
    assert {n: c.status for n, c in _codes(me.workspace_id).items()} == {
        "A": "paused",
        "B": "paused",
        "C": "active",
    }
    paused = library.search(actor=me, query=LibraryQuery(status="paused", sort="name"))
    assert _names(paused) == ["A", "B"]

    assert library.bulk(actor=me, action="archive", code_ids=[ids[0]]) == 1
    assert _names(library.search(actor=me, query=LibraryQuery(sort="name"))) == ["B", "C"]
    archived = library.search(actor=me, query=LibraryQuery(status="archived"))
    assert _names(archived) == ["A"]
    assert library.bulk(actor=me, action="activate", code_ids=ids) == 3
    assert {c.status for c in _codes(me.workspace_id).values()} == {"active"}

    assert library.bulk(actor=me, action="tag", code_ids=ids[1:], tag="  Spring  sale ") == 2
    assert library.bulk(actor=me, action="tag", code_ids=ids[1:], tag="spring sale") == 2
    assert {n: c.tags for n, c in _codes(me.workspace_id).items()} == {
        "A": [],
        "B": ["Spring sale"],  # tagged once, whatever the case of the second try
        "C": ["Spring sale"],
    }
    assert library.bulk(actor=me, action="untag", code_ids=[ids[1]], tag="SPRING SALE") == 1
    assert _codes(me.workspace_id)["B"].tags == []
    with read_session() as s:
        actions = set(s.exec(select(AuditLog.action)).all())
    assert {"qr.bulk_pause", "qr.bulk_archive", "qr.bulk_tag", "qr.bulk_untag"} <= actions


def test_bad_batch_requests_change_nothing(people):
    me = people["me"]
    code = make_code(me.workspace_id, "A")
    with pytest.raises(FieldErrors) as err:
        library.bulk(actor=me, action="explode", code_ids=[code])
    assert "action" in err.value.errors
    with pytest.raises(FieldErrors) as err:
        library.bulk(actor=me, action="tag", code_ids=[code], tag="   ")
    assert "tag" in err.value.errors
    assert _codes(me.workspace_id)["A"].tags == []


def test_folders_group_codes_and_deleting_one_keeps_its_codes(people):
    me = people["me"]
    ids = [make_code(me.workspace_id, name) for name in ("A", "B")]
    folder = library.create_folder(actor=me, name="  Summer   menus ")
    assert folder.name == "Summer menus"
    with pytest.raises(FieldErrors) as err:
        library.create_folder(actor=me, name="Summer menus")
    assert "already a folder" in err.value.errors["folder"]
    with pytest.raises(FieldErrors):
        library.create_folder(actor=me, name="   ")
    assert [f.name for f in library.folders(actor=me)] == ["Summer menus"]

    assert library.bulk(actor=me, action="move", code_ids=ids[:1], folder_id=folder.id) == 1
    inside = library.search(actor=me, query=LibraryQuery(folder_id=folder.id))
    assert _names(inside) == ["A"]
    # Moving with no folder takes the codes out of any folder.
    assert library.bulk(actor=me, action="move", code_ids=ids[:1], folder_id=None) == 1
    assert _codes(me.workspace_id)["A"].folder_id is None
    library.bulk(actor=me, action="move", code_ids=ids, folder_id=folder.id)

    library.delete_folder(actor=me, folder_id=folder.id)
    assert library.folders(actor=me) == []
    assert {c.folder_id for c in _codes(me.workspace_id).values()} == {None}
    with pytest.raises(NotFound):
        library.delete_folder(actor=me, folder_id=folder.id)


def test_batch_delete_removes_only_the_workspaces_codes(people):
    me, stranger = people["me"], people["stranger"]
    mine = make_code(me.workspace_id, "Mine")
    theirs = make_code(stranger.workspace_id, "Theirs")
    assert library.bulk(actor=me, action="delete", code_ids=[mine, theirs]) == 1
    assert _codes(me.workspace_id) == {}
    assert list(_codes(stranger.workspace_id)) == ["Theirs"]


def test_another_workspace_cannot_touch_my_codes_or_folders(people):
    me, stranger = people["me"], people["stranger"]
    ids = [make_code(me.workspace_id, name, tags=("Keep",)) for name in ("A", "B")]
    folder = library.create_folder(actor=me, name="Mine")
    library.bulk(actor=me, action="move", code_ids=ids, folder_id=folder.id)
    before = {n: (c.status, c.tags, c.folder_id) for n, c in _codes(me.workspace_id).items()}

    # My ids are ignored as if they did not exist...
    for action in ("pause", "archive", "delete", "untag", "move"):
        assert library.bulk(actor=stranger, action=action, code_ids=ids, tag="Keep") == 0
    assert library.bulk(actor=stranger, action="tag", code_ids=ids, tag="Theirs") == 0
    # ...and my folder is not found, neither to move into nor to delete.
    with pytest.raises(NotFound) as err:
        library.bulk(actor=stranger, action="move", code_ids=ids, folder_id=folder.id)
    assert err.value.message == NotFound("folder").message
    with pytest.raises(NotFound):
        library.delete_folder(actor=stranger, folder_id=folder.id)
    assert library.folders(actor=stranger) == []
    assert library.workspace_tags(actor=stranger) == []

    after = {n: (c.status, c.tags, c.folder_id) for n, c in _codes(me.workspace_id).items()}
    assert after == before
    with read_session() as s:
        assert s.get(Folder, folder.id) is not None
