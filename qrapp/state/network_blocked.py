"""The page a member sees when the current workspace's IP allowlist leaves their address
out: what happened, and their other workspaces to switch to (SessionState.switch_workspace
skips the network check, and the next page checks the new workspace's list)."""

from __future__ import annotations

import asyncio
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.services.errors import ServiceError
from qrapp.services.workspaces import workspaces
from qrapp.services.workspaces.ip_allowlist import NOT_ALLOWED
from qrapp.state.base import client_ip, load_actor


class OtherWorkspace(TypedDict):
    id: str
    name: str


class NetworkBlockedState(rx.State):
    message: str = NOT_ALLOWED
    your_ip: str = ""
    others: list[OtherWorkspace] = []

    @rx.event
    async def load(self):
        self.your_ip = client_ip(self)
        try:
            actor = await load_actor(self, check_network=False)
        except ServiceError:
            return rx.redirect(routes.LOGIN)
        summaries = await asyncio.to_thread(workspaces.list_for_actor, actor=actor)
        self.others = [
            OtherWorkspace(id=str(w.id), name=w.name)
            for w in summaries
            if w.id != actor.workspace_id
        ]
