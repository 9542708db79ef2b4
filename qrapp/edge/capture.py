"""Scan capture off the response path: the handler appends the event to a list; a
background task writes the list every EDGE_FLUSH_MS (or at 500 events) to the stream.

Redis mode: XADD in one pipeline; if Redis fails, the batch goes to the local spool (an
SQLite file) and a replay task moves the spool into the stream once Redis answers again.
Embedded mode: the batch goes to the durable local queue the ingest reads. A graceful
stop flushes what is buffered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from qrapp.scanstream import chunks
from qrapp.scanstream.local import LocalQueue
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

# Flush early when this many are buffered, else every EDGE_FLUSH_MS. Each flush is a trip
# to a thread that takes the GIL back from the busy event loop a few times (every request
# in flight waits meanwhile), so at high rates fewer, larger batches keep the tail shorter:
# 2000 is a flush per 50 ms at 40k views/s, and still a bound on the buffer in a burst.
# (XADD from the loop with the asyncio client was measured too: no hand-overs, but about
# 0.5 us per event of the loop's own time, more than the hand-overs cost.)
FLUSH_AT = 2000
REPLAY_EVERY = 1.0
REPLAY_BATCH = 2000


class ScanCapture:
    def __init__(self) -> None:
        settings = get_settings()
        self.interval = settings.edge_flush_ms / 1000
        self.redis_mode = bool(settings.redis_url)
        self._buffer: list[str] = []
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._stream = None
        self._queue: LocalQueue | None = None
        self._spool: LocalQueue | None = None
        self._lock = asyncio.Lock()
        if self.redis_mode:
            from qrapp.scanstream.redis_stream import RedisStream

            self._stream = RedisStream.from_settings()
            self._spool = LocalQueue(settings.scan_spool_path)
        else:
            self._queue = LocalQueue(settings.scan_queue_path)

    def add(self, event_json: str) -> None:
        """One event as JSON text. The edge serialises it on the loop (about a microsecond
        from cached pieces) rather than in the flush thread, where a thousand at once would
        hold the GIL for milliseconds."""
        self._buffer.append(event_json)
        if len(self._buffer) >= FLUSH_AT:
            self._wake.set()

    def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._flush_loop()))
        if self.redis_mode:
            self._tasks.append(asyncio.create_task(self._replay_loop()))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.flush()

    async def _flush_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:
                log.exception("scan flush failed")

    async def flush(self) -> None:
        async with self._lock:
            if not self._buffer:
                return
            batch, self._buffer = self._buffer, []
            await asyncio.to_thread(self._write, batch)

    def _write(self, batch: list[str]) -> None:
        payloads = chunks(batch)
        if self._stream is not None and self._spool is not None:
            try:
                self._stream.append(payloads)
                return
            except Exception as exc:
                log.warning("redis unavailable (%s); spooling %d scan events", exc, len(batch))
                self._spool.append(payloads)
                return
        if self._queue is not None:
            self._queue.append(payloads)  # one INSERT: one GIL hand-over, not one per row

    async def _replay_loop(self) -> None:
        while True:
            await asyncio.sleep(REPLAY_EVERY)
            try:
                await asyncio.to_thread(self.replay_spool)
            except Exception as exc:
                log.info("spool replay waits for redis: %s", exc)

    def replay_spool(self) -> int:
        """Move spooled events into the stream (XADD, then delete: a crash in between
        replays them again, and the ingest's event-id dedup absorbs the copy)."""
        moved = 0
        if self._stream is None or self._spool is None:
            return moved  # embedded mode: no spool
        while True:
            rows = self._spool.take_oldest(REPLAY_BATCH)
            if not rows:
                return moved
            self._stream.append([payload for _id, payload in rows])
            self._spool.delete([row_id for row_id, _p in rows])
            moved += len(rows)
