"""Public account pages: log in, sign up, forgot and reset password, verify e-mail.

Passwords arrive as form data of one submit event and are never stored in state vars
(those are sent back to the browser).
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import reflex as rx

from qrapp.core import routes
from qrapp.core.safe_redirect import safe_next_path
from qrapp.services.accounts import accounts, signup
from qrapp.services.errors import ServiceError
from qrapp.services.sso import domains as sso_domains
from qrapp.services.sso import refusals
from qrapp.services.sso import tickets as sso_tickets
from qrapp.state.base import browser_binding, client_ip
from qrapp.state.session import go_to_backend

_NOTICES = {
    "expired": "That sign-in link has expired. Please log in again.",
    "reset": "Your password was changed. Log in with the new one.",
}


def _field(form: dict, name: str, limit: int = 4096) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


class AuthState(rx.State):
    error: str = ""
    field_error: str = ""
    error_field: str = ""
    notice: str = ""
    busy: bool = False
    signup_pending_email: str = ""
    reset_requested: bool = False
    reset_done: bool = False
    verify_result: str = ""  # "", "ok", "invalid"
    sso_open: bool = False  # the login page's "Sign in with SSO" e-mail form is shown
    sso_error: str = ""

    def _clear(self) -> None:
        self.error = self.field_error = self.error_field = ""

    def _fail(self, exc: ServiceError) -> None:
        if exc.field:
            self.field_error, self.error_field, self.error = exc.message, exc.field, ""
        else:
            self.error, self.field_error, self.error_field = exc.message, "", ""

    def _next(self) -> str:
        return safe_next_path(self.router.url.query_parameters.get("next"))

    @rx.event
    def load_login(self):
        self._clear()
        self.busy = False
        params = self.router.url.query_parameters
        # Back from a refused single sign-on: a code, shown as its sentence.
        self.sso_error = refusals.message(str(params.get("sso_error", ""))[:20])
        self.sso_open = bool(self.sso_error)
        self.notice = _NOTICES.get(params.get("error", ""), "")
        if params.get("bye"):
            self.notice = "You are logged out."
        if params.get("reset"):
            self.notice = _NOTICES["reset"]

    @rx.event
    def load_plain(self):
        self._clear()
        self.busy = False
        self.notice = ""
        self.signup_pending_email = ""
        self.reset_requested = False
        self.reset_done = False

    @rx.event
    async def log_in(self, form: dict):
        self._clear()
        self.busy = True
        yield
        try:
            handoff = await asyncio.to_thread(
                accounts.log_in,
                email=_field(form, "email", 320),
                password=_field(form, "password"),
                ip=client_ip(self),
                binding=browser_binding(self),
            )
        except ServiceError as exc:
            self.busy = False
            self._fail(exc)
            return
        yield go_to_backend(routes.auth_session(handoff, quote(self._next(), safe="/")))

    @rx.event
    def open_sso(self):
        self.sso_open = True
        self.sso_error = ""

    @rx.event
    async def sign_in_with_sso(self, form: dict):
        """Send the person to the connection of their work e-mail's domain."""
        self.sso_error = ""
        email = _field(form, "sso_email", 320).strip()
        if "@" not in email:
            self.sso_error = "Enter your work e-mail address."
            return
        conn = await asyncio.to_thread(sso_domains.connection_for_email, email)
        if conn is None:
            self.sso_error = (
                "Single sign-on is not set up for that e-mail's domain. "
                "Log in with your password, or ask your workspace admin."
            )
            return
        self.busy = True
        yield
        ticket = sso_tickets.issue(binding=browser_binding(self), connection_id=conn.id)
        target = f"{routes.sso_start(conn.id)}?t={ticket}&next={quote(self._next(), safe='/')}"
        yield go_to_backend(target)

    @rx.event
    async def sign_up(self, form: dict):
        self._clear()
        if form.get("password") != form.get("password_again"):
            self._fail(ServiceError("The two passwords differ.", field="password_again"))
            return
        self.busy = True
        yield
        try:
            await asyncio.to_thread(
                signup.sign_up,
                email=_field(form, "email", 320),
                password=_field(form, "password"),
                name=_field(form, "name", 200),
                ip=client_ip(self),
                binding=browser_binding(self),
                next_path=str(self.router.url.query_parameters.get("next", ""))[:2000],
            )
        except ServiceError as exc:
            self.busy = False
            self._fail(exc)
            return
        # The same answer whether or not the address has an account: the mail says which.
        self.busy = False
        self.signup_pending_email = _field(form, "email", 320).strip()

    @rx.event
    async def request_reset(self, form: dict):
        self._clear()
        self.busy = True
        yield
        try:
            await asyncio.to_thread(
                accounts.request_password_reset,
                email=_field(form, "email", 320),
                ip=client_ip(self),
            )
        except ServiceError as exc:
            self.busy = False
            self._fail(exc)
            return
        self.busy = False
        self.reset_requested = True

    @rx.event
    async def reset_password(self, form: dict):
        self._clear()
        if form.get("password") != form.get("password_again"):
            self._fail(ServiceError("The two passwords differ.", field="password_again"))
            return
        token = self.router.url.query_parameters.get("token", "")
        self.busy = True
        yield
        try:
            await asyncio.to_thread(
                accounts.reset_password,
                token=str(token)[:200],
                new_password=_field(form, "password"),
                ip=client_ip(self),
            )
        except ServiceError as exc:
            self.busy = False
            self._fail(exc)
            return
        self.busy = False
        yield rx.redirect(routes.LOGIN_AFTER_RESET, replace=True)

    @rx.event
    async def verify_email(self):
        """A mailed link: a new account's link also logs in the browser that signed up."""
        token = str(self.router.url.query_parameters.get("token", ""))[:200]
        result = await asyncio.to_thread(
            signup.confirm_email, token=token, binding=browser_binding(self)
        )
        self.verify_result = "ok" if result.confirmed else "invalid"
        if result.handoff:
            target = quote(result.next_path, safe="/")
            return go_to_backend(routes.auth_session(result.handoff, target))
