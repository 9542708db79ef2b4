"""The public home page: whether the visitor is signed in, and the try-it generator."""

from __future__ import annotations

import asyncio
import base64
from urllib.parse import urlencode

import reflex as rx

from qrapp.core import routes
from qrapp.services import try_it
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, load_actor


class HomeState(rx.State):
    signed_in: bool = False
    kind: str = "url"
    content: str = ""
    style: str = "classic"
    preview_src: str = ""
    verdict_level: str = ""
    verdict_reasons: list[str] = []
    encoded: str = ""
    error: str = ""

    @rx.event
    async def load(self):
        """on_load: no redirect either way; signed-in visitors get a dashboard button."""
        try:
            await load_actor(self)
        except ServiceError:
            self.signed_in = False
        else:
            self.signed_in = True

    @rx.var
    def style_options(self) -> list[list[str]]:
        return [[key, label] for key, (label, _preset) in try_it.STYLES.items()]

    def _href(self, fmt: str) -> str:
        query = urlencode({"kind": self.kind, "content": self.content, "style": self.style})
        return f"{get_settings().public_api_url}{routes.try_qr(fmt)}?{query}"

    @rx.event
    def download(self, fmt: str):
        """A server event, not an href in the page: it runs after the content change still
        in the queue (the input is debounced), so the file always holds what was typed."""
        if fmt not in try_it.FORMATS or not self.content.strip():
            return None
        # As a Var: rx.download refuses a plain string that is not a path, and the backend
        # may live on another origin (development).
        return rx.download(url=rx.Var.create(self._href(fmt)))

    @rx.var
    def can_download(self) -> bool:
        return bool(self.preview_src) and self.verdict_level in ("ok", "warn") and not self.error

    @rx.event
    async def set_kind(self, value: str | list[str]):
        self.kind = value if isinstance(value, str) and value in try_it.KINDS else "url"
        return await self._render()

    @rx.event
    async def set_content(self, value: str):
        # A little over the limit, so the visitor sees the limit's message, not a cut.
        self.content = str(value)[: try_it.MAX_CONTENT + 1]
        return await self._render()

    @rx.event
    async def set_style(self, value: str):
        self.style = value if value in try_it.STYLES else "classic"
        return await self._render()

    @rx.event
    async def submit(self, form_data: dict):
        """Enter or "Make my code" once the scripts have run: the same check at once,
        without waiting for the input's debounce."""
        kind = form_data.get("kind")
        self.kind = kind if isinstance(kind, str) and kind in try_it.KINDS else self.kind
        self.content = str(form_data.get("content", ""))[: try_it.MAX_CONTENT + 1]
        return await self._render()

    @rx.event
    async def adopt_typed(self, value: str):
        """What the visitor typed before the scripts ran (no change event fired for it),
        read from the field once they have: checked as if it had just been typed."""
        typed = str(value or "")[: try_it.MAX_CONTENT + 1]
        if not typed.strip() or typed == self.content:
            return None
        self.content = typed
        return await self._render()

    async def _render(self):
        self.error = ""
        if not self.content.strip():
            self.preview_src, self.verdict_level, self.verdict_reasons = "", "", []
            self.encoded = ""
            return None
        request = try_it.TryRequest(kind=self.kind, content=self.content, style=self.style)
        try:
            try_it.PREVIEWS.hit(try_it.ip_key(client_ip(self)))
            png, verdict, text = await asyncio.to_thread(try_it.preview, request)
        except FieldErrors as exc:
            self.error = exc.errors.get("content", exc.message)
            self.preview_src, self.verdict_level, self.verdict_reasons = "", "", []
            return None
        except ServiceError as exc:
            self.error = exc.message
            return None
        self.preview_src = "data:image/png;base64," + base64.b64encode(png).decode()
        self.verdict_level, self.verdict_reasons = verdict.level, list(verdict.reasons)
        self.encoded = text
        return None
