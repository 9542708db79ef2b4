"""The login page's second step: a code from the app, a recovery code or a passkey; the
enrolment walk-through when a workspace requires two-factor login; and "Sign in with a
passkey" without a password.

The pending second-step token stays in a backend-only var (never sent to the browser);
every service call also checks it against this browser's binding cookie.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import reflex as rx

from qrapp.core import routes
from qrapp.core.safe_redirect import safe_next_path
from qrapp.services.accounts import passkeys, second_factor
from qrapp.services.accounts.second_factor import SecondStepRequired
from qrapp.services.errors import ServiceError
from qrapp.state.base import _cookie, browser_binding, client_ip
from qrapp.state.passkey_script import browser_error, create_script, get_script
from qrapp.state.session import go_to_backend


def trusted_device(state: rx.State) -> str:
    """The HttpOnly trusted-device cookie (set by /auth/session), as the websocket saw it."""
    return _cookie(state, second_factor.TRUSTED_DEVICE_COOKIE) or ""


class SecondStepState(rx.State):
    step: str = ""  # "" (password) | "code" | "enrol" | "codes" (show recovery codes)
    offers_passkey: bool = False
    error: str = ""
    busy: bool = False
    enrol_secret: str = ""
    enrol_qr: str = ""
    recovery_codes: list[str] = []
    passkey_error: str = ""  # the walk-through's passkey set-up
    _pending: str = ""
    _passkey_name: str = ""

    def _go_on(self, done: second_factor.Completed) -> rx.event.EventSpec:
        target = safe_next_path(self.router.url.query_parameters.get("next"))
        return go_to_backend(routes.auth_session(done.handoff, quote(target, safe="/")))

    async def _begin(self, step: SecondStepRequired) -> None:
        """Called by AuthState.log_in when the password was right."""
        self._pending, self.error = step.token, ""
        self.offers_passkey = step.passkeys
        self.recovery_codes = []
        if not step.enrol:
            self.step = "code"
            return
        try:
            enrolment = await asyncio.to_thread(
                second_factor.start_enrolment_at_login,
                pending=self._pending,
                binding=browser_binding(self),
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        self.enrol_secret, self.enrol_qr = enrolment.secret, enrolment.qr_data_uri
        self.step = "enrol"

    @rx.event
    def reset_step(self):
        # Also on every load of /login: the state outlives the last login of this tab.
        self.step, self.error, self._pending, self.busy = "", "", "", False
        self.passkey_error = ""
        self.enrol_secret = self.enrol_qr = ""
        self.recovery_codes = []

    @rx.event
    async def submit_code(self, form: dict):
        code = str(form.get("code", ""))[:60]
        self.error, self.busy = "", True
        yield
        try:
            done = await asyncio.to_thread(
                second_factor.complete_with_code,
                pending=self._pending,
                binding=browser_binding(self),
                code=code,
                trust_device=form.get("trust") in ("on", True, "true"),
                ip=client_ip(self),
            )
        except ServiceError as exc:
            self.error, self.busy = exc.message, False
            return
        yield self._go_on(done)

    @rx.event
    async def confirm_enrolment(self, form: dict):
        self.error = ""
        try:
            codes = await asyncio.to_thread(
                second_factor.confirm_enrolment_at_login,
                pending=self._pending,
                binding=browser_binding(self),
                code=str(form.get("code", ""))[:60],
                ip=client_ip(self),
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        self.recovery_codes, self.step = codes, "codes"
        self.enrol_secret = self.enrol_qr = ""

    @rx.event
    async def enrol_passkey(self, form: dict):
        """The walk-through's alternative to an app: a passkey (Settings -> Security's
        enrolment, for the account of the pending login)."""
        self.error = self.passkey_error = ""
        name = " ".join(str(form.get("name", "")).split())[:60]
        if not name:
            self.passkey_error = "Give the passkey a name, like “Work laptop”."
            return None
        try:
            options = await asyncio.to_thread(
                passkeys.registration_options_at_login,
                pending=self._pending,
                binding=browser_binding(self),
            )
        except ServiceError as exc:
            self.passkey_error = exc.message
            return None
        self._passkey_name = name
        return rx.call_script(create_script(options), callback=SecondStepState.finish_enrol_passkey)

    @rx.event
    async def finish_enrol_passkey(self, result: str):
        problem = browser_error(result)
        if problem:
            self.passkey_error = problem
            return
        try:
            done = await asyncio.to_thread(
                passkeys.register_at_login,
                pending=self._pending,
                binding=browser_binding(self),
                name=self._passkey_name,
                credential_json=str(result)[:20000],
                ip=client_ip(self),
            )
        except ServiceError as exc:
            self.passkey_error = exc.message
            return
        self.enrol_secret = self.enrol_qr = ""
        yield self._go_on(done)

    @rx.event
    async def continue_after_codes(self):
        try:
            done = await asyncio.to_thread(
                second_factor.finish_enrolment_at_login,
                pending=self._pending,
                binding=browser_binding(self),
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        self.recovery_codes = []
        return self._go_on(done)

    @rx.event
    async def use_passkey(self):
        """The passkey prompt: for the pending second step, or password-less."""
        self.error = ""
        try:
            options = await asyncio.to_thread(
                passkeys.login_options, binding=browser_binding(self), pending=self._pending
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        return rx.call_script(get_script(options), callback=SecondStepState.finish_passkey)

    @rx.event
    async def finish_passkey(self, result: str):
        problem = browser_error(result)
        if problem:
            self.error = problem
            return
        try:
            done = await asyncio.to_thread(
                passkeys.log_in_with_passkey,
                credential_json=str(result)[:20000],
                binding=browser_binding(self),
                pending=self._pending,
                ip=client_ip(self),
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        yield self._go_on(done)
