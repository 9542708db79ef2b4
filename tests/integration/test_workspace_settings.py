"""A workspace's time zone (its analytics count days and hours there): admins set it from
the list of IANA zones; anything else is refused and changes nothing."""

from __future__ import annotations

import dataclasses

import pytest

from qrapp.core.permissions import Role
from qrapp.services.errors import FieldErrors, PermissionDenied
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import actor, sign_up_and_session

pytestmark = pytest.mark.integration


def test_owner_sets_a_listed_zone_and_nothing_else(clean_db):
    owner = actor(sign_up_and_session("tz@example.com"))
    assert workspaces.get_current(actor=owner).timezone == "UTC"
    assert "Europe/Stockholm" in workspaces.time_zones()
    assert workspaces.set_timezone(actor=owner, timezone="Asia/Kolkata") == "Asia/Kolkata"
    for bad in ("Mars/Olympus", "", "../../etc/passwd", "Europe/Stockholm\n"):
        with pytest.raises(FieldErrors):
            workspaces.set_timezone(actor=owner, timezone=bad)
    assert workspaces.get_current(actor=owner).timezone == "Asia/Kolkata"


def test_viewers_cannot_change_it(clean_db):
    owner = actor(sign_up_and_session("tz-owner@example.com"))
    viewer = dataclasses.replace(owner, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        workspaces.set_timezone(actor=viewer, timezone="Europe/Paris")
    assert workspaces.get_current(actor=owner).timezone == "UTC"
