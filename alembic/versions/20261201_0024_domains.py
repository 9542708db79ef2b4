"""domains: custom_domain

Revision ID: 0024_domains
Revises: 0023_api_core
Create Date: 2026-12-01 03:30:00

Custom domains (models.domains). A new table only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0024_domains"
down_revision: str | None = "0023_api_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "custom_domain",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("hostname", _str(length=253), nullable=False),
        sa.Column("token", _str(length=64), nullable=False),
        sa.Column("proof", _str(length=8), nullable=False),
        sa.Column("status", _str(length=12), nullable=False),
        sa.Column("reason", _str(length=300), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("last_checked_at", sa.DateTime(), nullable=True),
        sa.Column("next_check_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("root_redirect_url", _str(length=2000), nullable=False),
        sa.Column("not_found_url", _str(length=2000), nullable=False),
        sa.Column("robots", _str(length=8), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "hostname", name="uq_custom_domain_ws_host"),
    )
    op.create_index(
        "uq_custom_domain_verified_host",
        "custom_domain",
        ["hostname"],
        unique=True,
        sqlite_where=sa.text("status = 'verified'"),
        postgresql_where=sa.text("status = 'verified'"),
    )
    op.create_index("ix_custom_domain_due", "custom_domain", ["status", "next_check_at"])


def downgrade() -> None:
    op.drop_index("ix_custom_domain_due", table_name="custom_domain")
    op.drop_index("uq_custom_domain_verified_host", table_name="custom_domain")
    op.drop_table("custom_domain")
