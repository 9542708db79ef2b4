"""Uploaded media on the edge: GET|HEAD /m/<asset id>/<variant>.

The variant ("original", "w960", "w960.webp", "thumb", ...) is streamed from the media
storage (qrapp.services.media.storage) in chunks, never held whole in memory, with its
content type, an ETag, a year's `immutable` Cache-Control (an asset's bytes never change:
a new upload is a new id), and HTTP ranges so phones can seek in video and audio (206 with
the asked bytes, 416 when none of them exist; a request for several ranges gets the whole
file, as RFC 9110 allows). `download` is the original as an attachment under its
original name; files of kind "file" are always attachments.

The metadata of an asset (its variants, kind and name) is the JSON the upload wrote next
to it in the storage ("<id>/meta.json"), kept in an in-process LRU: serving never waits on
the database, and loads no image or render code (import-linter: "The edge stays lean").
Deleting an asset removes the metadata first, so an edge holding it stale finds the object
gone, answers 404 and forgets it.

Over 400 lines on purpose: conditional requests, ranges and chunked streaming are one
response path for one kind of object; split, each half would need the other's state.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from qrapp.api.disposition import attachment
from qrapp.core import routes
from qrapp.edge import responses
from qrapp.services.media.storage import (
    MissingObject,
    Storage,
    check_key,
    get_storage,
    verify_signed,
)

log = logging.getLogger(__name__)

PREFIX = routes.MEDIA_PREFIX
SIGNED_PREFIX = routes.MEDIA_SIGNED_PREFIX
_PATH_RE = re.compile(
    r"^/m/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/([a-z0-9][a-z0-9.]{0,19})$"
)
DOWNLOAD = "download"
CACHE_CONTROL = (b"cache-control", b"public, max-age=31536000, immutable")
FOUND_TTL = 600.0  # a safety net only: asset metadata never changes
MISSING_TTL = 5.0  # an id being uploaded right now is found soon after
CACHE_SIZE = 20000
_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
_SANDBOX = (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; sandbox")


@dataclass(frozen=True, slots=True)
class Variant:
    key: str
    content_type: bytes
    size: int


@dataclass(frozen=True, slots=True)
class Asset:
    id: str
    kind: str
    etag_base: str
    variants: dict[str, Variant]
    inline: bytes  # Content-Disposition values, built once
    download: bytes


def asset_from_meta(meta: dict[str, Any]) -> Asset:
    name = str(meta.get("name") or "download")
    variants = {}
    for vname, v in (meta.get("variants") or {}).items():
        ctype = str(v.get("content_type") or "application/octet-stream")
        variants[str(vname)] = Variant(
            str(v["key"]), ctype.encode("ascii", "ignore"), int(v.get("size", 0))
        )
    dl = attachment(name)
    return Asset(
        id=str(meta.get("id", "")),
        kind=str(meta.get("kind", "file")),
        etag_base=str(meta.get("checksum", ""))[:24],
        variants=variants,
        inline=("inline" + dl[len("attachment") :]).encode("ascii"),
        download=dl.encode("ascii"),
    )


class AssetCache:
    """Asset metadata by id: LRU with expiry (unknown ids too, for a short while), one
    storage read per id at a time."""

    def __init__(self, storage: Storage | None = None, size: int = CACHE_SIZE) -> None:
        self._storage = storage
        self.size = size
        self._items: OrderedDict[str, tuple[float, Asset | None]] = OrderedDict()
        self._inflight: dict[str, asyncio.Future] = {}

    @property
    def storage(self) -> Storage:
        if self._storage is None:
            self._storage = get_storage()
        return self._storage

    def cached(self, asset_id: str) -> tuple[bool, Asset | None]:
        item = self._items.get(asset_id)
        if item is None or item[0] < time.monotonic():
            return False, None
        self._items.move_to_end(asset_id)
        return True, item[1]

    def _put(self, asset_id: str, asset: Asset | None) -> None:
        ttl = FOUND_TTL if asset is not None else MISSING_TTL
        self._items[asset_id] = (time.monotonic() + ttl, asset)
        self._items.move_to_end(asset_id)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, asset_id: str) -> None:
        self._items.pop(asset_id, None)

    def __len__(self) -> int:
        return len(self._items)

    async def resolve(self, asset_id: str) -> Asset | None:
        hit, asset = self.cached(asset_id)
        if hit:
            return asset
        pending = self._inflight.get(asset_id)
        if pending is not None:
            return await asyncio.shield(pending)
        fut = asyncio.get_running_loop().create_future()
        self._inflight[asset_id] = fut
        try:
            asset = await asyncio.to_thread(self._load, asset_id)
            self._put(asset_id, asset)
            fut.set_result(asset)
            return asset
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved
            raise
        finally:
            self._inflight.pop(asset_id, None)

    def _load(self, asset_id: str) -> Asset | None:
        try:
            raw = self.storage.get(f"{asset_id}/meta.json")
        except MissingObject:
            return None
        return asset_from_meta(json.loads(raw))


def parse(path: str) -> tuple[str, str] | None:
    m = _PATH_RE.match(path)
    return (m.group(1), m.group(2)) if m else None


def byte_range(header: bytes, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of a single `bytes=` range clipped to the size; None when there is no
    usable Range (absent, several ranges, another unit, malformed: the whole file); False
    when it cannot be satisfied (416)."""
    text = header.decode("latin-1").strip().replace(" ", "")
    m = _RANGE_RE.match(text)
    if m is None:
        return None
    first, last = m.group(1), m.group(2)
    if not first and not last:
        return None
    if not first:  # the last N bytes
        n = int(last)
        if n == 0 or size == 0:
            return False
        return max(0, size - n), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # syntactically invalid: ignored, as RFC 9110 says
    if start >= size:
        return False
    end = int(last) if last else size - 1
    return start, min(end, size - 1)


def _etag(asset: Asset, variant: str) -> bytes:
    return f'"{asset.etag_base}-{variant}"'.encode("ascii", "ignore")


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == b"*":
        return True
    return any(t.strip().removeprefix(b"W/") == etag for t in if_none_match.split(b","))


def _not_found() -> responses.Response:
    body = b"Not found."
    return responses.response(
        404,
        [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"cache-control", b"public, max-age=60"),
            (b"x-content-type-options", b"nosniff"),
        ],
        body,
    )


async def run(scope, send, cache: AssetCache, headers: dict[bytes, bytes], head: bool) -> None:
    if scope["method"] not in ("GET", "HEAD"):
        await responses.send_response(send, responses.method_not_allowed(), head)
        return
    parsed = parse(scope["path"])
    if parsed is None:
        await responses.send_response(send, _not_found(), head)
        return
    asset_id, variant_name = parsed
    try:
        asset = await cache.resolve(asset_id)
    except Exception:
        log.exception("could not read media %s", asset_id)
        await responses.send_response(send, responses.unavailable(b"Try again shortly."), head)
        return
    as_download = variant_name == DOWNLOAD
    variant = asset.variants.get("original" if as_download else variant_name) if asset else None
    if asset is None or variant is None:
        await responses.send_response(send, _not_found(), head)
        return
    etag = _etag(asset, variant_name)
    disposition = asset.download if (as_download or asset.kind == "file") else asset.inline
    await serve_object(
        send,
        cache,
        variant,
        etag,
        disposition,
        headers,
        head,
        sandbox=asset.kind != "pdf",
        asset_id=asset_id,
    )


async def serve_object(
    send,
    cache: AssetCache,
    variant: Variant,
    etag: bytes,
    disposition: bytes,
    headers: dict[bytes, bytes],
    head: bool,
    *,
    sandbox: bool = True,
    asset_id: str = "",
    cache_control: tuple[bytes, bytes] = CACHE_CONTROL,
) -> None:
    """One stored object with conditional requests and ranges."""
    base = [
        (b"accept-ranges", b"bytes"),
        (b"etag", etag),
        cache_control,
        (b"x-content-type-options", b"nosniff"),
        (b"content-disposition", disposition),
    ]
    if sandbox:  # a sandboxed document may not open the browser's PDF viewer
        base.append(_SANDBOX)
    if _matches(headers.get(b"if-none-match", b""), etag):
        await responses.send_response(send, (304, base, b""), True)
        return
    size = variant.size
    wanted: tuple[int, int] | bool | None = None
    range_header = headers.get(b"range")
    if range_header is not None:
        if_range = headers.get(b"if-range")
        if if_range is None or if_range.strip() == etag:
            wanted = byte_range(range_header, size)
    if wanted is False:
        await responses.send_response(
            send,
            responses.response(416, [*base, (b"content-range", f"bytes */{size}".encode())], b""),
            head,
        )
        return
    if isinstance(wanted, tuple):
        start, end = wanted
        status = 206
        extra = [(b"content-range", f"bytes {start}-{end}/{size}".encode())]
    else:
        start, end, status, extra = 0, size - 1, 200, []
    out = [
        (b"content-type", variant.content_type),
        (b"content-length", str(end - start + 1 if size else 0).encode()),
        *base,
        *extra,
    ]
    if head:
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": b""})
        return
    await _stream(send, cache, asset_id, variant, start, end, status, out)


async def run_signed(
    scope, send, cache: AssetCache, headers: dict[bytes, bytes], head: bool
) -> None:
    """GET|HEAD /media-signed/<key>?expires=&sig=: what LocalStorage.signed_url hands out
    (S3 signs its own URLs): the object as an attachment, until the link expires."""
    if scope["method"] not in ("GET", "HEAD"):
        await responses.send_response(send, responses.method_not_allowed(), head)
        return
    key = scope["path"][len(SIGNED_PREFIX) :]
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    try:
        expires = int(query.get("expires", ["0"])[0])
        check_key(key)
        valid = verify_signed(key, expires, query.get("sig", [""])[0])
    except ValueError:
        valid = False
    if not valid:
        await responses.send_response(send, _not_found(), head)
        return
    try:
        info = await asyncio.to_thread(cache.storage.stat, key)
    except Exception:
        log.exception("could not stat %s", key)
        await responses.send_response(send, responses.unavailable(b"Try again shortly."), head)
        return
    if info is None:
        await responses.send_response(send, _not_found(), head)
        return
    variant = Variant(key, info.content_type.encode("ascii", "ignore"), info.size)
    name = key.rsplit("/", 1)[-1]
    await serve_object(
        send,
        cache,
        variant,
        f'"{info.etag}"'.encode("ascii", "ignore"),
        attachment(name).encode("ascii"),
        headers,
        head,
        cache_control=(b"cache-control", b"private, no-store"),
    )


_DONE = object()
# Up to this many bytes are read in one trip to a worker thread and sent in one body
# message: a phone's seek asks for a range of about a megabyte, and a picture or a
# short clip is smaller. In 64 KB chunks (a thread hop and a send each) the edge served
# a fifth of nginx's 1 MB ranges; at once, one read and one write. A larger answer (a
# whole video) is streamed in chunks so memory stays bounded per request.
ONE_READ = 1024 * 1024


@functools.cache
def _readers() -> ThreadPoolExecutor:
    """The threads that read those ranges: few, so their buffers come from few malloc
    arenas (each thread of the default pool grows one of its own: the edge stayed 90 MB
    larger after bench/media.py's range requests, against a few MB with two readers)."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="edge-media")


async def _send_at_once(
    send,
    cache: AssetCache,
    asset_id: str,
    variant: Variant,
    start: int,
    end: int,
    status: int,
    headers: list,
) -> None:
    try:
        body = (
            await asyncio.get_running_loop().run_in_executor(
                _readers(), cache.storage.read_range, variant.key, start, end
            )
            if end >= start
            else b""  # an empty file
        )
    except MissingObject:  # deleted since its metadata was cached
        cache.drop(asset_id)
        await responses.send_response(send, _not_found(), False)
        return
    except Exception:
        log.exception("could not read media %s", variant.key)
        await responses.send_response(send, responses.unavailable(b"Try again shortly."), False)
        return
    if len(body) != end - start + 1:  # the stored object is not the size its metadata says
        log.error(
            "media %s: %d bytes where %d were expected", variant.key, len(body), end - start + 1
        )
        await responses.send_response(send, responses.unavailable(b"Try again shortly."), False)
        return
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _stream(
    send,
    cache: AssetCache,
    asset_id: str,
    variant: Variant,
    start: int,
    end: int,
    status: int,
    headers: list,
) -> None:
    storage = cache.storage
    if end - start < ONE_READ:
        await _send_at_once(send, cache, asset_id, variant, start, end, status, headers)
        return
    try:
        chunks = await asyncio.to_thread(storage.open_range, variant.key, start, end)
    except MissingObject:  # deleted since its metadata was cached
        cache.drop(asset_id)
        await responses.send_response(send, _not_found(), False)
        return
    except Exception:
        log.exception("could not open media %s", variant.key)
        await responses.send_response(send, responses.unavailable(b"Try again shortly."), False)
        return
    await send({"type": "http.response.start", "status": status, "headers": headers})
    try:
        while True:
            # One storage chunk (64 KB) per trip to a worker thread: batching several, or
            # chunks of 256 KB, left the edge 30 MB larger after bench/media.py's range
            # requests, against 11 MB so; the throughput was the same within the noise.
            chunk = await asyncio.to_thread(next, chunks, _DONE)
            if chunk is _DONE:
                break
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    except Exception:
        # Headers are out: the connection is closed short and the client retries.
        log.exception("media stream of %s broke off", variant.key)
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        raise
    await send({"type": "http.response.body", "body": b""})
