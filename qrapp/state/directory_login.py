"""The company-directory (LDAP) login form: the work e-mail decides the workspace and its
directory, the password is checked by that directory (services/sso/ldap.py). The
password arrives as form data of one submit event and is never kept in a state var."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import reflex as rx

from qrapp.core import routes
from qrapp.services.errors import ServiceError
from qrapp.services.sso import ldap
from qrapp.state.auth import AuthState, _field
from qrapp.state.base import browser_binding, client_ip
from qrapp.state.session import go_to_backend


class DirectoryLoginState(AuthState):
    directory_email: str = ""

    @rx.event
    def load_directory(self):
        self._clear()
        self.busy = False
        self.notice = ""
        self.directory_email = str(self.router.url.query_parameters.get("email", ""))[:320]

    @rx.event
    async def log_in_directory(self, form: dict):
        self._clear()
        self.busy = True
        yield
        try:
            handoff = await asyncio.to_thread(
                ldap.log_in,
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
