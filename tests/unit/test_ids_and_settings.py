import os
import time
import uuid

import pytest
from pydantic import ValidationError

from qrapp.core.ids import new_secret_token, uuid7, uuid7_str
from qrapp.settings import Settings


def test_uuid7_is_version_7_and_time_ordered():
    first = uuid7()
    time.sleep(0.002)  # the next ids get a later millisecond: time must pass
    later = [uuid7() for _ in range(50)]
    assert first.version == 7
    assert first.variant == "specified in RFC 4122"
    assert all(first < x for x in later)
    assert len({*later}) == 50


def test_uuid7_str_matches_the_uuid_form_and_stays_unique_across_blocks():
    ids = [uuid7_str() for _ in range(2000)]  # several blocks of kernel randomness
    assert len(set(ids)) == 2000
    parsed = [uuid.UUID(i) for i in ids]
    assert all(str(p) == i and p.version == 7 for p, i in zip(parsed, ids, strict=True))


def test_a_forked_child_does_not_reuse_the_parents_random_bits():
    uuid7()  # the parent holds a block
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.write(write, "".join(uuid7_str()[-12:] for _ in range(20)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 4096).decode()
    os.close(read)
    mine = "".join(uuid7_str()[-12:] for _ in range(20))
    child_tails = {child[i : i + 12] for i in range(0, len(child), 12)}
    assert not child_tails & {mine[i : i + 12] for i in range(0, len(mine), 12)}


def test_secret_tokens_carry_256_bits():
    tokens = {new_secret_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) == 43 for t in tokens)


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("QRAPP_ENV", "production")
    monkeypatch.setenv("APP_URL", "https://app.example")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None)
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None)
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    assert Settings(_env_file=None).is_production


def test_production_refuses_plain_http(monkeypatch):
    monkeypatch.setenv("QRAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("APP_URL", "http://app.example")
    with pytest.raises(ValidationError, match="https"):
        Settings(_env_file=None)


def test_development_defaults_need_nothing(monkeypatch):
    for name in ("QRAPP_ENV", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "CELERY_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    s = Settings(_env_file=None)
    assert s.is_sqlite
    assert s.redis_url == ""
    assert s.broker_url.startswith("sqla+sqlite:")
