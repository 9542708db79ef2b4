"""Integration tests run against SQLite and, when TEST_POSTGRES_URL is set, PostgreSQL.

Each backend gets a fresh database migrated with Alembic (so the migrations are exercised
too), a real Celery worker on a real broker (a SQLite file for the embedded default,
Redis next to PostgreSQL) and a real SMTP server that catches the mail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import qrapp.models  # noqa: F401
from qrapp import db, queue
from qrapp.migrations import upgrade
from qrapp.services.media.storage import reset_storage
from tests.support.databases import fresh_postgres_url
from tests.support.environment import patched_env
from tests.support.mailsink import MailSink
from tests.support.media import media_env
from tests.support.processes import celery_worker, redis_db_url, stop
from tests.support.stripe_fake import stripe_env


def _reset_caches() -> None:
    queue.celery_app.cache_clear()
    reset_storage()


# A development-only setting (production settings refuse it): webhooks may reach private
# addresses such as the tests' receivers.
PRIVATE_WEBHOOKS = {"WEBHOOKS_ALLOW_PRIVATE": "true"}

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_POSTGRES_URL") else [])


def pytest_collection_modifyitems(config, items):
    """Tests marked `production` run on PostgreSQL + Redis only: their SQLite variant is
    deselected (not collected and skipped), so nothing in the run reports as skipped;
    tests marked `sqlite_only` likewise lose their PostgreSQL variant."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec is not None else None
        wrong = (backend == "sqlite" and item.get_closest_marker("production")) or (
            backend == "postgresql" and item.get_closest_marker("sqlite_only")
        )
        (drop if wrong else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory) -> Iterator[dict[str, str]]:
    tmp: Path = tmp_path_factory.mktemp(request.param)
    mail = MailSink().start()
    if request.param == "sqlite":
        env = {
            "DATABASE_URL": f"sqlite:///{tmp / 'qrapp.sqlite'}",
            "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp / 'broker.sqlite'}",
            "REDIS_URL": "",
        }
    else:
        env = {
            "DATABASE_URL": fresh_postgres_url("it"),
            "REDIS_URL": redis_db_url(os.environ["TEST_REDIS_URL"], 1),
            "CELERY_BROKER_URL": redis_db_url(os.environ["TEST_REDIS_URL"], 1),
        }
    env |= {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mail.port), "QRAPP_ENV": "test"}
    env |= media_env(request.param, tmp)
    env |= stripe_env()
    with patched_env(env, also_reset=_reset_caches):
        db.use_database(env["DATABASE_URL"])
        upgrade("head")
        # The worker delivers the webhook tests' messages to their receivers on 127.0.0.1;
        # in this process only the webhook tests allow that (private_webhooks).
        worker = celery_worker(env | PRIVATE_WEBHOOKS, tmp / "worker.log")
        try:
            yield {"name": request.param, "mail": mail, "tmp": str(tmp), **env}
        finally:
            stop(worker)
            mail.stop()
            db.engine().dispose()


@pytest.fixture
def clean_db(backend) -> Iterator[dict]:
    """Each test starts with empty tables (faster than a new database per test)."""
    yield backend
    with db.engine().begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def mail(clean_db) -> MailSink:
    """The SMTP sink, emptied first: earlier tests may have mailed the same addresses."""
    clean_db["mail"].clear()
    return clean_db["mail"]


@pytest.fixture
def private_webhooks(clean_db) -> Iterator[None]:
    """For the webhook tests: their receivers listen on 127.0.0.1 (the refusal of private
    addresses is tested with the setting off, tests/integration/webhooks/test_webhook_ssrf.py)."""
    with patched_env(PRIVATE_WEBHOOKS):
        yield
