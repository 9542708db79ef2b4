"""Lead forms end to end on real edge processes (SQLite, and PostgreSQL + Redis): a page
with a lead-form block published through the services; the edge's POST with its checks
(required fields, honeypot, fill time, forged token, rate limits, body cap); the lead on
the stream stored by the ingest once, counted as the page's conversion, mailed to the
owner; the leads service's table, neutralised export and audited deletion."""

from __future__ import annotations

import csv
import io
import re
import secrets
import time
import uuid

import pytest
import sqlalchemy as sa

from qrapp.core.pages.document import new_block
from qrapp.core.permissions import Role
from qrapp.db import engine, read_session
from qrapp.models import AuditLog, LeadSubmission
from qrapp.models.audit import AuditAction
from qrapp.services.errors import NotFound, PermissionDenied
from qrapp.services.pages import editing, leads, publishing
from qrapp.services.scans import ingest
from qrapp.services.workspaces import workspaces
from tests.integration.edge import conftest as edge_fixtures
from tests.integration.helpers import actor, add_member, sign_up_and_session
from tests.support.mailsink import body_of, mark, wait_for_new

pytestmark = pytest.mark.integration

edge_env = edge_fixtures.edge_env
start_edge = edge_fixtures.start_edge
owner = edge_fixtures.owner

FAST = {"LEAD_MIN_FILL_SECONDS": "0"}
_TOKEN = re.compile(r'name="_t" value="([^"]+)"')


def _visitor_ip() -> str:
    # Each test posts from its own /64 (the edges trust 127.0.0.1 as a proxy), so the
    # per-IP counters of one test never meet another's in the shared Redis.
    return f"2001:db8:{secrets.randbelow(0xFFFF):x}:{secrets.randbelow(0xFFFF):x}::7"


def publish_lead_page(owner_actor, **props) -> tuple[uuid.UUID, str, str]:
    """A published page with one lead form; (page id, slug, block id)."""
    page = editing.create_page(actor=owner_actor, name=f"Leads {uuid.uuid4().hex[:6]}")
    doc = dict(page.draft)
    block = new_block("lead_form")
    block["props"].update(
        {"ask_phone": "optional", "consent_text": "You may e-mail me about my request."} | props
    )
    doc["blocks"] = [*doc["blocks"], block]
    editing.save_draft(
        actor=owner_actor, page_id=page.id, document=doc, base_revision=page.draft_revision
    )
    publishing.publish(actor=owner_actor, page_id=page.id)
    return page.id, page.slug, block["id"]


class Visitor:
    """One browser: loads the page (a fresh form token), then posts the form."""

    def __init__(self, edge, slug: str, block_id: str) -> None:
        self.edge, self.slug, self.block_id = edge, slug, block_id
        self.ip = _visitor_ip()

    def open(self) -> str:
        r = self.edge.get(f"/p/{self.slug}", headers={"x-forwarded-for": self.ip})
        assert r.status_code == 200
        return _TOKEN.search(r.text).group(1)

    def post(self, fields: dict[str, str], *, token: str | None = None, content=None):
        data = {"_t": self.open() if token is None else token, **fields}
        return self.edge.client.post(
            f"/p/{self.slug}/f/{self.block_id}",
            data=None if content is not None else data,
            content=content,
            headers={
                "x-forwarded-for": self.ip,
                "user-agent": edge_fixtures.IPHONE,
                "content-type": "application/x-www-form-urlencoded",
            },
        )


GOOD = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "message": "Call me\nin the morning",
    "consent": "yes",
    "website": "",
}


def lead_count() -> int:
    with engine().connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM lead_submission")).scalar()


def drain_leads(expected: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while True:
        ingest.run_once(block_ms=100)
        n = lead_count()
        if n >= expected or time.monotonic() > deadline:
            return n


def settle() -> None:
    """Give the edge's capture time to flush, then ingest everything there is."""
    time.sleep(0.3)  # EDGE_FLUSH_MS is 20 in these tests; this is the upper bound
    ingest.run_once(block_ms=100)


def test_valid_lead_goes_through_the_stream_into_the_table_and_mails_the_owner(start_edge, owner):
    edge = start_edge(**FAST)
    page_id, slug, block_id = publish_lead_page(owner)
    visitor = Visitor(edge, slug, block_id)
    token = visitor.open()
    assert token != "0000000000.qrapp-form-token-here0"  # the edge wrote a real one
    since = mark()
    r = visitor.post(GOOD, token=token)
    assert r.status_code == 303
    assert r.headers["location"] == f"/p/{slug}/f/{block_id}"
    thanks = edge.get(r.headers["location"])
    assert thanks.status_code == 200
    assert "Thank you! We will be in touch." in thanks.text
    assert drain_leads(1) == 1
    with read_session() as s:
        lead = s.exec(sa.select(LeadSubmission)).scalars().one()
        assert lead.page_id == page_id
        assert lead.workspace_id == owner.workspace_id
        assert lead.block_id == block_id
        values = {f["name"]: f["value"] for f in lead.fields}
        assert values == {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "phone": "",
            "message": "Call me\nin the morning",
        }
        assert lead.consent_text == "You may e-mail me about my request."
    with engine().connect() as conn:
        conversions = conn.execute(
            sa.text("SELECT count(*) FROM page_event WHERE kind = 'lead' AND target = :t"),
            {"t": block_id},
        ).scalar()
    assert conversions == 1
    mail = wait_for_new(owner.email, "New lead from", since)
    assert "ada@example.com" in body_of(mail)
    # The same stream message delivered again stores nothing twice.
    ingest.run_once(block_ms=100)
    assert lead_count() == 1


def test_missing_required_field_shows_the_message_with_the_values_escaped(start_edge, owner):
    edge = start_edge(**FAST)
    _pid, slug, block_id = publish_lead_page(owner)
    visitor = Visitor(edge, slug, block_id)
    r = visitor.post({**GOOD, "name": "<b>Ada</b>", "email": ""})
    assert r.status_code == 422
    assert "Fill in “E-mail”." in r.text
    assert 'value="&lt;b&gt;Ada&lt;/b&gt;"' in r.text
    assert "<b>Ada</b>" not in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "form-action 'self'" in r.headers["content-security-policy"]
    # The page offers a fresh token, so sending it corrected works.
    token = _TOKEN.search(r.text).group(1)
    again = visitor.post(GOOD, token=token)
    assert again.status_code == 303
    assert drain_leads(1) == 1


def test_honeypot_and_forged_token_store_nothing(start_edge, owner):
    edge = start_edge(**FAST)
    _pid, slug, block_id = publish_lead_page(owner)
    visitor = Visitor(edge, slug, block_id)
    bot = visitor.post({**GOOD, "website": "https://spam.example"})
    assert bot.status_code == 303  # thanked, so it learns nothing
    forged = visitor.post(GOOD, token="0000000001.AAAAAAAAAAAAAAAAAAAAAA")
    assert forged.status_code == 400
    assert "send it again" in forged.text
    no_token = visitor.post(GOOD, token="")
    assert no_token.status_code == 400
    settle()
    assert lead_count() == 0


def test_a_form_sent_faster_than_the_minimum_fill_time_is_refused(start_edge, owner):
    edge = start_edge(LEAD_MIN_FILL_SECONDS="30")
    _pid, slug, block_id = publish_lead_page(owner)
    visitor = Visitor(edge, slug, block_id)
    r = visitor.post(GOOD)
    assert r.status_code == 400
    assert "quicker than a person types" in r.text
    # What was typed is kept for the person to send again.
    assert 'value="Ada Lovelace"' in r.text
    settle()
    assert lead_count() == 0


def test_rate_limits_per_ip_and_per_page(start_edge, owner):
    edge = start_edge(**FAST, LEAD_MAX_PER_IP="2", LEAD_MAX_PER_PAGE="4")
    _pid, slug, block_id = publish_lead_page(owner)
    visitor = Visitor(edge, slug, block_id)
    assert [visitor.post(GOOD).status_code for _ in range(3)] == [303, 303, 429]
    limited = visitor.post(GOOD)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert "Too many forms" in limited.text
    # The page's own limit: two more visitors reach it (4 posts counted so far).
    other = Visitor(edge, slug, block_id)
    assert other.post(GOOD).status_code == 429
    assert drain_leads(2) == 2
    settle()
    assert lead_count() == 2


def test_an_oversize_body_is_refused_unread(start_edge, owner):
    edge = start_edge(**FAST, LEAD_MAX_BODY_BYTES="4096")
    _pid, slug, block_id = publish_lead_page(owner)
    visitor = Visitor(edge, slug, block_id)
    token = visitor.open()
    body = f"_t={token}&name=Ada&email=ada%40example.com&consent=yes&message=" + "x" * 5000
    r = visitor.post({}, content=body.encode())
    assert r.status_code == 413
    assert "too long" in r.text
    settle()
    assert lead_count() == 0


def test_export_is_neutralised_and_deletion_is_for_editors_only(start_edge, owner):
    edge = start_edge(**FAST)
    page_id, slug, block_id = publish_lead_page(owner)
    visitor = Visitor(edge, slug, block_id)
    evil = {**GOOD, "name": '=HYPERLINK("https://evil.example")', "message": "+1 -2 @3"}
    assert visitor.post(evil).status_code == 303
    assert drain_leads(1) == 1

    export, body = leads.export_leads(actor=owner, page_id=page_id, fmt="csv")
    assert export.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Sent at (UTC)", "Name", "E-mail", "Phone", "Message", "Consent"]
    assert rows[1][1] == '\'=HYPERLINK("https://evil.example")'
    assert rows[1][4] == "'+1 -2 @3"
    _x, xlsx = leads.export_leads(actor=owner, page_id=page_id, fmt="xlsx")
    assert xlsx[:2] == b"PK"

    lead_id = leads.leads_table(actor=owner, page_id=page_id).leads[0].id
    viewer_token = sign_up_and_session(f"viewer-{uuid.uuid4().hex[:6]}@example.com")
    viewer = actor(viewer_token)
    add_member(owner.workspace_id, viewer.user_id, Role.VIEWER)
    workspaces.switch(actor=viewer, workspace_id=owner.workspace_id)
    viewer_here = actor(viewer_token)
    with pytest.raises(PermissionDenied):
        leads.delete_lead(actor=viewer_here, lead_id=lead_id)
    # A viewer reads the table but cannot export either.
    assert len(leads.leads_table(actor=viewer_here, page_id=page_id).leads) == 1
    with pytest.raises(PermissionDenied):
        leads.export_leads(actor=viewer_here, page_id=page_id, fmt="csv")
    # Another workspace's owner: "not found", as for a missing lead.
    stranger = actor(sign_up_and_session(f"b-{uuid.uuid4().hex[:6]}@example.com"))
    with pytest.raises(NotFound):
        leads.delete_lead(actor=stranger, lead_id=lead_id)
    with pytest.raises(NotFound):
        leads.leads_table(actor=stranger, page_id=page_id)
    assert lead_count() == 1

    leads.delete_lead(actor=owner, lead_id=lead_id, ip="203.0.113.5")
    assert lead_count() == 0
    with read_session() as s:
        audit = (
            s.exec(sa.select(AuditLog).where(AuditLog.action == AuditAction.LEAD_DELETED.value))
            .scalars()
            .one()
        )
        assert audit.target_id == str(lead_id)
        assert "Ada" not in str(audit.details)
