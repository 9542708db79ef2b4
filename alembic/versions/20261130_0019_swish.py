"""swish: swish_payment (our Swish payment requests and their refunds)

Revision ID: 0019_swish
Revises: 0017_billing
Create Date: 2026-11-30 17:00:00

On the h-swish branch after 0017_billing; the lead relinks it after 0018 at merge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019_swish"
down_revision: str | None = "0017_billing"  # 0018 was not taken (the Stripe lane needed none)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _s(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "swish_payment",
        sa.Column("id", _s(32), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("plan", _s(16), nullable=False),
        sa.Column("interval", _s(8), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", _s(3), nullable=False),
        sa.Column("payer_alias", _s(15), nullable=False),
        sa.Column("token", _s(128), nullable=False),
        sa.Column("status", _s(12), nullable=False),
        sa.Column("payment_reference", _s(64), nullable=False),
        sa.Column("error_code", _s(16), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("refund_id", _s(32), nullable=False),
        sa.Column("refund_status", _s(12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("swish_payment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_swish_payment_workspace_created", ["workspace_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_swish_payment_refund_id", ["refund_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("swish_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_swish_payment_refund_id")
        batch_op.drop_index("ix_swish_payment_workspace_created")
    op.drop_table("swish_payment")
