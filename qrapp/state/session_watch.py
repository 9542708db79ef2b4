"""Sends a signed-in tab to the login page within seconds of its session ending
elsewhere, though the tab sends nothing (services/accounts/session_watch.py).

Started by the shell's guard on every signed-in page; one watcher per tab and process
(a later page load of the same tab finds it running). It ends with the tab's connection;
a reconnect (to this process or another) runs the page's on_load again (Reflex's
rehydrate), so the guard starts a new one there.
"""

from __future__ import annotations

import reflex as rx

from qrapp.core import routes
from qrapp.services.accounts import session_watch
from qrapp.state.base import session_token
from qrapp.state.connection import connected

_TABS: set[str] = set()  # client tokens with a watcher in this process

# Decided in the browser, which knows the page it shows now: only a signed-in page (the
# shell's user menu) leaves, for the login page and back here after. A tab that logged
# itself out already shows the login page ("You are logged out") and stays there.
LEAVE_SCRIPT = (
    "if (document.getElementById('user-menu')) { window.location.replace("
    f"'{routes.LOGIN}?next=' + encodeURIComponent(window.location.pathname"
    " + window.location.search)); }"
)


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
        if not ended:
            return
        async with self:  # the tab's newest headers: it may have logged in again since
            still_held = session_token(self) == token
        if still_held:
            yield rx.call_script(LEAVE_SCRIPT)
