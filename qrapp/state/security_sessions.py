"""Settings -> Security, the sessions part: this account's signed-in browsers, signing one
out, or every other one. Its own state (the two-factor part has another), flat: ids of
sessions reach the browser only as opaque row ids the service checks against the account.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.services.accounts import devices
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.state.base import client_ip, load_actor
from qrapp.state.session import go_to_backend


class SessionRow(TypedDict):
    id: str
    device: str
    browser: str
    os: str
    place: str
    ip: str
    last_seen: str
    signed_in: str
    current: bool


def _ago(when: dt.datetime, now: dt.datetime) -> str:
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 120:
        return "Just now"
    if seconds < 3600:
        return f"{seconds // 60} minutes ago"
    if seconds < 172800:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return when.strftime("%Y-%m-%d")


def _row(v: devices.SessionView, now: dt.datetime) -> SessionRow:
    return SessionRow(
        id=str(v.id),
        device=v.device,
        browser=v.browser,
        os=v.os,
        place=v.place or "Unknown place",
        ip=v.ip or "unknown address",
        last_seen="Active now" if v.current else _ago(v.last_seen_at, now),
        signed_in=v.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        current=v.current,
    )


class SecuritySessionsState(rx.State):
    sessions: list[SessionRow] = []
    sessions_error: str = ""
    loaded: bool = False

    async def _reload(self) -> None:
        actor = await load_actor(self)
        views = await asyncio.to_thread(devices.list_sessions, actor=actor)
        now = dt.datetime.now(dt.UTC)
        self.sessions = [_row(v, now) for v in views]
        self.loaded = True

    @rx.event
    async def load(self):
        self.sessions_error = ""
        try:
            await self._reload()
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            self.sessions_error = exc.message

    @rx.event
    async def sign_out(self, session_id: str):
        try:
            wanted = uuid.UUID(str(session_id)[:64])
            actor = await load_actor(self)
            await asyncio.to_thread(
                devices.sign_out, actor=actor, session_id=wanted, ip=client_ip(self)
            )
        except ValueError:
            return rx.toast.error("That session does not exist.")
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        if wanted == actor.session_id:  # this browser's own: clear its cookie too
            return go_to_backend(routes.AUTH_LOGOUT)
        await self._reload()
        return rx.toast.success("Signed out that session.")

    @rx.event
    async def sign_out_others(self):
        try:
            actor = await load_actor(self)
            ended = await asyncio.to_thread(
                devices.sign_out_others, actor=actor, ip=client_ip(self)
            )
            await self._reload()
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.toast.success(
            f"Signed out {ended} other session{'s' if ended != 1 else ''}."
            if ended
            else "There were no other sessions."
        )
