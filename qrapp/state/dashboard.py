"""The dashboard: counts, recent and most-scanned codes of the workspace."""

from __future__ import annotations

import asyncio
from typing import TypedDict

import reflex as rx

from qrapp.core.permissions import Permission
from qrapp.services.billing import pause_notice
from qrapp.services.errors import ServiceError
from qrapp.services.workspaces import overview
from qrapp.state.bars import CodeView, code_bars
from qrapp.state.base import load_actor


class CodeLink(TypedDict):
    id: str
    name: str
    scans: int
    tracked: bool  # static codes are not tracked: no "0 scans" for them


def _link(code) -> CodeLink:
    return CodeLink(
        id=str(code.id), name=code.name, scans=code.total_scans, tracked=code.is_dynamic
    )


class DashboardState(rx.State):
    loaded: bool = False
    codes: int = 0
    dynamic: int = 0
    scans_total: int = 0
    scans_week: int = 0
    recent: list[CodeLink] = []
    top: list[CodeView] = []  # most scanned, as share bars of all-time scans
    can_edit: bool = False
    # The billing banner (qrapp.services.billing.pause_notice): grace or paused codes.
    pause_text: str = ""
    pause_tone: str = ""
    pause_can_pay: bool = False

    @rx.event
    async def load(self):
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            data, notice = await asyncio.gather(
                asyncio.to_thread(overview.overview, actor=actor),
                asyncio.to_thread(pause_notice.workspace_notice, actor=actor),
            )
        except ServiceError:
            return
        self.pause_text, self.pause_tone = notice.text, notice.tone
        self.pause_can_pay = notice.can_pay
        self.can_edit = actor.can(Permission.CODES_EDIT)
        self.codes, self.dynamic = data.codes, data.dynamic
        self.scans_total, self.scans_week = data.scans_total, data.scans_7_days
        self.recent = [_link(c) for c in data.recent]
        total = max(data.scans_total, 1)
        self.top = code_bars((c.id, c.name, c.total_scans, c.total_scans / total) for c in data.top)
        self.loaded = True
