"""Alembic environment: metadata from qrapp.models, URL from qrapp.settings.

A caller may hand in a live connection (config.attributes["connection"]) so tests and the
CLI migrate the very database they are using.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import qrapp.models  # noqa: F401  (registers every table)
from qrapp.db import engine
from qrapp.models.types import UTCDateTime

target_metadata = SQLModel.metadata


def _render_item(type_, obj, autogen_context):  # noqa: ARG001 - Alembic hook
    # Migrations must not import application code: UTCDateTime is a plain DateTime there.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )


def run_migrations_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return
    with engine().connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
