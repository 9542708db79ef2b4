"""sso: sso_connection, sso_domain, sso_login_state

Revision ID: 0027_sso
Revises: 0023_api_core
Create Date: 2026-12-01 03:30:00

Single sign-on per workspace (models.sso). New tables only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0027_sso"
down_revision: str | None = "0023_api_core"  # relinked by the lead at the merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "sso_connection",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("protocol", _str(length=8), nullable=False),
        sa.Column("name", _str(length=80), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("default_role", _str(length=16), nullable=False),
        sa.Column("sso_only", sa.Boolean(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sso_connection_workspace_id", "sso_connection", ["workspace_id"])
    op.create_table(
        "sso_domain",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("domain", _str(length=253), nullable=False),
        sa.Column("token", _str(length=64), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("last_checked_at", sa.DateTime(), nullable=True),
        sa.Column("reason", _str(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "domain", name="uq_sso_domain_ws_domain"),
    )
    op.create_index("ix_sso_domain_workspace_id", "sso_domain", ["workspace_id"])
    op.create_index(
        "uq_sso_domain_verified",
        "sso_domain",
        ["domain"],
        unique=True,
        sqlite_where=sa.text("verified_at IS NOT NULL"),
        postgresql_where=sa.text("verified_at IS NOT NULL"),
    )
    op.create_table(
        "sso_login_state",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("state_hash", _str(length=64), nullable=False),
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("binding_hash", _str(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("next_path", _str(length=500), nullable=False),
        sa.Column("test_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["connection_id"], ["sso_connection.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("state_hash"),
    )
    op.create_index("ix_sso_login_state_connection_id", "sso_login_state", ["connection_id"])
    op.create_index("ix_sso_login_state_expires_at", "sso_login_state", ["expires_at"])


def downgrade() -> None:
    op.drop_table("sso_login_state")
    op.drop_index("uq_sso_domain_verified", table_name="sso_domain")
    op.drop_table("sso_domain")
    op.drop_table("sso_connection")
