"""`Idempotency-Key` on POST: a client that retries a create after a timeout gets the first
answer again instead of a second code.

The first answer (status, the headers that matter, body) to a POST carrying the header is
stored per (API key, Idempotency-Key) and replayed for 24 hours (with
`Idempotent-Replayed: true`). The same Idempotency-Key with another request (method,
path, query or body differ) -> 422; a second request while the first still runs -> 409.
Answers that say "try again" (429, 5xx) are not kept, so the retry really runs.

Stored in the database (table api_idempotency), so it works without Redis and across API
processes: the row is claimed by its primary key before the request runs, which is what
makes the 409 exact. Old rows are purged by the maintenance beat job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import sqlalchemy as sa
from sqlmodel import col
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qrapp.api.v1.gate import STATE_KEY
from qrapp.api.v1.problems import problem
from qrapp.db import read_session, transaction
from qrapp.models import ApiIdempotency
from qrapp.models.types import utcnow
from qrapp.settings import get_settings

HEADER = b"idempotency-key"
MAX_KEY_LEN = 255
# A claim whose request never finished (its process died) stops blocking after this.
STALE_CLAIM = dt.timedelta(minutes=5)
_KEPT_HEADERS = {b"content-type", b"location", b"etag", b"content-disposition"}


def _fingerprint(scope: Scope, body: bytes) -> str:
    h = hashlib.sha256()
    for part in (scope["method"], scope["path"]):
        h.update(part.encode() + b"\0")
    h.update(scope.get("query_string", b"") + b"\0")
    h.update(body)
    return h.hexdigest()


def _claim(key_id: uuid.UUID, idem: str, fingerprint: str) -> ApiIdempotency | None:
    """None when this request may run (the claim is ours); else the row that is there."""
    now = utcnow()
    expired = now - dt.timedelta(hours=get_settings().api_idempotency_hours)
    with transaction() as tx:
        # An expired answer, or a claim whose request died, no longer counts.
        tx.session.execute(
            sa.delete(ApiIdempotency).where(
                col(ApiIdempotency.key_id) == key_id,
                col(ApiIdempotency.idempotency_key) == idem,
                sa.or_(
                    col(ApiIdempotency.created_at) <= expired,
                    sa.and_(
                        col(ApiIdempotency.status).is_(None),
                        col(ApiIdempotency.created_at) <= now - STALE_CLAIM,
                    ),
                ),
            )
        )
    try:
        with transaction() as tx:
            tx.session.add(
                ApiIdempotency(key_id=key_id, idempotency_key=idem, fingerprint=fingerprint)
            )
        return None
    except sa.exc.IntegrityError:
        with read_session() as s:
            row = s.get(ApiIdempotency, (key_id, idem))
        if row is None:  # gone meanwhile (purged): a rare race; let the client retry
            return ApiIdempotency(key_id=key_id, idempotency_key=idem, fingerprint=fingerprint)
        return row


def _finish(key_id: uuid.UUID, idem: str, status: int, headers: list, body: bytes) -> None:
    with transaction() as tx:
        row = tx.session.get(ApiIdempotency, (key_id, idem))
        if row is None:
            return
        if status == 429 or status >= 500:
            tx.session.delete(row)
            return
        row.status = status
        row.headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in headers]
        row.body = body
        tx.session.add(row)


def _release(key_id: uuid.UUID, idem: str) -> None:
    with transaction() as tx:
        row = tx.session.get(ApiIdempotency, (key_id, idem))
        if row is not None and row.status is None:
            tx.session.delete(row)


class Idempotency:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope["headers"] if k == HEADER), None)
        check = scope.get("state", {}).get(STATE_KEY)
        if raw is None or check is None:  # no header, or no valid key (the route says 401)
            await self.app(scope, receive, send)
            return
        instance = scope["path"]  # the full path (Starlette keeps it under a Mount)
        idem = raw.decode("latin-1").strip()
        if not idem or len(idem) > MAX_KEY_LEN:
            await problem(
                422,
                f"Idempotency-Key must be 1 to {MAX_KEY_LEN} characters.",
                kind="invalid-idempotency-key",
                instance=instance,
                errors=[{"field": "Idempotency-Key", "message": "1 to 255 characters."}],
            )(scope, receive, send)
            return

        # Read the whole body (the route reads it again from what we replay).
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        key_id = check.key_id
        found = await run_in_threadpool(_claim, key_id, idem, _fingerprint(scope, body))
        if found is not None:
            await self._answer_again(found, _fingerprint(scope, body), instance, scope, send)
            return

        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        status, headers, out = 500, [], []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k in _KEPT_HEADERS]
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            await run_in_threadpool(_release, key_id, idem)
            raise
        await run_in_threadpool(_finish, key_id, idem, status, headers, b"".join(out))

    async def _answer_again(
        self, row: ApiIdempotency, fingerprint: str, instance: str, scope: Scope, send: Send
    ) -> None:
        async def no_body() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        if row.fingerprint != fingerprint:
            response = problem(
                422,
                "This Idempotency-Key was used with a different request; use a new key "
                "for a new request.",
                kind="idempotency-key-reused",
                instance=instance,
                errors=[{"field": "Idempotency-Key", "message": "Used with another request."}],
            )
        elif row.status is None:
            response = problem(
                409,
                "A request with this Idempotency-Key is still running; retry when it has finished.",
                kind="idempotency-key-in-use",
                instance=instance,
            )
        else:
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in row.headers]
            headers += [
                (b"content-length", str(len(row.body)).encode()),
                (b"idempotent-replayed", b"true"),
            ]
            await send({"type": "http.response.start", "status": row.status, "headers": headers})
            await send({"type": "http.response.body", "body": row.body})
            return
        await response(scope, no_body, send)
