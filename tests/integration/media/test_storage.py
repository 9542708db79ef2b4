"""One storage suite, run against the local folder and against the real SeaweedFS S3
server scripts/test starts (TEST_S3_*): both must behave alike for everything the upload
service and the edge do with them."""

from __future__ import annotations

import os
import urllib.request
import uuid

import pytest

from qrapp.services.media.storage import (
    CHUNK,
    LocalStorage,
    MissingObject,
    S3Storage,
    check_key,
    verify_signed,
)
from tests.support.media import ensure_bucket

KINDS = ["local"] + (["s3"] if os.environ.get("TEST_S3_ENDPOINT") else [])


@pytest.fixture(params=KINDS)
def storage(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    env = os.environ
    ensure_bucket(
        env["TEST_S3_ENDPOINT"],
        env["TEST_S3_BUCKET"],
        env["TEST_S3_ACCESS_KEY"],
        env["TEST_S3_SECRET_KEY"],
    )
    return S3Storage(
        endpoint_url=env["TEST_S3_ENDPOINT"],
        bucket=env["TEST_S3_BUCKET"],
        access_key=env["TEST_S3_ACCESS_KEY"],
        secret_key=env["TEST_S3_SECRET_KEY"],
        region="us-east-1",
    )


def _key(name: str = "original") -> str:
    return f"{uuid.uuid4()}/{name}"


def test_put_get_stat_delete(storage):
    key = _key()
    data = os.urandom(3000)
    info = storage.put(key, data, "image/png")
    assert info.size == 3000
    assert storage.get(key) == data
    st = storage.stat(key)
    assert (st.size, st.content_type) == (3000, "image/png")
    assert st.etag
    storage.delete(key)
    assert storage.stat(key) is None
    with pytest.raises(MissingObject):
        storage.get(key)
    storage.delete(key)  # deleting what is gone is no error


def test_put_replaces(storage):
    key = _key()
    storage.put(key, b"first", "text/plain")
    storage.put(key, b"second!", "application/pdf")
    assert storage.get(key) == b"second!"
    assert storage.stat(key).content_type == "application/pdf"


def test_ranges_stream_the_right_bytes_in_chunks(storage):
    key = _key()
    data = os.urandom(CHUNK * 2 + 123)
    storage.put(key, data, "video/mp4")
    assert b"".join(storage.open_range(key, 10, 19)) == data[10:20]
    assert b"".join(storage.open_range(key, CHUNK - 5, CHUNK + 5)) == data[CHUNK - 5 : CHUNK + 6]
    tail = list(storage.open_range(key, len(data) - 100))
    assert b"".join(tail) == data[-100:]
    chunks = list(storage.open_range(key))
    assert b"".join(chunks) == data
    assert max(len(c) for c in chunks) <= CHUNK  # streamed, never the whole file at once


def test_a_bounded_range_is_read_at_once(storage):
    key = _key()
    data = os.urandom(CHUNK * 20 + 7)
    storage.put(key, data, "video/mp4")
    assert storage.read_range(key, 0, 0) == data[:1]
    assert storage.read_range(key, CHUNK - 5, CHUNK * 17) == data[CHUNK - 5 : CHUNK * 17 + 1]
    assert storage.read_range(key, len(data) - 100, len(data) - 1) == data[-100:]
    with pytest.raises(MissingObject):
        storage.read_range(_key(), 0, 10)


def test_missing_objects(storage):
    key = _key()
    assert storage.stat(key) is None
    with pytest.raises(MissingObject):
        storage.get(key)
    with pytest.raises(MissingObject):
        b"".join(storage.open_range(key, 0, 10))


def test_signed_url(storage):
    key = _key()
    storage.put(key, b"hello signed", "text/plain")
    url = storage.signed_url(key, expires_in=60)
    if isinstance(storage, S3Storage):
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 (our test server)
            assert resp.read() == b"hello signed"
    else:
        path, _, query = url.partition("?")
        params = dict(p.split("=", 1) for p in query.split("&"))
        assert path == f"/media-signed/{key}"
        assert verify_signed(key, int(params["expires"]), params["sig"])
        assert not verify_signed(key, int(params["expires"]), "0" * 64)
        assert not verify_signed(key + "x", int(params["expires"]), params["sig"])


@pytest.mark.parametrize("key", ["../etc/passwd", "a/../../b", "/abs", "", "a\\b", "a/b\x00"])
def test_keys_that_could_leave_the_folder_are_refused(storage, key):
    with pytest.raises(ValueError, match="not a storage key"):
        check_key(key)
    with pytest.raises(ValueError, match="not a storage key"):
        storage.put(key, b"x", "text/plain")
