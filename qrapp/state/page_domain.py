"""The page builder's domain choice: the page is served on one of the workspace's
verified custom domains or on ours (services.domains.page_domains)."""

from __future__ import annotations

import asyncio
import uuid

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.domains import live, page_domains
from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, load_actor


def page_public_url(page) -> str:
    """Where the edge serves the published page (on its domain while that is verified)."""
    base = live.public_base(page.domain, page.workspace_id, get_settings().edge_url)
    return base + routes.public_page(page.slug)


class PageDomainMixin(rx.State, mixin=True):
    page_domain: str = ""
    domain_choices: list[str] = []
    domain_error: str = ""

    async def _load_domains(self, page) -> None:
        self.page_domain, self.domain_error = page.domain, ""
        names, _default = await asyncio.to_thread(live.choices_for_workspace, page.workspace_id)
        # A page left on a domain no longer verified still shows where it is.
        self.domain_choices = names + (
            [page.domain] if page.domain and page.domain not in names else []
        )

    @rx.event
    async def set_page_domain(self, value: str):
        self.domain_error = ""
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            chosen = await asyncio.to_thread(
                page_domains.set_page_domain,
                actor=actor,
                page_id=uuid.UUID(self.page_id),
                domain=str(value)[:260],
                ip=client_ip(self),
            )
        except (ValueError, ServiceError) as exc:
            self.domain_error = getattr(exc, "message", "That domain cannot be chosen.")
            return
        self.page_domain = chosen
        await self._reload_meta(actor)  # type: ignore[attr-defined]
