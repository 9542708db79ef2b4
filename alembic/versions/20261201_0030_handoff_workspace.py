"""email_token.workspace_id: a single sign-on hand-off starts the session in the
workspace the person signed in to

Revision ID: 0030_handoff_workspace
Revises: 0029_access
Create Date: 2026-12-01 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_handoff_workspace"
down_revision: str | None = "0029_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN only (no batch rebuild on SQLite).
    op.add_column("email_token", sa.Column("workspace_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("email_token", "workspace_id")
