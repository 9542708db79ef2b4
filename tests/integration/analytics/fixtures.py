"""A small hand-computed data set: Europe/Stockholm across the DST change of 29 March 2026
(clocks jump from 02:00 CET to 03:00 CEST, that is at 01:00 UTC)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qrapp.db import transaction
from qrapp.models import Workspace
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.scans import Scan, make_code, record_scans

NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@dataclass
class World:
    token: str
    workspace_id: object
    code_a: object
    code_b: object

    @property
    def actor(self):
        return actor(self.token)


def set_zone(workspace_id, tz: str) -> None:
    with transaction() as tx:
        ws = tx.session.get(Workspace, workspace_id)
        ws.timezone = tz
        tx.session.add(ws)


def stockholm_world(email: str = "ana@example.com") -> World:
    token = sign_up_and_session(email, "Ana")
    ws = actor(token).workspace_id
    set_zone(ws, "Europe/Stockholm")
    a = make_code(ws, "Menu", tags=["menu"])
    b = make_code(ws, "Flyer", tags=["flyer"])
    record_scans(
        # local 27 Mar 23:30 CET: the day before the window (previous period)
        Scan(a, utc(2026, 3, 27, 22, 30), is_unique=True),
        # local 28 Mar 00:30 CET
        Scan(a, utc(2026, 3, 27, 23, 30), is_unique=True),
        # local 29 Mar 01:30 CET, then 03:30 CEST (same visitor: not unique)
        Scan(a, utc(2026, 3, 29, 0, 30), is_unique=True),
        Scan(a, utc(2026, 3, 29, 1, 30), is_unique=False, os="Android", browser="Chrome"),
        # a bot at local 29 Mar 03:45 CEST
        Scan(
            a,
            utc(2026, 3, 29, 1, 45),
            is_bot=True,
            country="US",
            city="Ashburn",
            device_type="bot",
            os="",
            browser="WhatsApp",
        ),
        # local 30 Mar 23:30 CEST, code B, clicked link from Germany
        Scan(
            b,
            utc(2026, 3, 30, 21, 30),
            country="DE",
            city="Berlin",
            device_type="desktop",
            os="Windows",
            browser="Firefox",
            source="link",
            referrer_host="news.example",
            language="de",
        ),
        # local 31 Mar 00:30 CEST: after the window
        Scan(a, utc(2026, 3, 30, 22, 30), is_unique=True),
    )
    return World(token, ws, a, b)
