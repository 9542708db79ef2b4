"""scan_event and scan_visitor without foreign keys

Their per-row checks were a third of the ingest's insert time. The ingest locks the codes
it stores events for, and deleting codes deletes their events and visitor claims
(services.scan_rollups.forget_codes), so nothing relied on the cascade any more.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 08:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite's foreign keys have no names: batch mode names the reflected ones this way so
# they can be dropped (PostgreSQL's are <table>_<column>_fkey).
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s"}
FOREIGN_KEYS = (
    ("scan_event", "qrcode_id", "qr_code"),
    ("scan_event", "workspace_id", "workspace"),
    ("scan_visitor", "qrcode_id", "qr_code"),
)


def _name(table: str, column: str) -> str:
    if op.get_bind().dialect.name == "sqlite":
        return f"fk_{table}_{column}"
    return f"{table}_{column}_fkey"


def upgrade() -> None:
    for table in ("scan_event", "scan_visitor"):
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            for t, column, _referred in FOREIGN_KEYS:
                if t == table:
                    batch.drop_constraint(_name(t, column), type_="foreignkey")


def downgrade() -> None:
    for table in ("scan_event", "scan_visitor"):
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            for t, column, referred in FOREIGN_KEYS:
                if t == table:
                    batch.create_foreign_key(
                        _name(t, column), referred, [column], ["id"], ondelete="CASCADE"
                    )
