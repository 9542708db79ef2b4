"""The plans' limits at their boundaries, in the services, on SQLite and PostgreSQL: the
last place is allowed and the next refused with the plan's message and the way up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from sqlmodel import col, func, select

from qrapp.core.bulk.rows import JobOptions, RowInput
from qrapp.core.plans import PLANS, PlanId, Resource
from qrapp.db import read_session, transaction
from qrapp.models import LandingPage, QRCode
from qrapp.models.types import utcnow
from qrapp.services.analytics import retention
from qrapp.services.billing import entitlements
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.bulk import jobs
from qrapp.services.codes import qrcodes
from qrapp.services.codes.library import bulk as library_bulk
from qrapp.services.content.content_codes import create_content_code
from qrapp.services.pages import editing as pages
from qrapp.services.workspaces import members, workspaces
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.mailsink import link_in
from tests.support.plans import give_plan

FREE = PLANS[PlanId.FREE]
MENU = {
    "restaurant": "Trattoria Anna",
    "section": "Pasta",
    "currency": "SEK",
    "items": "Cacio e pepe, 16, pecorino and pepper",
}


@pytest.fixture
def owner(clean_db):
    return actor(sign_up_and_session("owner@limits.example", name="Olga"))


def seed_codes(workspace_id: uuid.UUID, n: int, *, dynamic: bool = True, start=None) -> list:
    """n codes straight into the table (fast), oldest first a minute apart."""
    start = start or utcnow() - dt.timedelta(days=30)
    with transaction() as tx:
        rows = [
            QRCode(
                workspace_id=workspace_id,
                name=f"seed {i}",
                content_type="url" if dynamic else "text",
                payload={} if dynamic else {"text": f"seed {i}"},
                is_dynamic=dynamic,
                short_code=f"s{uuid.uuid4().hex[:10]}" if dynamic else None,
                destination="https://example.com/" if dynamic else "",
                created_at=start + dt.timedelta(minutes=i),
            )
            for i in range(n)
        ]
        tx.session.add_all(rows)
    return rows


def dynamic(who, name: str = "New"):
    return qrcodes.create(
        actor=who, data=qrcodes.CodeInput(name=name, destination="https://example.com/new")
    )


def static(who, name: str = "Static"):
    return qrcodes.create(
        actor=who,
        data=qrcodes.CodeInput(
            name=name, content_type="text", payload={"text": "hello"}, is_dynamic=False
        ),
    )


def codes_in(workspace_id, *, dynamic: bool = True) -> int:
    with read_session() as s:
        return s.exec(
            select(func.count())
            .select_from(QRCode)
            .where(QRCode.workspace_id == workspace_id, col(QRCode.is_dynamic).is_(dynamic))
        ).one()


def test_the_10th_dynamic_code_is_allowed_and_the_11th_refused_with_the_plan(owner):
    seed_codes(owner.workspace_id, 9)
    dynamic(owner, "Tenth")
    with pytest.raises(PlanLimitReached) as refused:
        dynamic(owner, "Eleventh")
    assert refused.value.message == (
        "Your Free plan includes 10 dynamic codes. Upgrade your plan to add more."
    )
    assert refused.value.upgrade_url == "/billing"
    assert refused.value.resource is Resource.DYNAMIC_CODES
    assert codes_in(owner.workspace_id) == 10
    # A duplicate is a new code too; static codes have their own allowance.
    with pytest.raises(PlanLimitReached):
        qrcodes.duplicate(actor=owner, code_id=_first(owner))
    static(owner)
    assert codes_in(owner.workspace_id) == 10
    assert codes_in(owner.workspace_id, dynamic=False) == 1


def _first(who) -> uuid.UUID:
    with read_session() as s:
        return s.exec(select(QRCode.id).where(QRCode.workspace_id == who.workspace_id)).first()


def test_the_100th_static_code_is_allowed_and_the_101st_refused(owner):
    seed_codes(owner.workspace_id, 99, dynamic=False)
    static(owner, "Hundredth")
    with pytest.raises(PlanLimitReached, match="Free plan includes 100 static codes"):
        static(owner, "One too many")
    assert codes_in(owner.workspace_id, dynamic=False) == 100
    dynamic(owner)  # dynamic codes still have room


def test_archiving_frees_a_place_and_unarchiving_takes_one(owner):
    seeded = seed_codes(owner.workspace_id, 10)
    qrcodes.set_status(actor=owner, code_id=seeded[0].id, status="archived")
    dynamic(owner, "In the freed place")
    with pytest.raises(PlanLimitReached):
        qrcodes.set_status(actor=owner, code_id=seeded[0].id, status="active")
    with pytest.raises(PlanLimitReached):
        library_bulk(actor=owner, action="activate", code_ids=[seeded[0].id])
    qrcodes.set_status(actor=owner, code_id=seeded[1].id, status="archived")
    qrcodes.set_status(actor=owner, code_id=seeded[0].id, status="active")
    give_plan(owner.workspace_id, "pro")
    assert library_bulk(actor=owner, action="activate", code_ids=[seeded[1].id]) == 1


def test_one_landing_page_on_free_and_the_second_refused(owner):
    first = pages.create_page(actor=owner, name="Menu")
    with pytest.raises(PlanLimitReached, match="Free plan includes 1 landing page\\."):
        pages.create_page(actor=owner, name="Second")
    with pytest.raises(PlanLimitReached):
        pages.duplicate_page(actor=owner, page_id=first.id)
    give_plan(owner.workspace_id, "pro")
    pages.create_page(actor=owner, name="Second")


def test_a_content_code_needs_room_for_both_its_page_and_its_code(owner):
    seed_codes(owner.workspace_id, 10)
    with pytest.raises(PlanLimitReached, match="10 dynamic codes"):
        create_content_code(
            actor=owner,
            workspace_id=owner.workspace_id,
            kind="menu",
            essentials=MENU,
            design={},
            name="Lunch",
        )
    with read_session() as s:
        assert s.exec(select(func.count()).select_from(LandingPage)).one() == 0
    give_plan(owner.workspace_id, "pro")
    made = create_content_code(
        actor=owner,
        workspace_id=owner.workspace_id,
        kind="menu",
        essentials=MENU,
        design={},
        name="Lunch",
    )
    assert made.landing_page_id is not None


def test_seats_count_members_and_pending_invitations(clean_db, mail):
    token = sign_up_and_session("owner@seats.example", name="Olga")
    workspaces.create(actor=actor(token), name="Seats")
    owner = actor(token)
    with pytest.raises(PlanLimitReached, match="Free plan includes 1 team seat\\."):
        members.invite(actor=owner, email="a@seats.example", role="editor")
    give_plan(owner.workspace_id, "pro")  # 3 seats: the owner and two more
    members.invite(actor=owner, email="a@seats.example", role="editor")
    members.invite(actor=owner, email="b@seats.example", role="editor")
    members.invite(actor=owner, email="b@seats.example", role="viewer")  # a new one replaces
    with pytest.raises(PlanLimitReached, match="Pro plan includes 3 team seats"):
        members.invite(actor=owner, email="c@seats.example", role="editor")
    # The plan shrinks before a accepts: joining is refused with a clear message, and the
    # invitation still works once there is room again.
    a_token = link_in(mail.wait_for("a@seats.example", "invited you"), "/invite").split("token=")[1]
    give_plan(owner.workspace_id, "free")
    a = sign_up_and_session("a@seats.example")
    with pytest.raises(PlanLimitReached, match=r"all are taken.*Ask an owner"):
        members.accept_invite(actor=actor(a), token=a_token)
    give_plan(owner.workspace_id, "pro")
    members.accept_invite(actor=actor(a), token=a_token)
    listed, _pending = members.list_members(actor=owner)
    assert {m.email for m in listed} == {"owner@seats.example", "a@seats.example"}


STATIC_JOB = JobOptions(content_type="text", dynamic=False, template_id=None, png_size=128)
DYNAMIC_JOB = JobOptions(content_type="url", dynamic=True, template_id=None, png_size=128)


def _rows(n: int, *, url: bool) -> list[RowInput]:
    return [
        RowInput(
            row=i,
            name=f"Row {i}",
            payload={} if url else {"text": f"row {i}"},
            destination=f"https://example.com/{i}" if url else "",
            alias="",
            tags=(),
            folder="",
        )
        for i in range(1, n + 1)
    ]


@pytest.fixture
def no_queue(monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda *_args: None)


def test_bulk_jobs_take_the_plans_rows_and_codes(owner, no_queue):
    with pytest.raises(PlanLimitReached, match="This job has 51 rows; your Free plan takes 50"):
        jobs.start_job(
            actor=owner,
            workspace_id=owner.workspace_id,
            options=STATIC_JOB,
            rows=_rows(51, url=False),
            filename="big.csv",
        )
    jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=STATIC_JOB,
        rows=_rows(50, url=False),
        filename="fits.csv",
    )
    seed_codes(owner.workspace_id, 3)
    with pytest.raises(PlanLimitReached, match=r"would make 8 dynamic codes.*has 3"):
        jobs.start_job(
            actor=owner,
            workspace_id=owner.workspace_id,
            options=DYNAMIC_JOB,
            rows=_rows(8, url=True),
            filename="eight.csv",
        )
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=dataclasses.replace(DYNAMIC_JOB),
        rows=_rows(7, url=True),
        filename="seven.csv",
    )
    assert job.total == 7


def test_retention_choices_are_the_plans_and_the_purge_caps_a_bigger_choice(owner):
    assert retention.set_retention(actor=owner, days=30) == 30
    with pytest.raises(PlanLimitReached, match="Free plan keeps scans for 30 days"):
        retention.set_retention(actor=owner, days=365)
    give_plan(owner.workspace_id, "business")
    assert retention.set_retention(actor=owner, days=1095) == 1095
    give_plan(owner.workspace_id, "pro")
    with pytest.raises(PlanLimitReached, match="Pro plan keeps scans for 1 year"):
        retention.set_retention(actor=owner, days=1095)
    # The stored 3 years now reads (and purges) as the Pro plan's longest, 1 year.
    assert retention.get_retention(actor=owner) == 365
    assert retention.capped_days(1095, "pro") == 365
    assert retention.capped_days(1095, "free") == 30
    assert retention.capped_days(None, "free") == retention.get_settings().analytics_retention_days


def test_read_only_helpers_name_the_newest_beyond_the_allowance(owner):
    seeded = seed_codes(owner.workspace_id, 14)
    with read_session() as s:
        ro = entitlements.read_only_ids(s, owner.workspace_id, Resource.DYNAMIC_CODES)
        assert ro == {c.id for c in seeded[10:]}
        assert entitlements.read_only_ids(s, owner.workspace_id, Resource.STATIC_CODES) == set()
        entitlements.require_editable(s, owner.workspace_id, Resource.DYNAMIC_CODES, seeded[9].id)
        with pytest.raises(PlanLimitReached) as refused:
            entitlements.require_editable(
                s, owner.workspace_id, Resource.DYNAMIC_CODES, seeded[13].id
            )
    assert refused.value.message == (
        "This code is read-only: your Free plan includes 10 dynamic codes and this "
        "workspace has 14. Upgrade, or archive other codes."
    )
    assert FREE.dynamic_codes == 10
