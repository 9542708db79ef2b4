"""The Alembic migrations and the SQLModel tables describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from qrapp import db


def test_models_and_migrations_agree(backend):
    with db.engine().connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == [], f"models differ from migrations on {backend['name']}: {diff}"


def test_migrations_reach_head(backend):
    from alembic.script import ScriptDirectory

    from qrapp.migrations import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with db.engine().connect() as conn:
        version = conn.exec_driver_sql("select version_num from alembic_version").scalar()
    assert version == head
