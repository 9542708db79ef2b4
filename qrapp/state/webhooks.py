"""Settings -> Webhooks: a workspace's endpoints, their secrets and delivery logs.

Every handler loads the actor and checks WEBHOOKS_MANAGE (the services check again and
scope by workspace); ids from the browser are parsed, never trusted.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core.permissions import Permission
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.services.webhooks import endpoints
from qrapp.services.webhooks.events import EVENT_TYPES
from qrapp.state.base import client_ip, load_actor


class EndpointRow(TypedDict):
    id: str
    url: str
    description: str
    events: str
    secret: str
    enabled: bool
    disabled_reason: str
    rotating_until: str  # the old secret still signs until then ("" when not rotating)


class DeliveryRow(TypedDict):
    id: str
    msg_id: str
    time: str
    event: str
    status: str
    code: str
    duration: str
    attempts: str
    body: str
    response: str


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


def _endpoint_row(ep: endpoints.EndpointView) -> EndpointRow:
    return EndpointRow(
        id=str(ep.id),
        url=ep.url,
        description=ep.description,
        events=", ".join(ep.event_types),
        secret=ep.secret,
        enabled=ep.enabled,
        disabled_reason=ep.disabled_reason,
        rotating_until=_when(ep.previous_secret_until),
    )


def _delivery_row(d: endpoints.DeliveryView) -> DeliveryRow:
    return DeliveryRow(
        id=str(d.id),
        msg_id=d.msg_id,
        time=_when(d.last_attempt_at or d.created_at),
        event=d.event_type,
        status=d.status,
        code=str(d.status_code) if d.status_code is not None else (d.error or "—"),
        duration=f"{d.duration_ms} ms" if d.duration_ms is not None else "—",
        attempts=str(d.attempts),
        body=d.body,
        response=d.response_head,
    )


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class WebhooksState(rx.State):
    can_manage: bool = False
    endpoints: list[EndpointRow] = []
    event_choices: list[list[str]] = [[k, v] for k, v in EVENT_TYPES.items()]
    url_error: str = ""
    events_error: str = ""
    description_error: str = ""
    error: str = ""
    notice: str = ""
    log_endpoint_id: str = ""  # the endpoint whose delivery log is open
    log_endpoint_url: str = ""
    deliveries: list[DeliveryRow] = []

    async def _reload(self, actor) -> None:
        rows = await asyncio.to_thread(endpoints.list_endpoints, actor=actor)
        self.endpoints = [_endpoint_row(ep) for ep in rows]
        if self.log_endpoint_id and not any(
            e["id"] == self.log_endpoint_id for e in self.endpoints
        ):
            self.log_endpoint_id, self.log_endpoint_url, self.deliveries = "", "", []

    async def _actor(self):
        """The actor when allowed; otherwise the page says so and None."""
        try:
            return await load_actor(self, Permission.WEBHOOKS_MANAGE)
        except ServiceError as exc:
            self.can_manage, self.endpoints, self.deliveries = False, [], []
            self.error = exc.message
            return None

    @rx.event
    async def load(self):
        self.error = self.notice = self.url_error = self.events_error = ""
        self.description_error = ""
        self.log_endpoint_id, self.log_endpoint_url, self.deliveries = "", "", []
        actor = await self._actor()
        self.can_manage = actor is not None
        if actor is None:
            self.error = ""  # the page shows who may use it instead
            return
        await self._reload(actor)

    @rx.event
    async def add_endpoint(self, form: dict):
        self.url_error = self.events_error = self.description_error = ""
        self.error = self.notice = ""
        actor = await self._actor()
        if actor is None:
            return
        chosen = [e for e in EVENT_TYPES if form.get(f"event-{e}") in ("on", True, "true")]
        url = form.get("url") if isinstance(form.get("url"), str) else ""
        description = form.get("description") if isinstance(form.get("description"), str) else ""
        try:
            await asyncio.to_thread(
                endpoints.create_endpoint,
                actor=actor,
                url=str(url)[:2100],
                event_types=chosen,
                description=str(description)[:300],
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.url_error = exc.errors.get("url", "")
            self.events_error = exc.errors.get("event_types", "")
            self.description_error = exc.errors.get("description", "")
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        self.notice = "Endpoint added. Copy its signing secret into your receiver."
        await self._reload(actor)
        # Emptied only once added: a refused URL stays in the field to be corrected.
        return [rx.set_value("webhook-url", ""), rx.set_value("webhook-description", "")]

    async def _change(self, endpoint_id: str, call, notice: str) -> None:
        self.error = self.notice = ""
        actor = await self._actor()
        parsed = _uuid(endpoint_id)
        if actor is None or parsed is None:
            return
        try:
            await asyncio.to_thread(call, actor, parsed)
        except ServiceError as exc:
            self.error = exc.message
            return
        self.notice = notice
        await self._reload(actor)

    @rx.event
    async def set_enabled(self, endpoint_id: str, enabled: bool):
        on = enabled is True
        await self._change(
            endpoint_id,
            lambda actor, ep: endpoints.update_endpoint(
                actor=actor, endpoint_id=ep, enabled=on, ip=client_ip(self)
            ),
            "Endpoint enabled." if on else "Endpoint disabled.",
        )

    @rx.event
    async def rotate(self, endpoint_id: str):
        await self._change(
            endpoint_id,
            lambda actor, ep: endpoints.rotate_secret(
                actor=actor, endpoint_id=ep, ip=client_ip(self)
            ),
            "New secret made. The old one also signs for 24 hours.",
        )

    @rx.event
    async def delete(self, endpoint_id: str):
        await self._change(
            endpoint_id,
            lambda actor, ep: endpoints.delete_endpoint(
                actor=actor, endpoint_id=ep, ip=client_ip(self)
            ),
            "Endpoint deleted.",
        )

    @rx.event
    async def show_log(self, endpoint_id: str):
        self.error = ""
        actor = await self._actor()
        parsed = _uuid(endpoint_id)
        if actor is None or parsed is None:
            return
        try:
            rows = await asyncio.to_thread(
                endpoints.list_deliveries, actor=actor, endpoint_id=parsed
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        self.log_endpoint_id = str(parsed)
        self.log_endpoint_url = next(
            (e["url"] for e in self.endpoints if e["id"] == self.log_endpoint_id), ""
        )
        self.deliveries = [_delivery_row(d) for d in rows]

    @rx.event
    async def refresh_log(self):
        if self.log_endpoint_id:
            await self.show_log(self.log_endpoint_id)

    @rx.event
    async def resend(self, message_id: str):
        self.error = self.notice = ""
        actor = await self._actor()
        parsed = _uuid(message_id)
        if actor is None or parsed is None:
            return
        try:
            await asyncio.to_thread(endpoints.resend, actor=actor, message_id=parsed)
        except ServiceError as exc:
            self.error = exc.message
            return
        self.notice = "Queued to be sent again (the same message id)."
        await self.show_log(self.log_endpoint_id)
