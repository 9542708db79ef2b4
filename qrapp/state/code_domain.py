"""The code page's "Domain" control: an editor moves a dynamic code's short link to one
of the workspace's verified custom domains or to ours (services.codes.code_domain),
after a confirmation that says what happens to codes already printed.

Its own state, not CodeDetailState's: that one loads on every event of the page, and
this needs the domain choices only here. After a move it updates the detail state's
short link and preview, so the page shows what a new download will hold."""

from __future__ import annotations

import asyncio
from typing import TypedDict
from urllib.parse import urlsplit

import reflex as rx

from qrapp.core import hosts
from qrapp.core.permissions import Permission
from qrapp.services.codes import qrcodes
from qrapp.services.domains import live
from qrapp.services.domains.hostnames import display
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, code_id_from_path, load_actor
from qrapp.state.code_detail import PREVIEW_SIZE, CodeDetailState
from qrapp.state.designer_focus import focus_when_shown
from qrapp.state.previews import preview


class DomainOption(TypedDict):
    value: str  # the stored name; "" is ours
    label: str


def _our_host() -> str:
    return urlsplit(get_settings().edge_url).hostname or "our domain"


def _link_on(domain: str, short_code: str) -> str:
    return hosts.short_url(get_settings().edge_url, domain, short_code)


class CodeDomainState(rx.State):
    # Shown to editors of a dynamic code when there is somewhere to move it.
    can_change: bool = False
    options: list[DomainOption] = []
    current: str = ""  # the code's domain as stored ("" ours)
    chosen: str = ""  # what the select holds, saved only after the confirmation
    short_code: str = ""
    confirming: bool = False
    error: str = ""
    notice: str = ""

    @rx.event
    async def load(self):
        self.can_change, self.confirming, self.error, self.notice = False, False, "", ""
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            code = await asyncio.to_thread(
                qrcodes.get_code_or_raise, actor=actor, code_id=code_id_from_path(self)
            )
        except (ValueError, ServiceError):
            return  # the detail state shows "not found" or the login redirect
        if not (code.is_dynamic and code.short_code and actor.can(Permission.CODES_EDIT)):
            return
        verified, _default = await asyncio.to_thread(live.choices_for_workspace, actor.workspace_id)
        self.options = [DomainOption(value="", label=f"{_our_host()} (ours)")] + [
            DomainOption(value=n, label=display(n)) for n in verified
        ]
        if code.domain and code.domain not in verified:
            # A code left on a domain no longer verified still shows where it is.
            self.options.append(
                DomainOption(value=code.domain, label=f"{display(code.domain)} (not verified)")
            )
        self.current = self.chosen = code.domain
        self.short_code = code.short_code
        self.can_change = len(self.options) > 1

    @rx.var
    def old_link(self) -> str:
        return _link_on(self.current, self.short_code) if self.short_code else ""

    @rx.var
    def new_link(self) -> str:
        return _link_on(self.chosen, self.short_code) if self.short_code else ""

    @rx.var
    def old_is_custom(self) -> bool:
        return self.current != ""

    @rx.event
    def choose(self, value: str):
        value = str(value)[:260]
        # Only one of the listed names; the service checks again when saving.
        if any(o["value"] == value for o in self.options):
            self.chosen = value
        self.error = self.notice = ""

    @rx.event
    def ask(self, value: bool = True):
        self.confirming = bool(value) and self.chosen != self.current
        if not value:
            self.chosen = self.current  # "Cancel" puts the select back

    @rx.event
    async def save(self):
        self.confirming, self.error, self.notice = False, "", ""
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            code = await asyncio.to_thread(
                qrcodes.change_domain,
                actor=actor,
                code_id=code_id_from_path(self),
                domain=self.chosen,
                ip=client_ip(self),
            )
        except NotSignedIn:
            return
        except (ValueError, ServiceError) as exc:
            self.chosen = self.current
            self.error = getattr(exc, "message", "That code does not exist.")
            return
        self.current = self.chosen = code.domain
        live.forget()  # the short URL below reads which domains are live
        detail = await self.get_state(CodeDetailState)
        detail.short_url = qrcodes.short_url(code)
        uri, level, reasons = await asyncio.to_thread(
            preview, qrcodes.code_text(code), code.design, PREVIEW_SIZE
        )
        detail.preview_src, detail.verdict_level, detail.verdict_reasons = uri, level, reasons
        self.notice = (
            f"The short link is now {detail.short_url}. Download the code again to print it."
        )
        return focus_when_shown("#code-domain-saved")
