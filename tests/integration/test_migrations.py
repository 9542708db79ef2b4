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


def test_landing_pages_migration_downgrades_and_upgrades_again(backend):
    """0011 is reversible: down to 0010 removes the page tables and the code's page link
    (with its foreign key), and up again brings back exactly what the models describe."""
    import sqlalchemy as sa
    from alembic import command

    from qrapp.migrations import alembic_config

    page_tables = {"landing_page", "landing_page_version", "page_template"}
    try:
        with db.engine().begin() as conn:
            command.downgrade(alembic_config(conn), "0010_signup")
        inspector = sa.inspect(db.engine())
        assert page_tables.isdisjoint(inspector.get_table_names())
        assert "landing_page_id" not in {c["name"] for c in inspector.get_columns("qr_code")}
    finally:
        with db.engine().begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    inspector = sa.inspect(db.engine())
    assert page_tables <= set(inspector.get_table_names())
    fks = inspector.get_foreign_keys("qr_code")
    page_fk = next(fk for fk in fks if fk["constrained_columns"] == ["landing_page_id"])
    assert page_fk["referred_table"] == "landing_page"
    assert page_fk["options"].get("ondelete") == "SET NULL"
    with db.engine().connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, SQLModel.metadata) == []
