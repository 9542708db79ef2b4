"""saml-ldap: sso_saml_assertion (SAML assertion ids already used, for replay refusal)

Revision ID: 0028_saml_ldap
Revises: 0027_sso
Create Date: 2026-12-01 03:30:00

A new table only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0028_saml_ldap"
down_revision: str | None = "0027_sso"  # sso lane's tables first (it has the FK target); relink at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sso_saml_assertion",
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("assertion_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["connection_id"], ["sso_connection.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("connection_id", "assertion_id"),
    )
    op.create_index("ix_sso_saml_assertion_expires_at", "sso_saml_assertion", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_sso_saml_assertion_expires_at", table_name="sso_saml_assertion")
    op.drop_table("sso_saml_assertion")
