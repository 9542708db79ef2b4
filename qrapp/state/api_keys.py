"""Settings -> API keys: list, create (token shown once), rotate, revoke, usage per day.

Owners and admins only (API_KEYS_MANAGE): every handler loads the actor and the service
checks the permission again and scopes by workspace. A new token is the one secret ever
sent to the browser, to the person who just made it, and is dropped when they close it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.core.api_scopes import Scope
from qrapp.core.permissions import Permission
from qrapp.services import api_keys
from qrapp.services.errors import FieldErrors, NotSignedIn, PermissionDenied, ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, load_actor


class KeyRow(TypedDict):
    id: str
    name: str
    prefix: str
    scopes: str
    created: str
    last_used: str
    expires: str
    status: str  # active | expired | revoked


class ScopeOption(TypedDict):
    value: str
    label: str


class UsageDay(TypedDict):
    day: str  # YYYY-MM-DD
    label: str  # "3 Nov"
    requests: int
    errors: int
    ok_pct: str  # bar heights, as CSS percentages of the busiest day
    err_pct: str


SCOPE_OPTIONS = [ScopeOption(value=s.value, label=s.label) for s in Scope]


def _when(value: dt.datetime | None, never: str = "Never") -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else never


def _rows(views: list[api_keys.KeyView]) -> list[KeyRow]:
    return [
        KeyRow(
            id=str(v.id),
            name=v.name,
            prefix=v.prefix + "…",
            scopes=", ".join(v.scopes),
            created=v.created_at.strftime("%Y-%m-%d"),
            last_used=_when(v.last_used_at),
            expires=_when(v.expires_at, "No expiry"),
            status=v.status(),
        )
        for v in views
    ]


def parse_expiry(text: str, today: dt.date | None = None) -> dt.datetime | None:
    """The end (24:00 UTC) of the chosen day; None for no date. ValueError for a bad one."""
    text = text.strip()
    if not text:
        return None
    day = dt.date.fromisoformat(text)
    if day < (today or dt.datetime.now(dt.UTC).date()):
        raise ValueError("The expiry date must be today or later.")
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


class ApiKeysState(rx.State):
    keys: list[KeyRow] = []
    allowed: bool = False
    loaded: bool = False
    error: str = ""
    create_open: bool = False
    # The token just made or rotated, shown once; and what to say beside it.
    new_token: str = ""
    new_token_note: str = ""
    revoke_id: str = ""
    revoke_name: str = ""
    usage_key: str = ""
    usage_name: str = ""
    usage_days: list[UsageDay] = []
    usage_total: str = ""
    docs_url: str = routes.API_DOCS

    @rx.var
    def scope_options(self) -> list[ScopeOption]:
        return SCOPE_OPTIONS

    @rx.var
    def revoke_open(self) -> bool:
        return self.revoke_id != ""

    @rx.var
    def token_open(self) -> bool:
        return self.new_token != ""

    async def _actor(self):
        return await load_actor(self, Permission.API_KEYS_MANAGE)

    async def _reload(self, actor) -> None:
        views = await asyncio.to_thread(api_keys.list_keys, actor=actor)
        self.keys = _rows(views)

    @rx.event
    async def load(self):
        self.error, self.new_token, self.new_token_note = "", "", ""
        self.revoke_id, self.usage_key, self.usage_days = "", "", []
        try:
            actor = await self._actor()
        except ServiceError:
            self.allowed, self.loaded, self.keys = False, True, []
            return
        self.allowed = True
        self.docs_url = get_settings().public_api_url + routes.API_DOCS
        await self._reload(actor)
        self.loaded = True

    @rx.event
    def open_create(self, value: bool = True):
        self.create_open = bool(value)
        self.error = ""

    @rx.event
    async def create(self, form: dict):
        self.error = ""
        name = str(form.get("name", ""))[:200]
        scopes = [s.value for s in Scope if form.get(f"scope-{s.value}") in ("on", True, "true")]
        try:
            expires_at = parse_expiry(str(form.get("expires", ""))[:20])
        except ValueError as exc:
            msg = str(exc) if "expiry" in str(exc) else "Enter the expiry date as YYYY-MM-DD."
            self.error = msg
            return
        try:
            actor = await self._actor()
            made = await asyncio.to_thread(
                api_keys.create_key,
                actor=actor,
                name=name,
                scopes=scopes,
                expires_at=expires_at,
                ip=client_ip(self),
            )
            await self._reload(actor)
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except FieldErrors as exc:
            self.error = " ".join(exc.errors.values())
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        self.create_open = False
        self.new_token = made.token
        self.new_token_note = f"Key “{made.key.name}” created."

    @rx.event
    async def rotate(self, key_id: str):
        try:
            actor = await self._actor()
            made = await asyncio.to_thread(
                api_keys.rotate_key,
                actor=actor,
                key_id=uuid.UUID(str(key_id)),
                ip=client_ip(self),
            )
            await self._reload(actor)
        except ValueError:
            return rx.toast.error("That key does not exist.")
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        until = _when(made.key.previous_valid_until)
        self.new_token = made.token
        self.new_token_note = (
            f"Key “{made.key.name}” rotated. The old key keeps working until {until}: "
            "switch your integration to the new one before then."
        )

    @rx.event
    def dismiss_token(self, _value: bool = False):
        self.new_token, self.new_token_note = "", ""

    @rx.event
    async def ask_revoke(self, key_id: str):
        try:
            await self._actor()
        except ServiceError:
            return rx.toast.error("Only owners and admins can revoke API keys.")
        row = next((k for k in self.keys if k["id"] == str(key_id)), None)
        if row is not None:
            self.revoke_id, self.revoke_name = row["id"], row["name"]

    @rx.event
    def cancel_revoke(self, _value: bool = False):
        self.revoke_id, self.revoke_name = "", ""

    @rx.event
    async def confirm_revoke(self):
        key_id, name = self.revoke_id, self.revoke_name
        self.revoke_id = self.revoke_name = ""
        try:
            actor = await self._actor()
            await asyncio.to_thread(
                api_keys.revoke_key,
                actor=actor,
                key_id=uuid.UUID(key_id),
                ip=client_ip(self),
            )
            await self._reload(actor)
        except ValueError:
            return rx.toast.error("That key does not exist.")
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.toast.success(f"Key “{name}” revoked: it no longer works.")

    @rx.event
    async def show_usage(self, key_id: str):
        try:
            actor = await self._actor()
            days = await asyncio.to_thread(
                api_keys.usage, actor=actor, key_id=uuid.UUID(str(key_id))
            )
        except ValueError:
            return rx.toast.error("That key does not exist.")
        except (NotSignedIn, PermissionDenied):
            return rx.toast.error("Only owners and admins can see API key usage.")
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        top = max((d.requests for d in days), default=0) or 1
        self.usage_days = [
            UsageDay(
                day=d.day.isoformat(),
                label=f"{d.day.day} {d.day.strftime('%b')}",
                requests=d.requests,
                errors=d.errors,
                ok_pct=f"{100 * (d.requests - d.errors) / top:.1f}%",
                err_pct=f"{100 * d.errors / top:.1f}%",
            )
            for d in days
        ]
        total = sum(d.requests for d in days)
        errors = sum(d.errors for d in days)
        self.usage_total = f"{total} requests, {errors} errors in the last 30 days"
        self.usage_key = str(key_id)
        self.usage_name = next((k["name"] for k in self.keys if k["id"] == str(key_id)), "")

    @rx.event
    def hide_usage(self):
        self.usage_key, self.usage_days = "", []
