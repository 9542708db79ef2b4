"""Settings -> Security, two-factor part: the authenticator app, recovery codes,
passkeys and the workspace's "members must use two-factor" rule.

Every handler loads the actor from the session first; the services act on the actor's
own account only (the workspace rule also checks MEMBERS_MANAGE).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.services.accounts import passkeys, two_factor_settings
from qrapp.services.errors import ServiceError
from qrapp.state.base import browser_binding, client_ip, load_actor
from qrapp.state.passkey_script import browser_error, create_script, get_script

RECOVERY_FILE = "qrapp-recovery-codes.txt"


class PasskeyRow(TypedDict):
    id: str
    name: str
    added: str
    last_used: str


class TwoFactorState(rx.State):
    totp_on: bool = False
    recovery_left: int = 0
    enrolling: bool = False
    enrol_secret: str = ""
    enrol_qr: str = ""
    new_codes: list[str] = []  # shown once, right after they are made
    error: str = ""
    notice: str = ""
    workspace_requires: bool = False
    can_set_requirement: bool = False
    passkey_rows: list[PasskeyRow] = []
    passkey_error: str = ""
    _passkey_name: str = ""

    async def _refresh(self) -> None:
        actor = await load_actor(self)
        status = await asyncio.to_thread(two_factor_settings.status, actor=actor)
        self.totp_on, self.recovery_left = status.totp_on, status.recovery_codes_left
        self.workspace_requires = status.workspace_requires
        self.can_set_requirement = status.can_set_requirement
        views = await asyncio.to_thread(passkeys.list_passkeys, actor=actor)
        self.passkey_rows = [
            PasskeyRow(
                id=str(v.id),
                name=v.name,
                added=v.created_at.strftime("%Y-%m-%d"),
                last_used=v.last_used_at.strftime("%Y-%m-%d %H:%M UTC")
                if v.last_used_at
                else "never",
            )
            for v in views
        ]

    @rx.event
    async def load(self):
        self.error = self.notice = self.passkey_error = ""
        self.enrolling, self.new_codes = False, []
        self.enrol_secret = self.enrol_qr = ""
        try:
            await self._refresh()
        except ServiceError:
            return

    @rx.event
    async def start_enrolment(self):
        self.error = self.notice = ""
        try:
            actor = await load_actor(self)
            enrolment = await asyncio.to_thread(two_factor_settings.start_enrolment, actor=actor)
        except ServiceError as exc:
            self.error = exc.message
            return
        self.enrolling, self.new_codes = True, []
        self.enrol_secret, self.enrol_qr = enrolment.secret, enrolment.qr_data_uri

    @rx.event
    def cancel_enrolment(self):
        self.enrolling, self.error = False, ""
        self.enrol_secret = self.enrol_qr = ""

    @rx.event
    async def confirm_enrolment(self, form: dict):
        self.error = ""
        try:
            actor = await load_actor(self)
            codes = await asyncio.to_thread(
                two_factor_settings.confirm_enrolment,
                actor=actor,
                code=str(form.get("code", ""))[:60],
                ip=client_ip(self),
            )
            self.enrolling, self.new_codes = False, codes
            self.enrol_secret = self.enrol_qr = ""
            self.notice = "Two-factor login is on."
            await self._refresh()
        except ServiceError as exc:
            self.error = exc.message

    async def _regenerate(self, *, code: str = "", passkey_credential: str = "") -> None:
        self.error = self.notice = ""
        try:
            actor = await load_actor(self)
            self.new_codes = await asyncio.to_thread(
                two_factor_settings.regenerate_recovery_codes,
                actor=actor,
                code=code,
                passkey_credential=passkey_credential,
                binding=browser_binding(self),
                ip=client_ip(self),
            )
            self.notice = "New recovery codes made. The old ones no longer work."
            await self._refresh()
        except ServiceError as exc:
            self.error = exc.message

    @rx.event
    async def regenerate_codes(self, form: dict):
        """New recovery codes, proved with a current code from the app."""
        await self._regenerate(code=str(form.get("code", ""))[:60])

    @rx.event
    async def regenerate_with_passkey(self):
        """New recovery codes, proved with one of the account's passkeys."""
        self.error = self.notice = ""
        try:
            actor = await load_actor(self)
            options = await asyncio.to_thread(
                passkeys.reauth_options, actor=actor, binding=browser_binding(self)
            )
        except ServiceError as exc:
            self.error = exc.message
            return None
        return rx.call_script(get_script(options), callback=TwoFactorState.finish_regenerate)

    @rx.event
    async def finish_regenerate(self, result: str):
        problem = browser_error(result)
        if problem:
            self.error = problem + " No new codes were made."
            return
        await self._regenerate(passkey_credential=str(result)[:20000])

    @rx.event
    def download_codes(self):
        if not self.new_codes:
            return
        text = "qrapp recovery codes (each works once)\n\n" + "\n".join(self.new_codes) + "\n"
        return rx.download(data=text, filename=RECOVERY_FILE)

    @rx.event
    def hide_codes(self):
        self.new_codes = []

    @rx.event
    async def disable(self, form: dict):
        self.error = self.notice = ""
        try:
            actor = await load_actor(self)
            await asyncio.to_thread(
                two_factor_settings.disable,
                actor=actor,
                proof=str(form.get("proof", ""))[:4096],
                ip=client_ip(self),
            )
            self.new_codes = []
            self.notice = "Two-factor login is off."
            await self._refresh()
        except ServiceError as exc:
            self.error = exc.message

    @rx.event
    async def set_requirement(self, required: bool):
        self.error = self.notice = ""
        try:
            actor = await load_actor(self)
            await asyncio.to_thread(
                two_factor_settings.set_workspace_requirement,
                actor=actor,
                required=bool(required),
                ip=client_ip(self),
            )
            await self._refresh()
        except ServiceError as exc:
            self.error = exc.message

    @rx.event
    async def add_passkey(self, form: dict):
        self.passkey_error = ""
        name = " ".join(str(form.get("name", "")).split())[:60]
        if not name:
            self.passkey_error = "Give the passkey a name, like “Work laptop”."
            return
        try:
            actor = await load_actor(self)
            options = await asyncio.to_thread(
                passkeys.registration_options, actor=actor, binding=browser_binding(self)
            )
        except ServiceError as exc:
            self.passkey_error = exc.message
            return
        self._passkey_name = name
        return rx.call_script(create_script(options), callback=TwoFactorState.finish_passkey)

    @rx.event
    async def finish_passkey(self, result: str):
        problem = browser_error(result)
        if problem:
            self.passkey_error = problem
            return
        try:
            actor = await load_actor(self)
            await asyncio.to_thread(
                passkeys.register,
                actor=actor,
                name=self._passkey_name,
                credential_json=str(result)[:20000],
                binding=browser_binding(self),
                ip=client_ip(self),
            )
            self.notice = f"Passkey “{self._passkey_name}” added."
            await self._refresh()
        except ServiceError as exc:
            self.passkey_error = exc.message

    @rx.event
    async def remove_passkey(self, passkey_id: str):
        self.passkey_error = ""
        try:
            wanted = uuid.UUID(str(passkey_id))
        except ValueError:
            self.passkey_error = "That passkey does not exist."
            return
        try:
            actor = await load_actor(self)
            await asyncio.to_thread(
                passkeys.remove, actor=actor, passkey_id=wanted, ip=client_ip(self)
            )
            await self._refresh()
        except ServiceError as exc:
            self.passkey_error = exc.message
