"""The v1 app's outermost middleware: identifies the presented key once per request
(cached: services.api_key_cache), applies its rate limit (ratelimit), puts the
X-RateLimit-* headers on every answer to an authenticated request (429 problem documents,
304s and idempotent replays included) and counts the answer in the key's daily usage.

It refuses nothing but an exhausted limit: a missing, unknown or revoked key passes on,
and the route's `caller(Scope)` dependency answers 401/403 (it reads the check made here
from the request's state, so the key is checked once).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qrapp.api.v1.problems import problem
from qrapp.api.v1.ratelimit import limiter
from qrapp.services import api_key_usage
from qrapp.services.api_key_cache import KeyCheck, NotCached, cache, split_token

STATE_KEY = "api_key_check"


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            kind, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if kind.lower() == "bearer" else None
    return None


async def check_key(token: str) -> KeyCheck | None:
    keys = cache()
    try:
        return keys.check(token, cached_only=True)
    except NotCached:
        return await run_in_threadpool(keys.check, token)


class KeyGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = bearer_token(scope) if scope["type"] == "http" else None
        if token is None:
            await self.app(scope, receive, send)
            return
        check = await check_key(token)
        # A rotated key's new secret fails against a row cached before the rotation:
        # before refusing a well-formed key, ask whether keys changed since.
        if (
            check is None
            and split_token(token) is not None
            and cache().observe(await limiter().generation())
        ):
            check = await run_in_threadpool(cache().check, token)
        state = scope.setdefault("state", {})
        if check is None:
            state[STATE_KEY] = None
            await self.app(scope, receive, send)
            return
        decision = await limiter().hit(check.limit_key, check.per_minute)
        if cache().observe(decision.generation):
            # A key changed somewhere since this process cached it: look again.
            check = await run_in_threadpool(cache().check, token)
            if check is None:
                state[STATE_KEY] = None
                await self.app(scope, receive, send)
                return
        state[STATE_KEY] = check
        meter = api_key_usage.meter()
        key_id = check.key_id
        extra = decision.headers()
        if not decision.allowed:
            meter.record(key_id, 429)
            response = problem(
                429,
                f"This key may make {decision.limit} requests per minute; "
                f"try again in {decision.retry_after} s.",
                kind="rate-limited",
                instance=scope["path"],
            )
            response.raw_headers.extend(extra)
            await response(scope, receive, send)
        else:

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message.get("headers", []), *extra]
                    meter.record(key_id, message["status"])
                await send(message)

            await self.app(scope, receive, send_with_headers)
