"""Landing pages through services.pages: drafts with an optimistic revision, publishing
to immutable versions the edge reads through page_access, restore, duplicate, delete,
templates, slug rules, permissions, tenancy and audit. On SQLite and PostgreSQL.

Over 400 lines: one service's whole contract, sharing the fixtures of a page with its
versions.
"""

from __future__ import annotations

import copy
import os
import threading
import time

import pytest
from sqlmodel import col, select

from qrapp.cachebus import PAGE_CHANNEL, page_changes_marker_path, page_version_key
from qrapp.core.pages.document import new_block
from qrapp.core.pages.starters import STARTERS
from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import AuditLog, LandingPage, LandingPageVersion, QRCode
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied
from qrapp.services.pages import editing, page_access
from qrapp.services.pages.editing import StaleDraft
from qrapp.services.workspaces import workspaces
from qrapp.settings import get_settings
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace
from tests.support.plans import give_plan


@pytest.fixture
def people(clean_db):
    ws = team_workspace("Pages team")
    give_plan(ws.id, "business")  # room for the many pages made below
    out = {}
    for role in (Role.OWNER, Role.EDITOR, Role.VIEWER):
        token = sign_up_and_session(f"{role.value}@pages.example", name=role.value.title())
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        out[role.value] = actor(token)
    out["stranger"] = actor(sign_up_and_session("someone@elsewhere.example"))
    return out


def _with_heading(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    doc["blocks"].append(new_block("heading"))
    return doc


def _audit_actions(page_id) -> list[str]:
    with read_session() as s:
        return list(
            s.exec(
                select(AuditLog.action)
                .where(AuditLog.target_id == str(page_id))
                .order_by(col(AuditLog.created_at), col(AuditLog.id))
            ).all()
        )


def _stored(page_id) -> LandingPage:
    with read_session() as s:
        page = s.get(LandingPage, page_id)
        assert page is not None
        return page


# --- create -------------------------------------------------------------------------------


def test_a_blank_page_gets_a_slug_from_its_name_and_is_a_draft(people):
    page = editing.create_page(actor=people["editor"], name="  Café   Menu! ")
    assert (page.name, page.slug, page.domain, page.status) == (
        "Café Menu!",
        "cafe-menu",
        "",
        "draft",
    )
    assert page.draft_revision == 1
    assert page.published_version is None
    assert page_access.published_page("", "cafe-menu") is None
    assert _audit_actions(page.id) == ["page.created"]


@pytest.mark.parametrize("starter", [st.key for st in STARTERS])
def test_every_starter_makes_a_valid_page_that_publishes(people, starter):
    page = editing.create_page(actor=people["editor"], name=f"From {starter}", starter=starter)
    assert page.draft["blocks"], "a starter has content"
    version = editing.publish(actor=people["editor"], page_id=page.id)
    assert version.number == 1
    served = page_access.published_page("", page.slug)
    assert served is not None
    assert served["html"].lstrip().lower().startswith("<!doctype html")
    assert "<script" not in served["html"].lower()


def test_unknown_starter_or_two_sources_are_refused(people):
    with pytest.raises(FieldErrors) as err:
        editing.create_page(actor=people["editor"], name="X", starter="no-such-starter")
    assert "template" in err.value.message
    with pytest.raises(FieldErrors):
        editing.create_page(actor=people["editor"], name="   ")
    assert editing.list_pages(actor=people["editor"]) == []


def test_slugs_are_unique_per_domain_and_follow_the_rules(people):
    ed = people["editor"]
    first = editing.create_page(actor=ed, name="Spring menu")
    second = editing.create_page(actor=ed, name="Spring Menu")
    third = editing.create_page(actor=people["owner"], name="spring-menu")
    assert [first.slug, second.slug, third.slug] == [
        "spring-menu",
        "spring-menu-2",
        "spring-menu-3",
    ]
    # A name that makes no usable slug still gets a valid, free one.
    odd = editing.create_page(actor=ed, name="Admin")
    assert odd.slug == "page"
    assert editing.create_page(actor=ed, name="!!").slug == "page-2"

    for bad, words in [
        ("ab", "3 to 60"),
        ("Spring", "lowercase"),
        ("spring menu", "lowercase"),
        ("api", "reserved"),
        ("login", "reserved"),
        ("spring-menu-2", "taken"),
    ]:
        with pytest.raises(FieldErrors) as err:
            editing.set_slug(actor=ed, page_id=first.id, slug=bad)
        assert words in err.value.errors["slug"], bad
    assert _stored(first.id).slug == "spring-menu"

    moved = editing.set_slug(actor=ed, page_id=first.id, slug="lunch")
    assert moved.slug == "lunch"
    assert "page.slug_changed" in _audit_actions(first.id)
    # The old slug is free again.
    assert editing.set_slug(actor=ed, page_id=second.id, slug="spring-menu").slug == "spring-menu"


def test_changing_the_slug_of_a_published_page_moves_it(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Old address")
    doc = copy.deepcopy(page.draft)
    doc["blocks"].append(new_block("button"))
    editing.save_draft(actor=ed, page_id=page.id, document=doc, base_revision=1)
    v1 = editing.publish(actor=ed, page_id=page.id)
    assert "/p/old-address/c/" in v1.html
    editing.set_slug(actor=ed, page_id=page.id, slug="new-address")
    assert page_access.published_page("", "old-address") is None
    served = page_access.published_page("", "new-address")
    assert served is not None
    # Re-rendered for the new address (a new version): the button's counted link follows.
    assert served["version"] == 2
    assert "/p/new-address/c/" in served["html"]
    assert "/p/old-address" not in served["html"]
    assert set(served["clicks"]) == set(v1.clicks)


# --- drafts -------------------------------------------------------------------------------


def test_save_draft_moves_the_revision_and_a_stale_save_is_refused(people):
    ed, owner = people["editor"], people["owner"]
    page = editing.create_page(actor=ed, name="Drafts")
    tab_a = _with_heading(page.draft)
    rev = editing.save_draft(actor=ed, page_id=page.id, document=tab_a, base_revision=1)
    assert rev == 2
    stored = _stored(page.id)
    assert (stored.draft_revision, len(stored.draft["blocks"])) == (2, len(tab_a["blocks"]))

    # A second tab (or a colleague) that loaded revision 1 saves: refused, nothing lost.
    tab_b = copy.deepcopy(page.draft)
    with pytest.raises(StaleDraft) as err:
        editing.save_draft(actor=owner, page_id=page.id, document=tab_b, base_revision=1)
    assert "changed in another tab or by someone else" in err.value.message
    assert err.value.current_revision == 2
    after = _stored(page.id)
    assert (after.draft_revision, after.draft) == (2, stored.draft)


def test_concurrent_saves_from_the_same_revision_let_exactly_one_win(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Race")
    doc = _with_heading(page.draft)
    outcomes: list[object] = []
    start = threading.Barrier(4)

    def save():
        start.wait()
        try:
            outcomes.append(
                editing.save_draft(actor=ed, page_id=page.id, document=doc, base_revision=1)
            )
        except StaleDraft as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=save) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(type(o).__name__ for o in outcomes) == ["StaleDraft"] * 3 + ["int"]
    assert _stored(page.id).draft_revision == 2


def test_an_invalid_document_is_refused_with_a_clear_message_and_changes_nothing(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Strict")
    bad = copy.deepcopy(page.draft)
    bad["blocks"].append({"id": "zz1", "type": "no-such-block", "props": {}})
    with pytest.raises(FieldErrors) as err:
        editing.save_draft(actor=ed, page_id=page.id, document=bad, base_revision=1)
    assert "document" in err.value.errors
    assert "Traceback" not in err.value.message
    for not_a_document in (None, [], "blocks"):
        with pytest.raises(FieldErrors):
            editing.save_draft(actor=ed, page_id=page.id, document=not_a_document, base_revision=1)
    after = _stored(page.id)
    assert (after.draft_revision, after.draft) == (1, page.draft)


def test_the_stored_draft_is_normalised_and_rich_text_sanitised(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Clean")
    doc = copy.deepcopy(page.draft)
    block = new_block("rich_text")
    block["props"]["html"] = (
        'Hi <b>there</b><script>alert(1)</script><img src=x onerror="alert(2)">'
    )
    doc["blocks"].append(block)
    editing.save_draft(actor=ed, page_id=page.id, document=doc, base_revision=1)
    stored = str(_stored(page.id).draft)
    assert "<script" not in stored
    assert "onerror" not in stored
    assert "<b>there</b>" in stored


# --- publish, versions, restore -----------------------------------------------------------


def test_publish_stores_an_immutable_version_that_page_access_serves(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Launch")
    v1 = editing.publish(actor=ed, page_id=page.id, ip="203.0.113.5")
    served = page_access.published_page("", "launch")
    assert served is not None
    assert (served["page_id"], served["version"], served["slug"]) == (str(page.id), 1, "launch")
    assert (served["html"], served["etag"], served["csp"]) == (v1.html, v1.etag, v1.csp)
    assert "default-src 'none'" in served["csp"]
    assert page_access.published_page_by_id(page.id) == served
    assert page_access.published_page_by_id(str(page.id)) == served
    assert page_access.published_page_by_id("not-a-uuid") is None
    after = _stored(page.id)
    assert (after.status, after.published_version) == ("published", 1)
    assert after.published_at is not None

    # The draft moves on; the live page does not until the next publish.
    editing.save_draft(
        actor=ed, page_id=page.id, document=_with_heading(page.draft), base_revision=1
    )
    assert page_access.published_page("", "launch")["etag"] == v1.etag
    v2 = editing.publish(actor=ed, page_id=page.id, revision=2)
    assert v2.number == 2
    assert page_access.published_page("", "launch")["version"] == 2
    assert page_access.published_page("", "launch")["etag"] != v1.etag
    with read_session() as s:
        first = s.exec(
            select(LandingPageVersion).where(
                LandingPageVersion.page_id == page.id, LandingPageVersion.number == 1
            )
        ).one()
    assert (first.html, first.etag) == (v1.html, v1.etag)  # version 1 is untouched

    with read_session() as s:
        row = s.exec(
            select(AuditLog).where(
                AuditLog.target_id == str(page.id), AuditLog.action == "page.published"
            )
        ).all()
    assert sorted((r.details["version"], r.actor_user_id) for r in row) == [
        (1, ed.user_id),
        (2, ed.user_id),
    ]
    assert {r.ip for r in row} == {"203.0.113.5", ""}

    versions = editing.list_versions(actor=people["viewer"], page_id=page.id)
    assert [(v.number, v.is_live, v.author) for v in versions] == [
        (2, True, "Editor"),
        (1, False, "Editor"),
    ]


def test_publish_with_a_stale_revision_is_refused(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Careful")
    editing.save_draft(
        actor=ed, page_id=page.id, document=_with_heading(page.draft), base_revision=1
    )
    with pytest.raises(StaleDraft):
        editing.publish(actor=ed, page_id=page.id, revision=1)
    assert page_access.published_page("", "careful") is None
    assert _stored(page.id).status == "draft"


def test_unpublish_takes_the_page_off_and_publish_brings_it_back(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Seasonal")
    editing.publish(actor=ed, page_id=page.id)
    editing.unpublish(actor=ed, page_id=page.id)
    assert page_access.published_page("", "seasonal") is None
    assert page_access.published_page_by_id(page.id) is None
    assert _stored(page.id).status == "unpublished"
    assert editing.list_pages(actor=ed)[0].status == "unpublished"
    editing.publish(actor=ed, page_id=page.id)
    assert page_access.published_page("", "seasonal")["version"] == 2
    assert _audit_actions(page.id) == [
        "page.created",
        "page.published",
        "page.unpublished",
        "page.published",
    ]


def test_restore_makes_an_old_version_the_draft(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="History")
    editing.publish(actor=ed, page_id=page.id)  # v1: no blocks
    longer = _with_heading(page.draft)
    editing.save_draft(actor=ed, page_id=page.id, document=longer, base_revision=1)
    editing.publish(actor=ed, page_id=page.id)  # v2: one block more
    rev = editing.restore_version(actor=ed, page_id=page.id, number=1)
    assert rev == 3
    stored = _stored(page.id)
    assert stored.draft_revision == 3
    assert len(stored.draft["blocks"]) == len(page.draft["blocks"])
    # The live page stays v2 until someone publishes; an editor open at revision 2 is stale.
    assert page_access.published_page("", "history")["version"] == 2
    with pytest.raises(StaleDraft):
        editing.save_draft(actor=ed, page_id=page.id, document=longer, base_revision=2)
    with pytest.raises(NotFound):
        editing.restore_version(actor=ed, page_id=page.id, number=9)
    assert "page.version_restored" in _audit_actions(page.id)


# --- duplicate, delete, list --------------------------------------------------------------


def test_duplicate_copies_the_draft_under_a_new_address(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Original")
    editing.save_draft(
        actor=ed, page_id=page.id, document=_with_heading(page.draft), base_revision=1
    )
    editing.publish(actor=ed, page_id=page.id)
    copy_ = editing.duplicate_page(actor=ed, page_id=page.id)
    assert (copy_.name, copy_.slug, copy_.status) == ("Original (copy)", "original-copy", "draft")
    assert copy_.draft == _stored(page.id).draft
    assert copy_.id != page.id
    assert page_access.published_page("", copy_.slug) is None


def test_delete_removes_page_and_versions_and_codes_lose_the_link(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Gone soon")
    editing.publish(actor=ed, page_id=page.id)
    code = qrcodes.create(actor=ed, data=CodeInput(name="Door", destination="https://a.example"))
    with transaction() as tx:
        row = tx.session.get(QRCode, code.id)
        row.landing_page_id = page.id
        tx.session.add(row)
    editing.delete_page(actor=ed, page_id=page.id, ip="198.51.100.7")
    with read_session() as s:
        assert s.get(LandingPage, page.id) is None
        assert (
            s.exec(select(LandingPageVersion).where(LandingPageVersion.page_id == page.id)).all()
            == []
        )
        kept = s.get(QRCode, code.id)
        assert kept is not None
        assert kept.landing_page_id is None
        deleted = s.exec(
            select(AuditLog).where(
                AuditLog.target_id == str(page.id), AuditLog.action == "page.deleted"
            )
        ).one()
    assert deleted.details["slug"] == "gone-soon"
    assert page_access.published_page("", "gone-soon") is None
    with pytest.raises(NotFound):
        editing.get_page(actor=ed, page_id=page.id)


def test_list_pages_shows_status_views_and_last_publish(people):
    ed = people["editor"]
    a = editing.create_page(actor=ed, name="Alpha")
    b = editing.create_page(actor=ed, name="Beta")
    editing.publish(actor=ed, page_id=a.id)
    rows = {r.name: r for r in editing.list_pages(actor=people["viewer"])}
    assert set(rows) == {"Alpha", "Beta"}
    assert (rows["Alpha"].status, rows["Alpha"].published_version) == ("published", 1)
    assert rows["Alpha"].published_at is not None
    assert (rows["Beta"].status, rows["Beta"].published_at) == ("draft", None)
    assert rows["Beta"].views == 0
    assert rows["Beta"].id == b.id


# --- templates ----------------------------------------------------------------------------


def test_save_as_template_and_create_from_it(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Base")
    editing.save_draft(
        actor=ed, page_id=page.id, document=_with_heading(page.draft), base_revision=1
    )
    template = editing.save_as_template(
        actor=ed, page_id=page.id, name="Our look", description="House colours"
    )
    with pytest.raises(FieldErrors, match="already a template"):
        editing.save_as_template(actor=ed, page_id=page.id, name="Our look")
    choices = editing.list_templates(actor=people["viewer"])
    assert [c.key for c in choices if c.kind == "starter"] == [st.key for st in STARTERS]
    assert [(c.kind, c.key, c.name) for c in choices if c.kind == "workspace"] == [
        ("workspace", str(template.id), "Our look")
    ]
    made = editing.create_page(actor=ed, name="From ours", template_id=template.id)
    assert made.draft == _stored(page.id).draft

    # Another workspace sees only the starters and cannot use or delete the template.
    stranger = people["stranger"]
    assert all(c.kind == "starter" for c in editing.list_templates(actor=stranger))
    with pytest.raises(NotFound):
        editing.create_page(actor=stranger, name="Mine", template_id=template.id)
    with pytest.raises(NotFound):
        editing.delete_template(actor=stranger, template_id=template.id)
    with pytest.raises(PermissionDenied):
        editing.delete_template(actor=people["viewer"], template_id=template.id)
    editing.delete_template(actor=ed, template_id=template.id)
    assert all(c.kind == "starter" for c in editing.list_templates(actor=ed))
    with read_session() as s:
        actions = s.exec(select(AuditLog.action)).all()
    assert {"page_template.saved", "page_template.deleted"} <= set(actions)


def test_preview_is_the_public_rendering(people):
    page = editing.create_page(actor=people["editor"], name="Preview me")
    html = editing.preview_html(page.draft)
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "Preview me" in html
    with pytest.raises(FieldErrors):
        editing.preview_html({"blocks": [{"id": "a", "type": "nope", "props": {}}]})


# --- permissions and tenancy --------------------------------------------------------------


def test_a_viewer_reads_but_cannot_edit(people):
    page = editing.create_page(actor=people["editor"], name="Read only")
    viewer = people["viewer"]
    assert editing.get_page(actor=viewer, page_id=page.id).id == page.id
    assert [p.id for p in editing.list_pages(actor=viewer)] == [page.id]
    doc = _with_heading(page.draft)
    for call in (
        lambda: editing.create_page(actor=viewer, name="Mine"),
        lambda: editing.save_draft(actor=viewer, page_id=page.id, document=doc, base_revision=1),
        lambda: editing.rename_page(actor=viewer, page_id=page.id, name="Mine"),
        lambda: editing.set_slug(actor=viewer, page_id=page.id, slug="mine"),
        lambda: editing.publish(actor=viewer, page_id=page.id),
        lambda: editing.unpublish(actor=viewer, page_id=page.id),
        lambda: editing.restore_version(actor=viewer, page_id=page.id, number=1),
        lambda: editing.duplicate_page(actor=viewer, page_id=page.id),
        lambda: editing.delete_page(actor=viewer, page_id=page.id),
        lambda: editing.save_as_template(actor=viewer, page_id=page.id, name="T"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    after = _stored(page.id)
    assert (after.name, after.slug, after.draft_revision, after.status) == (
        "Read only",
        "read-only",
        1,
        "draft",
    )
    assert len(editing.list_pages(actor=viewer)) == 1


def test_another_workspaces_page_is_not_found_and_unchanged(people):
    page = editing.create_page(actor=people["editor"], name="Ours")
    editing.publish(actor=people["editor"], page_id=page.id)
    stranger = people["stranger"]
    doc = _with_heading(page.draft)
    calls = [
        lambda: editing.get_page(actor=stranger, page_id=page.id),
        lambda: editing.save_draft(actor=stranger, page_id=page.id, document=doc, base_revision=1),
        lambda: editing.rename_page(actor=stranger, page_id=page.id, name="Theirs"),
        lambda: editing.set_slug(actor=stranger, page_id=page.id, slug="theirs"),
        lambda: editing.publish(actor=stranger, page_id=page.id),
        lambda: editing.unpublish(actor=stranger, page_id=page.id),
        lambda: editing.list_versions(actor=stranger, page_id=page.id),
        lambda: editing.restore_version(actor=stranger, page_id=page.id, number=1),
        lambda: editing.duplicate_page(actor=stranger, page_id=page.id),
        lambda: editing.delete_page(actor=stranger, page_id=page.id),
        lambda: editing.save_as_template(actor=stranger, page_id=page.id, name="T"),
    ]
    for call in calls:
        with pytest.raises(NotFound) as err:
            call()
        assert err.value.message == NotFound("page").message
    assert editing.list_pages(actor=stranger) == []
    after = _stored(page.id)
    assert (after.name, after.slug, after.draft_revision, after.published_version) == (
        "Ours",
        "ours",
        1,
        1,
    )


def test_rename_keeps_the_address_and_is_audited(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="First name")
    renamed = editing.rename_page(actor=ed, page_id=page.id, name="Second name")
    assert (renamed.name, renamed.slug) == ("Second name", "first-name")
    with pytest.raises(FieldErrors):
        editing.rename_page(actor=ed, page_id=page.id, name=" ")
    assert _audit_actions(page.id) == ["page.created", "page.renamed"]


# --- the edges are told -------------------------------------------------------------------


def _wait_for(predicate, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not reached in time")


def test_publish_is_announced_to_the_edges(people):
    ed = people["editor"]
    page = editing.create_page(actor=ed, name="Announce")
    redis_url = get_settings().redis_url
    if not redis_url:
        marker = page_changes_marker_path()
        before = os.stat(marker).st_mtime_ns if marker.exists() else 0
        editing.publish(actor=ed, page_id=page.id)
        assert os.stat(marker).st_mtime_ns != before
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    pubsub.subscribe(PAGE_CHANNEL)
    _wait_for(lambda: pubsub.get_message(timeout=0.1))  # the subscribe confirmation
    before = int(client.get(page_version_key("", "announce")) or 0)
    editing.publish(actor=ed, page_id=page.id)
    msg = _wait_for(lambda: pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1))
    assert msg["data"].decode() == f"\nannounce\n{page.id}"
    assert int(client.get(page_version_key("", "announce"))) == before + 1
    pubsub.close()
