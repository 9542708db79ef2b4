"""The analytics page reads its dashboard once: the first view hands what it read to the live view.

GET /analytics answers with the KPIs and first chart in the HTML (api/analytics_first.py),
then the page's on_load (state/analytics.py) needs the same dashboard for the same filter
a second or two later: the heaviest read of the page, twice. `read_for_first_view` keeps
its result for a few seconds; `read_for_load` takes it (once) instead of reading again.

Never stale after new scans: each kept dashboard carries the workspace's scan marker
(services/analytics/live.py) read BEFORE the dashboard, and the load reuses it only when
the marker it reads now is the same, i.e. the ingest added nothing since. Anything else
(another filter, user or workspace, older than REUSE_SECONDS, a second load, another web
worker) reads afresh. The live view's updates never come through here.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from qrapp.core.permissions import Permission
from qrapp.services.analytics import dashboard, live
from qrapp.services.analytics.filters import AnalyticsFilter
from qrapp.services.analytics.views import Dashboard
from qrapp.services.authz import Actor, require

# The first view's HTML reaches a browser, its scripts load and the websocket asks: about
# 6 s at most on a phone-speed CPU (api/analytics_first.py), so 20 s covers a slow one
# while the window, "today" and code names stay as they were.
REUSE_SECONDS = 20.0
_MAX_ENTRIES = 256  # browsers between their first view and their load, per process

_Key = tuple[uuid.UUID, uuid.UUID, AnalyticsFilter]
_kept: OrderedDict[_Key, tuple[float, live.Marker, Dashboard]] = OrderedDict()
_lock = threading.Lock()
clock: Callable[[], float] = time.monotonic  # tests move it


def _key(actor: Actor, workspace_id: uuid.UUID, filters: AnalyticsFilter) -> _Key:
    return (actor.user_id, workspace_id, filters)


def read_for_first_view(*, actor: Actor, filters: AnalyticsFilter) -> Dashboard:
    """The dashboard for the first view, kept for the load that follows it."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    marker = live.marker(workspace_id)  # before the read: scans after it change the marker
    data = dashboard.dashboard(actor=actor, filters=filters)
    now = clock()
    with _lock:
        for key in [k for k, (at, _, _) in _kept.items() if now - at > REUSE_SECONDS]:
            del _kept[key]
        _kept[_key(actor, workspace_id, filters)] = (now, marker, data)
        while len(_kept) > _MAX_ENTRIES:
            _kept.popitem(last=False)
    return data


def read_for_load(*, actor: Actor, filters: AnalyticsFilter, marker: live.Marker) -> Dashboard:
    """The dashboard for the page's load: what the first view read when it is recent and
    no scan has come since (`marker`, read by the caller before this call), else afresh."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with _lock:
        kept = _kept.pop(_key(actor, workspace_id, filters), None)
    if kept is not None:
        at, kept_marker, data = kept
        if kept_marker == marker and clock() - at <= REUSE_SECONDS:
            return data
    return dashboard.dashboard(actor=actor, filters=filters)


def forget_all() -> None:
    """Tests: start from nothing kept."""
    with _lock:
        _kept.clear()
