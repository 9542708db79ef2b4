"""Where uploaded media bytes live, behind one small interface: a folder under var/ in the
embedded default (LocalStorage), S3-compatible object storage in production (S3Storage;
SeaweedFS in the test set-up). MEDIA_STORAGE picks one; `get_storage()` is the only way in.

Keys are chosen by the server (qrapp.services.media.uploads: "<asset id>/<variant>"),
never from a user's file name; LocalStorage still refuses any key that could leave its
folder. The edge streams through `open_range` without holding a whole file in memory (and
reads a bounded range, such as a phone's seek, at once with `read_range`), so this module
imports no image or render code.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

from qrapp.core import routes
from qrapp.settings import get_settings

CHUNK = 64 * 1024  # small, so the edge's RSS stays small (see qrapp.edge.media._stream)
_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,3}$")


class StorageError(Exception):
    """The storage could not be reached or refused the call (not a missing object)."""


class MissingObject(KeyError):
    """No object under that key."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str
    etag: str


def check_key(key: str) -> str:
    if not _KEY_RE.match(key) or ".." in key:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo: ...

    def get(self, key: str) -> bytes: ...

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes start..end (inclusive; None: to the end) in chunks of at most CHUNK."""
        ...

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """The bytes start..end (inclusive) at once: for a bounded range (the caller keeps
        it small), one read instead of a stream of chunks."""
        ...

    def delete(self, key: str) -> None: ...

    def stat(self, key: str) -> ObjectInfo | None: ...

    def signed_url(self, key: str, expires_in: int = 3600) -> str: ...


class LocalStorage:
    """Files in one folder; the content type is kept beside each file (<key>.type)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written to a temporary file and renamed: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".up-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            Path(tmp + ".type").write_text(content_type)
            os.replace(tmp + ".type", str(path) + ".type")
            os.replace(tmp, path)
        except BaseException:
            for leftover in (tmp, tmp + ".type"):
                Path(leftover).unlink(missing_ok=True)
            raise
        return ObjectInfo(key, len(data), content_type, hashlib.md5(data).hexdigest())  # noqa: S324

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise MissingObject(key) from None

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        try:
            f = self._path(key).open("rb")
        except FileNotFoundError:
            raise MissingObject(key) from None
        return _file_chunks(f, start, end)

    def read_range(self, key: str, start: int, end: int) -> bytes:
        try:
            fd = os.open(self._path(key), os.O_RDONLY)
        except FileNotFoundError:
            raise MissingObject(key) from None
        try:
            # One pread: the page cache straight into the bytes the edge sends.
            data = os.pread(fd, end - start + 1, start)
            while len(data) < end - start + 1:  # a short read (not from a regular file)
                more = os.pread(fd, end - start + 1 - len(data), start + len(data))
                if not more:
                    break
                data += more
            return data
        finally:
            os.close(fd)

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        Path(str(path) + ".type").unlink(missing_ok=True)

    def stat(self, key: str) -> ObjectInfo | None:
        path = self._path(key)
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        try:
            ctype = Path(str(path) + ".type").read_text()
        except FileNotFoundError:
            ctype = "application/octet-stream"
        return ObjectInfo(key, st.st_size, ctype, f"{st.st_mtime_ns:x}-{st.st_size:x}")

    def signed_url(self, key: str, expires_in: int = 3600) -> str:
        return signed_path(key, expires_in)


def signed_path(key: str, expires_in: int = 3600) -> str:
    """An edge path with an HMAC over key and expiry (the edge checks it with
    `verify_signed`): the local folder has no server of its own."""
    expires = int(time.time()) + expires_in
    sig = _sign(check_key(key), expires)
    return routes.media_signed_path(key, urlencode({"expires": expires, "sig": sig}))


def _sign(key: str, expires: int) -> str:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


def verify_signed(key: str, expires: int, sig: str) -> bool:
    return expires >= time.time() and hmac.compare_digest(_sign(key, expires), sig)


def _file_chunks(f: Any, start: int, end: int | None) -> Iterator[bytes]:
    with f:
        f.seek(start)
        left = None if end is None else end - start + 1
        while left is None or left > 0:
            chunk = f.read(CHUNK if left is None else min(CHUNK, left))
            if not chunk:
                return
            if left is not None:
                left -= len(chunk)
            yield chunk


class S3Storage:
    """An S3 bucket through boto3 (path-style addressing, which SeaweedFS and MinIO want)."""

    def __init__(
        self,
        *,
        endpoint_url: str,
        bucket: str,
        access_key: str,
        secret_key: str,
        region: str,
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            region_name=region,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=3,
                read_timeout=30,
                max_pool_connections=32,
            ),
        )

    def _missing(self, exc: Exception) -> bool:
        code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
        return code in ("NoSuchKey", "404", "NotFound")

    def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo:
        check_key(key)
        try:
            out = self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType=content_type
            )
        except Exception as exc:
            raise StorageError(str(exc)) from exc
        return ObjectInfo(key, len(data), content_type, str(out.get("ETag", "")).strip('"'))

    def get(self, key: str) -> bytes:
        check_key(key)
        try:
            out = self.client.get_object(Bucket=self.bucket, Key=key)
            return out["Body"].read()
        except Exception as exc:
            if self._missing(exc):
                raise MissingObject(key) from None
            raise StorageError(str(exc)) from exc

    def _body(self, key: str, start: int, end: int | None) -> Any:
        args: dict[str, Any] = {"Bucket": self.bucket, "Key": check_key(key)}
        if start or end is not None:
            args["Range"] = f"bytes={start}-{'' if end is None else end}"
        try:
            return self.client.get_object(**args)["Body"]
        except Exception as exc:
            if self._missing(exc):
                raise MissingObject(key) from None
            raise StorageError(str(exc)) from exc

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        return _body_chunks(self._body(key, start, end))

    def read_range(self, key: str, start: int, end: int) -> bytes:
        body = self._body(key, start, end)
        try:
            return body.read()
        except Exception as exc:
            raise StorageError(str(exc)) from exc
        finally:
            body.close()

    def delete(self, key: str) -> None:
        check_key(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            if not self._missing(exc):
                raise StorageError(str(exc)) from exc

    def stat(self, key: str) -> ObjectInfo | None:
        check_key(key)
        try:
            out = self.client.head_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            if self._missing(exc):
                return None
            raise StorageError(str(exc)) from exc
        return ObjectInfo(
            key,
            int(out.get("ContentLength", 0)),
            str(out.get("ContentType", "application/octet-stream")),
            str(out.get("ETag", "")).strip('"'),
        )

    def signed_url(self, key: str, expires_in: int = 3600) -> str:
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": check_key(key)},
                ExpiresIn=expires_in,
            )
        )


def _body_chunks(body: Any) -> Iterator[bytes]:
    try:
        while True:
            chunk = body.read(CHUNK)
            if not chunk:
                return
            yield chunk
    finally:
        body.close()


def storage_from_settings() -> Storage:
    s = get_settings()
    if s.media_storage == "s3":
        return S3Storage(
            endpoint_url=s.s3_endpoint_url,
            bucket=s.s3_bucket,
            access_key=s.s3_access_key,
            secret_key=s.s3_secret_key,
            region=s.s3_region,
        )
    return LocalStorage(s.media_dir)


@functools.cache
def get_storage() -> Storage:
    """The process's storage (one boto3 client, thread-safe, shared by all requests)."""
    return storage_from_settings()


def reset_storage() -> None:
    """Tests change MEDIA_STORAGE and then call this."""
    get_storage.cache_clear()
