"""Call a Reflex event handler over the websocket the way a script (not our page) can."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

import socketio

NAMESPACE = "/_event"  # Reflex's socket.io path and namespace


def in_thread(coro_factory):
    """Playwright's sync API owns this thread's loop; run socket.io in another thread."""
    box: dict = {}

    def run():
        try:
            box["value"] = asyncio.run(coro_factory())
        except BaseException as exc:
            box["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    if "error" in box:
        raise box["error"]
    return box.get("value")


async def connect(url: str, origin: str, cookie: str = "") -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    headers = {"Origin": origin}
    if cookie:
        headers["Cookie"] = cookie
    await client.connect(
        f"{url}?token={uuid.uuid4()}",
        socketio_path="/_event",
        namespaces=[NAMESPACE],
        transports=["websocket"],
        headers=headers,
        wait_timeout=10,
    )
    return client


def call_handler(
    url: str, session_token: str, handler: str, payload: dict[str, Any], path: str = "/"
) -> list:
    """Send one event as the holder of `session_token`; return the updates it produced."""
    return call_handlers(url, session_token, [(handler, payload)], path=path)


def call_handlers(
    url: str, session_token: str, events: list[tuple[str, dict[str, Any]]], path: str = "/"
) -> list:
    """Send events one after another on one connection (one browser tab's state)."""

    async def go() -> list:
        client = await connect(url, url, cookie=f"qrapp_session={session_token}")
        replies: list = []
        got = asyncio.Event()

        @client.on("event", namespace=NAMESPACE)
        async def on_event(data):
            replies.append(data)
            got.set()

        try:
            for handler, payload in events:
                got.clear()
                await client.emit(
                    "event",
                    {
                        "name": handler,
                        "payload": payload,
                        "router_data": {"pathname": path, "asPath": path},
                    },
                    namespace=NAMESPACE,
                )
                await asyncio.wait_for(got.wait(), 10)
                await asyncio.sleep(0.7)  # a handler may send more than one update
        finally:
            await client.disconnect()
        return replies

    return in_thread(go)
