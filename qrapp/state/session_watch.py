"""Sends a signed-in tab to the login page within seconds of its session ending
elsewhere, though the tab sends nothing (services/accounts/session_watch.py).

Started by the shell's guard on every signed-in page; one watcher per tab and process
(a later page load of the same tab finds it running). It ends with the tab's connection;
a tab that reconnects to another process gets a new one at its next page load.
"""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx

from qrapp.core import routes
from qrapp.services.accounts import session_watch
from qrapp.state.base import session_token
from qrapp.state.connection import connected

_TABS: set[str] = set()  # client tokens with a watcher in this process


class SessionWatchState(rx.State):
    @rx.event(background=True)
    async def watch(self):
        tab = self.router.session.client_token
        token = session_token(self)
        if not token or not tab or tab in _TABS:
            return
        _TABS.add(tab)
        try:
            ended = await session_watch.wait_until_ended(token, lambda: connected(tab))
        finally:
            _TABS.discard(tab)
        if ended:
            path = self.router.url.path or routes.DASHBOARD
            yield rx.redirect(routes.with_next(routes.LOGIN, quote(path, safe="/")), replace=True)
