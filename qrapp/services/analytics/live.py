"""Knowing, within a second, that a workspace has new scans.

Production: the ingest publishes on `qrapp:scans-updated:<workspace_id>` after each batch
(with REDIS_URL set), and `ScanWatcher.wait` wakes up on that message. Embedded default
(no Redis): `wait` compares a cheap marker of the workspace (its newest event time, and
the codes' total_scans kept by the ingest) once per poll interval. With Redis the marker
is still checked now and then, so a missed message costs seconds, not the update.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
import uuid
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models import QRCode, ScanEvent
from qrapp.settings import get_settings

if TYPE_CHECKING:
    import redis.asyncio as aioredis
    from redis.asyncio.client import PubSub

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "qrapp:scans-updated:"
_SAFETY_CHECK_SECONDS = 15.0


def channel(workspace_id: uuid.UUID) -> str:
    return f"{CHANNEL_PREFIX}{workspace_id}"


Marker = tuple[dt.datetime | None, int, int]


def marker(workspace_id: uuid.UUID) -> Marker:
    """Changes whenever the ingest adds scans to the workspace: two index lookups."""
    with read_session() as session:
        newest = session.exec(
            select(sa.func.max(ScanEvent.occurred_at)).where(ScanEvent.workspace_id == workspace_id)
        ).one()
        total, codes = session.exec(
            select(sa.func.coalesce(sa.func.sum(QRCode.total_scans), 0), sa.func.count()).where(
                QRCode.workspace_id == workspace_id
            )
        ).one()
    if isinstance(newest, str):  # SQLite hands an aggregate of a datetime back as text
        newest = dt.datetime.fromisoformat(newest)
    return newest, int(total or 0), int(codes or 0)


def publish(
    workspace_id: uuid.UUID,
    count: int,
    last_event_at: dt.datetime | None,
    *,
    redis_url: str | None = None,
) -> None:
    """What the ingest sends after a batch (here for tests and tools that write scans)."""
    url = get_settings().redis_url if redis_url is None else redis_url
    if not url:
        return
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        client.publish(
            channel(workspace_id),
            json.dumps(
                {
                    "workspace_id": str(workspace_id),
                    "count": count,
                    "last_event_at": last_event_at.isoformat() if last_event_at else None,
                }
            ),
        )
    finally:
        client.close()


class ScanWatcher:
    """`await watcher.wait(timeout)` returns True when the workspace has new scans."""

    def __init__(self, workspace_id: uuid.UUID) -> None:
        self.workspace_id = workspace_id
        self._pubsub: PubSub | None = None
        self._redis: aioredis.Redis | None = None
        self._last: Marker | None = None
        self._last_check = 0.0

    async def start(self, baseline: Marker | None = None) -> None:
        """`baseline`: the marker taken before the page's data was read, so scans that
        land between that read and this start still count as new."""
        self._last = baseline or await asyncio.to_thread(marker, self.workspace_id)
        self._last_check = time.monotonic()
        url = get_settings().redis_url
        if not url:
            return
        try:
            import redis.asyncio as aioredis

            self._redis = aioredis.Redis.from_url(url, socket_timeout=5)
            self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            await self._pubsub.subscribe(channel(self.workspace_id))
            # A message published before the subscription is lost: compare once now.
            self._last_check = 0.0
        except Exception:  # Redis down: fall back to polling the marker
            log.warning("live analytics: Redis unavailable, polling instead", exc_info=True)
            await self.close()

    @property
    def last(self) -> Marker | None:
        return self._last

    async def _changed(self) -> bool:
        current = await asyncio.to_thread(marker, self.workspace_id)
        self._last_check = time.monotonic()
        changed, self._last = current != self._last, current
        return changed

    async def wait(self, timeout: float) -> bool:
        if self._pubsub is None:
            await asyncio.sleep(timeout)
            return await self._changed()
        if self._last_check == 0.0 and await self._changed():
            return True
        try:
            message = await self._pubsub.get_message(timeout=timeout)
        except Exception:
            log.warning("live analytics: lost Redis, polling instead", exc_info=True)
            await self.close()
            return await self._changed()
        if message is not None:
            # Drain a burst so one refresh covers it.
            with contextlib.suppress(Exception):
                while await self._pubsub.get_message(timeout=0.01) is not None:
                    pass
            self._last = await asyncio.to_thread(marker, self.workspace_id)
            return True
        if time.monotonic() - self._last_check > _SAFETY_CHECK_SECONDS:
            return await self._changed()
        return False

    async def close(self) -> None:
        pubsub, client, self._pubsub, self._redis = self._pubsub, self._redis, None, None
        with contextlib.suppress(Exception):
            if pubsub is not None:
                await pubsub.aclose()
        with contextlib.suppress(Exception):
            if client is not None:
                await client.aclose()
