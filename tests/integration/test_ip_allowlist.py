"""IP allowlists per workspace: validation (IPv4, IPv6, clear messages), the admin's own
address must be on the list, Enterprise only, and the dashboard's check (the state's
load_actor and the plain HTTP file routes) refusing other addresses."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.core.permissions import Role
from qrapp.db import engine, read_session
from qrapp.models import AuditLog, Workspace
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import PermissionDenied, ServiceError
from qrapp.services.workspaces import ip_allowlist, workspaces
from qrapp.settings import get_settings
from qrapp.state.base import load_actor
from tests.integration.helpers import actor, add_member, sign_up_and_session
from tests.support.plans import give_plan
from tests.support.waiting import eventually

OFFICE = "203.0.113.7"


@pytest.fixture
def admin(clean_db):
    owner = actor(sign_up_and_session("boss@example.com", "Boss"))
    give_plan(owner.workspace_id, "enterprise")
    ip_allowlist.forget()
    yield owner
    ip_allowlist.forget()


def test_entries_are_validated_with_clear_messages_and_normalised():
    assert ip_allowlist.parse("203.0.113.0/24\n2001:db8::/48, 198.51.100.5  \n\n") == [
        "203.0.113.0/24",
        "2001:db8::/48",
        "198.51.100.5/32",
    ]
    assert ip_allowlist.parse("10.0.0.0/8\n10.0.0.0/8") == ["10.0.0.0/8"]
    cases = {
        "10.0.0.0/33": "Entry 1 (10.0.0.0/33) is not an IPv4 or IPv6",
        "192.0.2.0/24\nnot-an-ip": "Entry 2 (not-an-ip) is not an IPv4 or IPv6",
        "10.0.0.5/24": "did you mean 10.0.0.0/24?",
        "2001:db8::1/48": "did you mean 2001:db8::/48?",
        "0.0.0.0/0": "allows every address",
        "::/0": "allows every address",
    }
    for text, message in cases.items():
        with pytest.raises(ServiceError) as exc:
            ip_allowlist.parse(text)
        assert message in exc.value.message, text
        assert exc.value.field == "ip_allowlist"


def test_saving_requires_the_admins_own_address_on_the_list(admin):
    with pytest.raises(ServiceError) as exc:
        ip_allowlist.save(actor=admin, text="198.51.100.0/24", ip=OFFICE)
    assert "Your own address (203.0.113.7) is not on the list" in exc.value.message
    assert ip_allowlist.get(actor=admin).entries == []  # nothing changed
    assert ip_allowlist.allowed(admin.workspace_id, "8.8.8.8")
    saved = ip_allowlist.save(actor=admin, text="198.51.100.0/24\n203.0.113.0/24", ip=OFFICE)
    assert saved == ["198.51.100.0/24", "203.0.113.0/24"]
    assert ip_allowlist.get(actor=admin).entries == saved
    with read_session() as s:
        row = s.exec(
            select(AuditLog).where(AuditLog.action == "workspace.ip_allowlist_changed")
        ).one()
    assert row.workspace_id == admin.workspace_id
    assert row.ip == OFFICE
    assert row.details == {"before": [], "after": saved}
    # Emptying it is always allowed, and opens the workspace again.
    assert ip_allowlist.save(actor=admin, text="", ip="8.8.8.8") == []
    assert ip_allowlist.allowed(admin.workspace_id, "8.8.8.8")


def test_ipv6_networks_and_addresses(admin):
    me = "2001:db8:aa:1::42"
    ip_allowlist.save(actor=admin, text="2001:db8:aa::/48", ip=me)
    assert ip_allowlist.allowed(admin.workspace_id, me)
    assert ip_allowlist.allowed(admin.workspace_id, "2001:db8:aa:ffff::1")
    assert not ip_allowlist.allowed(admin.workspace_id, "2001:db8:bb::1")
    assert not ip_allowlist.allowed(admin.workspace_id, "203.0.113.7")
    assert not ip_allowlist.allowed(admin.workspace_id, "garbage")
    # An IPv4-mapped IPv6 peer counts as its IPv4 address.
    ip_allowlist.save(actor=admin, text="203.0.113.0/24", ip="::ffff:203.0.113.7")
    assert ip_allowlist.allowed(admin.workspace_id, "::ffff:203.0.113.9")


def test_only_enterprise_saves_a_list_and_only_admins(admin, clean_db):
    free = actor(sign_up_and_session("free@example.com"))
    with pytest.raises(PlanLimitReached) as exc:
        ip_allowlist.save(actor=free, text=OFFICE, ip=OFFICE)
    assert "Enterprise" in exc.value.message
    ed_token = sign_up_and_session("ed@example.com")
    add_member(admin.workspace_id, actor(ed_token).user_id, Role.EDITOR)
    workspaces.switch(actor=actor(ed_token), workspace_id=admin.workspace_id)
    ed = actor(ed_token)
    assert ed.workspace_id == admin.workspace_id
    with pytest.raises(PermissionDenied):
        ip_allowlist.save(actor=ed, text=OFFICE, ip=OFFICE)


def _state(token: str, ip: str) -> SimpleNamespace:
    """What load_actor reads of a Reflex state: the cookie header and the client's IP."""
    cookie = f"{get_settings().session_cookie_name}={token}"
    return SimpleNamespace(
        router=SimpleNamespace(
            headers=SimpleNamespace(cookie=cookie), session=SimpleNamespace(client_ip=ip)
        )
    )


def test_the_dashboard_refuses_other_networks_and_lets_them_switch_away(clean_db):
    token = sign_up_and_session("mia@example.com")
    mia = actor(token)
    personal = mia.workspace_id
    team = actor(sign_up_and_session("lead@example.com"))
    give_plan(team.workspace_id, "enterprise")
    add_member(team.workspace_id, mia.user_id, Role.EDITOR)
    ip_allowlist.save(actor=team, text="203.0.113.0/24", ip=OFFICE)
    workspaces.switch(actor=mia, workspace_id=team.workspace_id)

    assert asyncio.run(load_actor(_state(token, "203.0.113.50"))).workspace_id == team.workspace_id
    with pytest.raises(ip_allowlist.NetworkNotAllowed) as exc:
        asyncio.run(load_actor(_state(token, "198.51.100.1")))
    assert "Your network is not allowed for this workspace" in exc.value.message
    # Switching workspace skips the check; the personal workspace has no list.
    outside = asyncio.run(load_actor(_state(token, "198.51.100.1"), check_network=False))
    workspaces.switch(actor=outside, workspace_id=personal)
    assert asyncio.run(load_actor(_state(token, "198.51.100.1"))).workspace_id == personal


def test_file_routes_refuse_other_networks_with_403(clean_db):
    token = sign_up_and_session("ops@example.com")
    ops = actor(token)
    give_plan(ops.workspace_id, "enterprise")
    ip_allowlist.save(actor=ops, text="203.0.113.0/24", ip=OFFICE)
    cookie = get_settings().session_cookie_name
    path = "/files/audit/audit.csv"
    inside = TestClient(transform(Starlette()), client=(OFFICE, 5000), follow_redirects=False)
    inside.cookies.set(cookie, token)
    assert inside.get(path).status_code == 200
    outside = TestClient(transform(Starlette()), client=("8.8.8.8", 5000), follow_redirects=False)
    outside.cookies.set(cookie, token)
    refused = outside.get(path)
    assert refused.status_code == 403
    assert "Your network is not allowed for this workspace" in refused.text


# Another web or API process: it answers allowed() for "<workspace id> <ip>" lines, with a
# cache that would keep a list for ten minutes: only the cache bus can make it see a save.
_OTHER_PROCESS = """
import sys, uuid
from qrapp.services.workspaces import ip_allowlist
ip_allowlist._TTL_SECONDS = 600.0
for line in sys.stdin:
    workspace_id, ip = line.split()
    print(ip_allowlist.allowed(uuid.UUID(workspace_id), ip), flush=True)
"""


def test_a_save_reaches_the_other_processes_at_once(admin, tmp_path):
    log = (tmp_path / "other.log").open("w")
    other = subprocess.Popen(
        [sys.executable, "-c", _OTHER_PROCESS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=dict(os.environ),
    )

    def asks(ip: str) -> str:
        assert other.stdin is not None
        assert other.stdout is not None
        other.stdin.write(f"{admin.workspace_id} {ip}\n")
        other.stdin.flush()
        return other.stdout.readline().strip()

    try:
        assert asks("198.51.100.9") == "True"  # no list yet; cached there for ten minutes
        ip_allowlist.save(actor=admin, text="203.0.113.0/24", ip=OFFICE)
        eventually(lambda: asks("198.51.100.9") == "False", timeout=10)
        assert asks(OFFICE) == "True"
        ip_allowlist.save(actor=admin, text="", ip=OFFICE)
        eventually(lambda: asks("198.51.100.9") == "True", timeout=10)
    finally:
        other.kill()
        other.wait()
        log.close()


def test_the_ttl_still_bounds_a_lost_message(admin, monkeypatch):
    assert ip_allowlist.allowed(admin.workspace_id, "198.51.100.9")
    with engine().begin() as conn:  # a change no one announced
        conn.execute(
            Workspace.__table__.update()
            .where(Workspace.__table__.c.id == admin.workspace_id)
            .values(ip_allowlist="203.0.113.0/24")
        )
    assert ip_allowlist.allowed(admin.workspace_id, "198.51.100.9")  # cached
    later = time.monotonic() + ip_allowlist._TTL_SECONDS + 1
    monkeypatch.setattr(ip_allowlist, "time", SimpleNamespace(monotonic=lambda: later))
    assert not ip_allowlist.allowed(admin.workspace_id, "198.51.100.9")
