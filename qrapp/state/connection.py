"""Is a browser tab still connected to this web process? Background tasks that poll for a
tab (the analytics live feed, the bulk job progress) ask, since Reflex does not cancel
them when the tab closes.

Reflex 0.10.1 has no public "is this client connected" call and no disconnect hook for
app code (EventNamespace.on_disconnect only cancels hydration and on_load chains), so
this is the one adapter onto its internals: the running App comes from the
RegistrationContext Reflex sets around every event (as its own hydrate does), and its
read-only `event_namespace.token_to_sid` lists the tabs connected here. Anything missing
(no app yet, a Reflex that moved these) counts as connected: loops then still end at
their own time limit.
"""

from __future__ import annotations

from reflex_base.registry import RegistrationContext
from reflex_base.utils.exceptions import ReflexRuntimeError


def connected(token: str) -> bool:
    try:
        app = RegistrationContext.get().app
    except (LookupError, ReflexRuntimeError):
        return True
    namespace = app.event_namespace
    if namespace is None:
        return True
    return token in namespace.token_to_sid
