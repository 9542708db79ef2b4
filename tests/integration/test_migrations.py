"""The Alembic migrations and the SQLModel tables describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from qrapp import db


def _schema_diff() -> list:
    """What autogenerate would change. On SQLite the code's page link and the audit row's
    API key are plain columns (migrations 0011 and 0021: adding a foreign key there would
    rebuild the table), so those keys are left out."""
    with db.engine().connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
        if conn.dialect.name == "sqlite":
            diff = [d for d in diff if not _is_page_link_fk(d)]
    return diff


def _is_page_link_fk(change) -> bool:
    return (
        isinstance(change, tuple)
        and change[0] in ("add_fk", "remove_fk")
        and [c.name for c in change[1].columns] in (["landing_page_id"], ["api_key_id"])
    )


def _page_link_ondelete() -> str | None:
    """PostgreSQL's foreign key clears a deleted page's codes; on SQLite the column has no
    key (migration 0011: adding one rebuilds qr_code) and services.pages clears them."""
    import sqlalchemy as sa

    fks = sa.inspect(db.engine()).get_foreign_keys("qr_code")
    fk = next((fk for fk in fks if fk["constrained_columns"] == ["landing_page_id"]), None)
    if fk is None:
        return None
    assert fk["referred_table"] == "landing_page"
    return fk["options"].get("ondelete")


def test_models_and_migrations_agree(backend):
    diff = _schema_diff()
    assert diff == [], f"models differ from migrations on {backend['name']}: {diff}"
    expected = None if backend["name"] == "sqlite" else "SET NULL"
    assert _page_link_ondelete() == expected


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
        columns = {c["name"] for c in inspector.get_columns("qr_code")}
        assert "landing_page_id" not in columns
    finally:
        with db.engine().begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    inspector = sa.inspect(db.engine())
    assert page_tables <= set(inspector.get_table_names())
    assert _page_link_ondelete() == (None if backend["name"] == "sqlite" else "SET NULL")
    assert _schema_diff() == []


def test_upgrading_past_the_landing_pages_keeps_every_codes_rules_and_rollups(clean_db):
    """Adding qr_code.landing_page_id once rebuilt qr_code on SQLite, and the DROP of the
    old table cascade-deleted every redirect rule and scan rollup of an existing database.
    Down to 0010 and up again, with a code, a rule and its scans stored, keeps them all."""
    from alembic import command

    from qrapp.db import transaction
    from qrapp.migrations import alembic_config
    from qrapp.models import RedirectRule
    from tests.integration.analytics.fixtures import stockholm_world

    def counts() -> dict[str, int]:
        tables = ("qr_code", "redirect_rule", "scan_hourly", "scan_code_daily")
        with db.engine().connect() as conn:
            sql = "select count(*) from {}"  # fixed table names above
            return {t: conn.exec_driver_sql(sql.format(t)).scalar() for t in tables}

    world = stockholm_world()
    with transaction() as tx:
        tx.session.add(RedirectRule(qrcode_id=world.code_a, destination="https://b.example/"))

    before = counts()
    assert min(before.values()) > 0, before
    with db.engine().begin() as conn:
        command.downgrade(alembic_config(conn), "0010_signup")
    assert counts() == before
    with db.engine().begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert counts() == before
