"""Content beyond the plan after a downgrade: the newest codes and pages beyond the
allowance are read-only (edits refused with the reason), still scan and serve, and can
be archived or deleted to get back under the limit. Plus the two-at-once race for the
last place, the media allowance and the operator CLI. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from qrapp.core.plans import MB, Resource
from qrapp.db import read_session, transaction
from qrapp.models import MediaAsset, QRCode, Workspace
from qrapp.models.billing import Subscription
from qrapp.models.types import utcnow
from qrapp.services.billing import entitlements
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.codes import code_access, qrcodes, redirect_rules
from qrapp.services.media import uploads
from qrapp.services.pages import editing as pages
from qrapp.services.pages import publishing
from tests.integration.billing.test_limits import dynamic, owner, seed_codes  # noqa: F401
from tests.integration.media.conftest import people  # noqa: F401
from tests.support import media_samples as samples
from tests.support.plans import give_plan
from tests.support.processes import ROOT

READ_ONLY = (
    "This code is read-only: your Free plan includes 10 dynamic codes and this workspace "
    "has 14. Upgrade, or archive other codes."
)


def test_after_a_downgrade_the_newest_codes_are_read_only_and_still_scan(owner):  # noqa: F811
    give_plan(owner.workspace_id, "business")
    seeded = seed_codes(owner.workspace_id, 14)
    give_plan(owner.workspace_id, "free")  # the operator ends the deal: Free's limits
    newest, oldest = seeded[13], seeded[0]
    edits = [
        lambda c: qrcodes.change_destination(
            actor=owner, code_id=c.id, destination="https://example.com/changed"
        ),
        lambda c: qrcodes.update_code(actor=owner, code_id=c.id, name="Renamed", design={}),
        lambda c: qrcodes.set_utm(actor=owner, code_id=c.id, utm={"utm_source": "print"}),
        lambda c: qrcodes.set_validity(actor=owner, code_id=c.id, max_scans=5),
        lambda c: redirect_rules.add_rule(
            actor=owner,
            code_id=c.id,
            data=redirect_rules.RuleInput(
                conditions=[{"field": "country", "op": "in", "value": ["GB"]}],
                destination="https://example.com/ios",
            ),
        ),
    ]
    for edit in edits:
        with pytest.raises(PlanLimitReached) as refused:
            edit(newest)
        assert refused.value.message == READ_ONLY
        assert refused.value.upgrade_url == "/billing"
    qrcodes.change_destination(
        actor=owner, code_id=oldest.id, destination="https://example.com/oldest"
    )
    # Still scans: the edge's snapshot is the code as it was, active, not paused.
    snap = code_access.load_link(newest.domain, newest.short_code)
    assert snap is not None
    assert snap["status"] == "active"
    assert snap["destination"] == "https://example.com/"
    with read_session() as s:
        assert s.get(QRCode, newest.id).billing_paused_at is None
    # Archiving four others brings the workspace back under: every code is editable.
    for code in seeded[1:5]:
        qrcodes.set_status(actor=owner, code_id=code.id, status="archived")
    qrcodes.change_destination(actor=owner, code_id=newest.id, destination="https://e.com/ok")
    # Deleting is always allowed.
    give_plan(owner.workspace_id, "business")
    seed_codes(owner.workspace_id, 5, start=utcnow())
    give_plan(owner.workspace_id, "free")
    with read_session() as s:
        read_only = entitlements.read_only_ids(s, owner.workspace_id, Resource.DYNAMIC_CODES)
    assert len(read_only) == 5
    for code_id in read_only:
        qrcodes.delete(actor=owner, code_id=code_id)
    with read_session() as s:
        assert entitlements.read_only_ids(s, owner.workspace_id, Resource.DYNAMIC_CODES) == set()


def test_pages_beyond_the_allowance_refuse_edits_and_publishing(owner):  # noqa: F811
    give_plan(owner.workspace_id, "pro")
    first = pages.create_page(actor=owner, name="First")
    second = pages.create_page(actor=owner, name="Second")
    give_plan(owner.workspace_id, "free")
    message = (
        "This page is read-only: your Free plan includes 1 landing page and this workspace "
        "has 2. Upgrade, or delete other pages."
    )
    with pytest.raises(PlanLimitReached) as refused:
        publishing.publish(actor=owner, page_id=second.id)
    assert refused.value.message == message
    with pytest.raises(PlanLimitReached):
        pages.rename_page(actor=owner, page_id=second.id, name="Renamed")
    with pytest.raises(PlanLimitReached):
        pages.save_draft(
            actor=owner,
            page_id=second.id,
            document=dict(second.draft),
            base_revision=second.draft_revision,
        )
    publishing.publish(actor=owner, page_id=first.id)  # the oldest stays editable
    pages.delete_page(actor=owner, page_id=second.id)


def _race(n: int, attempt):
    start = threading.Barrier(n)

    def run(i: int):
        start.wait()
        try:
            return attempt(i)
        except PlanLimitReached:
            return "refused"

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_two_requests_for_the_last_place_at_once_only_one_gets_it(owner):  # noqa: F811
    seed_codes(owner.workspace_id, 9)
    for _round in range(3):
        answers = _race(2, lambda i: dynamic(owner, f"racer {i}").id)
        assert answers.count("refused") == 1, answers
        with read_session() as s:
            n = entitlements.count(s, owner.workspace_id, Resource.DYNAMIC_CODES)
        assert n == 10
        # Free the place again for the next round.
        made = next(a for a in answers if a != "refused")
        qrcodes.delete(actor=owner, code_id=made)


def test_media_storage_counts_the_new_file(people):  # noqa: F811
    editor, ws_id = people["editor"], people["workspace_id"]
    data = samples.mp3(10 + 4 * 1000)  # stored as it is: one variant, len(data) bytes
    first = uploads.upload(actor=editor, workspace_id=ws_id, filename="a.mp3", data=data)
    size = first.size
    with transaction() as tx:  # fill up to exactly one more of it
        tx.session.add(
            MediaAsset(
                workspace_id=ws_id,
                kind="audio",
                name="filler.mp3",
                content_type="audio/mpeg",
                size=100 * MB - 2 * size,
                checksum="0" * 64,
                variants={},
            )
        )
    uploads.upload(actor=editor, workspace_id=ws_id, filename="b.mp3", data=data)  # the last byte
    with pytest.raises(PlanLimitReached, match="Free plan includes 100 MB of media storage"):
        uploads.upload(actor=editor, workspace_id=ws_id, filename="c.mp3", data=data)


def _qrapp(*args: str, backend: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": backend["DATABASE_URL"]}
    return subprocess.run(
        [sys.executable, "-m", "qrapp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_operator_sets_and_ends_a_manual_plan(owner, clean_db):  # noqa: F811
    ws = str(owner.workspace_id)
    refused = _qrapp("billing", "set-plan", ws, "pro", backend=clean_db)
    assert refused.returncode != 0
    assert "needs --until" in refused.stderr
    assert "Traceback" not in refused.stderr
    out = _qrapp("billing", "set-plan", ws, "business", "--until", "2030-06-30", backend=clean_db)
    assert out.returncode == 0, out.stderr
    assert "plan business" in out.stdout
    assert "until 2030-06-30 23:59 UTC" in out.stdout
    with read_session() as s:
        sub = s.exec(
            select(Subscription).where(Subscription.workspace_id == owner.workspace_id)
        ).one()
        assert (sub.provider, sub.plan, sub.status) == ("manual", "business", "active")
        end = sub.current_period_end
        assert end is not None
        assert end.replace(tzinfo=end.tzinfo or dt.UTC) == dt.datetime(
            2030, 6, 30, 23, 59, 59, tzinfo=dt.UTC
        )
        assert s.get(Workspace, owner.workspace_id).plan == "business"
    ended = _qrapp("billing", "set-plan", ws, "free", backend=clean_db)
    assert ended.returncode == 0, ended.stderr
    assert "plan free" in ended.stdout
    assert "canceled" in ended.stdout
    with read_session() as s:
        assert s.get(Workspace, owner.workspace_id).plan == "free"
    unknown = _qrapp(
        "billing", "set-plan", "no such workspace", "pro", "--until", "2030-01-01", backend=clean_db
    )
    assert unknown.returncode != 0
    assert "No workspace" in unknown.stderr
