"""Page A/B tests through the services and real edge processes (SQLite, and PostgreSQL +
Redis): visitors split by weight and kept on their variant, the variant recorded on views
and clicks, conversions counted per variant, "make the winner the page" publishing the
winner, and the rules (published pages only, one test at a time, weights and goals
checked, permissions, tenancy)."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, col, select

from qrapp.core.pages.document import new_block
from qrapp.core.permissions import Role
from qrapp.db import engine, read_session
from qrapp.models import AuditLog, LandingPage, PageTest
from qrapp.services.codes import code_pages
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied, ServiceError
from qrapp.services.pages import ab_results, ab_tests, editing, publishing
from qrapp.services.scans import ingest
from qrapp.services.workspaces import workspaces
from tests.integration.edge import conftest as edge_fixtures
from tests.integration.helpers import actor, add_member, sign_up_and_session
from tests.integration.test_leads import GOOD as LEAD
from tests.integration.test_leads import Visitor as LeadVisitor
from tests.integration.test_leads import publish_lead_page
from tests.support.plans import give_plan

pytestmark = pytest.mark.integration

edge_env = edge_fixtures.edge_env
start_edge = edge_fixtures.start_edge
edge = edge_fixtures.edge


@pytest.fixture
def owner(edge_env):
    """The edge tests' owner, on a plan with room for each test's variant page."""
    who = actor(sign_up_and_session(f"owner-{uuid.uuid4().hex[:6]}@example.com", "Owner"))
    give_plan(who.workspace_id, "business")
    return who


make_code = edge_fixtures.make_code

ORIGINAL = "Original headline"
CHALLENGER = "Challenger headline"


def _set_heading(page_id: uuid.UUID, owner_actor, text: str) -> None:
    page = editing.get_page(actor=owner_actor, page_id=page_id)
    doc = dict(page.draft)
    blocks = [dict(b) for b in doc["blocks"]]
    blocks[0] = {**blocks[0], "props": {**blocks[0]["props"], "text": text}}
    doc["blocks"] = blocks
    editing.save_draft(
        actor=owner_actor, page_id=page_id, document=doc, base_revision=page.draft_revision
    )


def published_page(owner_actor) -> tuple[uuid.UUID, str, str]:
    """A published page: a heading and a button (the test's goal); (id, slug, button id)."""
    page = editing.create_page(actor=owner_actor, name=f"Offer {uuid.uuid4().hex[:6]}")
    doc = dict(page.draft)
    button = new_block("button")
    button["props"].update(label="Buy now", url="https://shop.example.com/buy")
    doc["blocks"] = [*doc["blocks"], button]
    editing.save_draft(
        actor=owner_actor, page_id=page.id, document=doc, base_revision=page.draft_revision
    )
    _set_heading(page.id, owner_actor, ORIGINAL)
    publishing.publish(actor=owner_actor, page_id=page.id)
    return page.id, page.slug, button["id"]


def start_with_challenger(owner_actor, page_id, button_id, weights) -> uuid.UUID:
    """Start a test and publish variant B with another headline; B's page id."""
    ab_tests.start_test(
        actor=owner_actor, page_id=page_id, goal=f"click:{button_id}", weights=weights
    )
    view = ab_results.results_of(actor=owner_actor, page_id=page_id)
    b_page = uuid.UUID(view.variants[1].page_id)
    _set_heading(b_page, owner_actor, CHALLENGER)
    publishing.publish(actor=owner_actor, page_id=b_page)
    return b_page


def visit(edge, path: str, ip: str, cookies: dict[str, str] | None = None) -> httpx.Response:
    """One visitor's request: their own IP, only the cookies given (the shared client's
    jar is emptied, so visitors never share a cookie by accident)."""
    edge.client.cookies.clear()
    headers = {"x-forwarded-for": ip, "user-agent": edge_fixtures.IPHONE}
    if cookies:
        headers["cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return edge.client.get(path, headers=headers)


def variant_seen(r: httpx.Response) -> str:
    assert r.status_code == 200, r.text[:200]
    if CHALLENGER in r.text:
        return "B"
    assert ORIGINAL in r.text
    return "A"


def stored_variants(page_id: uuid.UUID) -> dict[str, int]:
    """Page events stored per variant (views and clicks)."""
    t = SQLModel.metadata.tables["page_event"]
    with engine().connect() as conn:
        rows = conn.execute(
            sa.select(t.c.variant, sa.func.count())
            .where(t.c.page_id == page_id)
            .group_by(t.c.variant)
        ).all()
    return {r[0]: r[1] for r in rows}


def drain(expected: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while True:
        ingest.run_once(block_ms=100)
        with engine().connect() as conn:
            n = conn.execute(sa.text("SELECT count(*) FROM page_event")).scalar()
        if n >= expected or time.monotonic() > deadline:
            return n


def test_visitors_split_by_weight_and_stay_on_their_variant(edge, owner):
    page_id, slug, button_id = published_page(owner)
    start_with_challenger(owner, page_id, button_id, {"A": 70, "B": 30})
    seen = {"A": 0, "B": 0}
    for i in range(2000):
        r = visit(edge, f"/p/{slug}", f"10.{i // 250}.{i % 250}.{(i * 7) % 250 + 1}")
        key = variant_seen(r)
        seen[key] += 1
        # Every answer keeps the choice in the page's cookie.
        assert f"={key}; Path=/;" in r.headers["set-cookie"]
    share_b = seen["B"] / 2000
    assert 0.27 <= share_b <= 0.33, seen

    # The same visitor (same address and browser) gets the same variant every time,
    # with or without the cookie; the cookie wins over the hash.
    for i in range(20):
        ip = f"10.20.{i}.9"
        first = variant_seen(visit(edge, f"/p/{slug}", ip))
        again = [variant_seen(visit(edge, f"/p/{slug}", ip)) for _ in range(3)]
        assert again == [first] * 3
    cookie_name = "qrab_" + page_id.hex[:16]
    for key in ("A", "B"):
        answers = {variant_seen(visit(edge, f"/p/{slug}", f"10.30.0.{n}", {cookie_name: key}))
                   for n in range(1, 11)}  # fmt: skip
        assert answers == {key}
    # A cookie naming no variant of the test is ignored: the visitor gets a real one.
    assert variant_seen(visit(edge, f"/p/{slug}", "10.31.0.1", {cookie_name: "Z"})) in "AB"


def test_conversions_are_counted_per_variant_and_the_winner_becomes_the_page(edge, owner):
    page_id, slug, button_id = published_page(owner)
    start_with_challenger(owner, page_id, button_id, {"A": 50, "B": 50})
    cookie_name = "qrab_" + page_id.hex[:16]
    # Four visitors on A (one clicks), four on B (three click, one of them twice).
    plan = {"A": [True, False, False, False], "B": [True, True, False, True]}
    events = 0
    for key, clicks in plan.items():
        for n, clicks_button in enumerate(clicks):
            ip = f"10.40.{ord(key)}.{n + 1}"
            assert variant_seen(visit(edge, f"/p/{slug}", ip, {cookie_name: key})) == key
            events += 1
            if clicks_button:
                r = visit(edge, f"/p/{slug}/c/{button_id}", ip, {cookie_name: key})
                assert r.status_code == 302
                assert r.headers["location"] == "https://shop.example.com/buy"
                events += 1
    r = visit(edge, f"/p/{slug}/c/{button_id}", "10.40.66.1", {cookie_name: "B"})
    events += 1
    assert drain(events) == events
    assert stored_variants(page_id) == {
        "A": 5,
        "B": 8,
    }

    view = ab_results.results_of(actor=owner, page_id=page_id)
    got = {v.key: (v.views, v.conversions) for v in view.variants}
    assert got == {"A": (4, 1), "B": (4, 3)}
    assert view.status == "running"
    assert view.goal_label == "Click on Button: Buy now"
    assert not view.enough_data
    assert view.verdict == "Not enough data yet: keep the test running."
    assert 0.0 < view.variants[1].probability_best < 1.0

    version = ab_tests.make_winner(actor=owner, page_id=page_id, key="B")
    after = ab_results.results_of(actor=owner, page_id=page_id)
    assert (after.status, after.winner) == ("stopped", "B")
    with read_session() as s:
        page = s.get(LandingPage, page_id)
        assert page.published_version == version.number
        actions = set(
            s.exec(select(AuditLog.action).where(AuditLog.target_id == str(page_id))).all()
        )
    assert {"page.test_started", "page.test_winner", "page.published"} <= actions
    assert CHALLENGER in page.draft["blocks"][0]["props"]["text"]

    def served() -> httpx.Response:
        return visit(edge, f"/p/{slug}", "10.50.0.1", {cookie_name: "A"})

    deadline = time.monotonic() + 10
    while CHALLENGER not in served().text and time.monotonic() < deadline:
        time.sleep(0.05)
    r = served()
    assert CHALLENGER in r.text  # the winner is the page for everybody, cookie or not
    assert "set-cookie" not in r.headers  # no test runs any more
    with pytest.raises(ServiceError, match="already made the page"):
        ab_tests.make_winner(actor=owner, page_id=page_id, key="A")


def test_stopping_serves_the_page_again(edge, owner):
    page_id, slug, button_id = published_page(owner)
    start_with_challenger(owner, page_id, button_id, {"A": 1, "B": 99})
    cookie_name = "qrab_" + page_id.hex[:16]
    assert variant_seen(visit(edge, f"/p/{slug}", "10.60.0.1", {cookie_name: "B"})) == "B"
    ab_tests.stop_test(actor=owner, page_id=page_id)
    deadline = time.monotonic() + 10
    while (
        variant_seen(visit(edge, f"/p/{slug}", "10.60.0.1", {cookie_name: "B"})) != "A"
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert variant_seen(visit(edge, f"/p/{slug}", "10.60.0.1", {cookie_name: "B"})) == "A"
    with read_session() as s:
        test = s.exec(select(PageTest).where(col(PageTest.page_id) == page_id)).one()
        assert test.status == "stopped"
        assert test.stopped_at is not None


def test_rules_permissions_and_tenancy(edge_env, owner):
    page_id, _slug, button_id = published_page(owner)
    goal = f"click:{button_id}"
    draft_only = editing.create_page(actor=owner, name="Not live yet")
    with pytest.raises(ServiceError, match="Publish the page first"):
        ab_tests.start_test(actor=owner, page_id=draft_only.id, goal=goal)
    with pytest.raises(FieldErrors) as bad_goal:
        ab_tests.start_test(actor=owner, page_id=page_id, goal="click:nope")
    assert "conversion" in bad_goal.value.errors["goal"]
    for weights, words in (
        ({"A": 100, "B": 0}, "at least two variants"),
        ({"A": 101, "B": 5}, "between 0 and 100"),
        ({"A": "lots", "B": 5}, "whole number"),
    ):
        with pytest.raises(FieldErrors) as bad:
            ab_tests.start_test(actor=owner, page_id=page_id, goal=goal, weights=weights)
        assert words in bad.value.errors["weights"]
    with read_session() as s:
        assert s.exec(select(PageTest)).all() == []  # refused starts left nothing behind

    token = sign_up_and_session(f"viewer-{uuid.uuid4().hex[:6]}@example.com")
    add_member(owner.workspace_id, actor(token).user_id, Role.VIEWER)
    workspaces.switch(actor=actor(token), workspace_id=owner.workspace_id)
    viewer = actor(token)
    with pytest.raises(PermissionDenied):
        ab_tests.start_test(actor=viewer, page_id=page_id, goal=goal)
    stranger = actor(sign_up_and_session(f"stranger-{uuid.uuid4().hex[:6]}@example.com"))
    with pytest.raises(NotFound):
        ab_tests.start_test(actor=stranger, page_id=page_id, goal=goal)
    with pytest.raises(NotFound):
        ab_results.results_of(actor=stranger, page_id=page_id)

    ab_tests.start_test(actor=owner, page_id=page_id, goal=goal)
    with pytest.raises(ServiceError, match="already has a test running"):
        ab_tests.start_test(actor=owner, page_id=page_id, goal=goal)
    b_page = uuid.UUID(ab_results.results_of(actor=owner, page_id=page_id).variants[1].page_id)
    publishing.publish(actor=owner, page_id=b_page)
    with pytest.raises(ServiceError, match="variant in another page's test"):
        ab_tests.start_test(actor=owner, page_id=b_page, goal=goal)
    with pytest.raises(NotFound):
        ab_tests.stop_test(actor=stranger, page_id=page_id)
    with pytest.raises(NotFound):
        ab_tests.make_winner(actor=stranger, page_id=page_id, key="B")
    ab_tests.set_weights(actor=owner, page_id=page_id, weights={"A": 20, "B": 80})
    view = ab_results.results_of(actor=viewer, page_id=page_id)  # viewers read the results
    assert [v.weight for v in view.variants] == [20, 80]
    assert [v.goal_missing for v in view.variants] == [False, False]
    # B's goal button replaced by another one in B's builder: the results say so.
    b = editing.get_page(actor=owner, page_id=b_page)
    doc = dict(b.draft)
    doc["blocks"] = [doc["blocks"][0], new_block("button")]
    editing.save_draft(actor=owner, page_id=b_page, document=doc, base_revision=b.draft_revision)
    publishing.publish(actor=owner, page_id=b_page)
    view = ab_results.results_of(actor=owner, page_id=page_id)
    assert [v.goal_missing for v in view.variants] == [False, True]
    with pytest.raises(PermissionDenied):
        ab_tests.stop_test(actor=viewer, page_id=page_id)


def test_a_code_answering_with_the_page_serves_the_variant(edge, owner, make_code):
    page_id, _slug, button_id = published_page(owner)
    start_with_challenger(owner, page_id, button_id, {"A": 50, "B": 50})
    code = make_code()
    code_pages.set_destination_page(actor=owner, code_id=code.id, page_id=page_id)
    cookie_name = "qrab_" + page_id.hex[:16]
    deadline = time.monotonic() + 10
    while (
        r := visit(edge, f"/{code.short_code}", "10.70.0.1", {cookie_name: "B"})
    ).status_code != 200:
        assert time.monotonic() < deadline, r.status_code
        time.sleep(0.05)
    assert variant_seen(r) == "B"
    assert f"{cookie_name}=B;" in r.headers["set-cookie"]
    # Without a cookie, the visitor's hash picks, the same as at /p/<slug>.
    for n in range(1, 6):
        ip = f"10.71.0.{n}"
        assert variant_seen(visit(edge, f"/{code.short_code}", ip)) == variant_seen(
            visit(edge, f"/p/{_slug}", ip)
        )
    assert drain(11) >= 11
    assert stored_variants(page_id)["B"] >= 1


def test_a_lead_counts_as_the_conversion_of_the_variant_it_was_sent_from(start_edge, owner):
    edge = start_edge(LEAD_MIN_FILL_SECONDS="0")
    page_id, slug, block_id = publish_lead_page(owner)
    ab_tests.start_test(actor=owner, page_id=page_id, goal=f"lead:{block_id}")
    cookie_name = "qrab_" + page_id.hex[:16]
    edge.client.cookies.clear()
    visitor = LeadVisitor(edge, slug, block_id)
    deadline = time.monotonic() + 10
    while not (key := edge.client.cookies.get(cookie_name)):  # until the edge runs the test
        token = visitor.open()
        assert time.monotonic() < deadline
    token = visitor.open()
    r = visitor.post(LEAD, token=token)
    assert r.status_code == 303
    other = "A" if key == "B" else "B"

    def results():
        ingest.run_once(block_ms=100)
        view = ab_results.results_of(actor=owner, page_id=page_id)
        return view, {v.key: (v.views, v.conversions) for v in view.variants}

    deadline = time.monotonic() + 20
    while (got := results()[1])[key] != (1, 1) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert got == {key: (1, 1), other: (0, 0)}
    assert results()[0].goal_label.startswith("Lead sent with")
