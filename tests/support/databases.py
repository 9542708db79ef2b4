"""Throwaway databases on the test PostgreSQL server that scripts/test starts."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa


def fresh_postgres_url(prefix: str) -> str:
    """A new, empty database; its URL on the same server as TEST_POSTGRES_URL."""
    admin = sa.create_engine(os.environ["TEST_POSTGRES_ADMIN_URL"], isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return os.environ["TEST_POSTGRES_URL"].rsplit("/", 1)[0] + f"/{name}"
