"""a covering index for one code's breakdowns

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 08:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_scan_dim_code_day_covering",
        "scan_dimension_daily",
        ["qrcode_id", "day", "dimension", "value"],
        postgresql_include=["workspace_id", "scans", "uniques", "bots"],
    )


def downgrade() -> None:
    op.drop_index("ix_scan_dim_code_day_covering", table_name="scan_dimension_daily")
