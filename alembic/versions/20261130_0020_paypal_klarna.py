"""paypal and klarna: paypal_plan, klarna_session, klarna_customer_token

Revision ID: 0020_paypal_klarna
Revises: 0019_swish
Create Date: 2026-11-30 17:00:00

New tables only (models.billing_providers); the shared billing tables are 0017's.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0020_paypal_klarna'
down_revision: str | None = '0019_swish'  # chained after Swish at the merge of main
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('paypal_plan',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan', _str(length=16), nullable=False),
    sa.Column('interval', _str(length=8), nullable=False),
    sa.Column('currency', _str(length=3), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('product_id', _str(length=64), nullable=False),
    sa.Column('paypal_plan_id', _str(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('paypal_plan_id'),
    sa.UniqueConstraint('plan', 'interval', 'currency', 'amount', name='uq_paypal_plan_price')
    )
    op.create_table('klarna_session',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('session_id', _str(length=100), nullable=False),
    sa.Column('plan', _str(length=16), nullable=False),
    sa.Column('interval', _str(length=8), nullable=False),
    sa.Column('currency', _str(length=3), nullable=False),
    sa.Column('purchase_country', _str(length=2), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id')
    )
    op.create_index(op.f('ix_klarna_session_workspace_id'), 'klarna_session', ['workspace_id'], unique=False)
    op.create_table('klarna_customer_token',
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('token_id', _str(length=100), nullable=False),
    sa.Column('purchase_country', _str(length=2), nullable=False),
    sa.Column('currency', _str(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workspace_id')
    )


def downgrade() -> None:
    op.drop_table('klarna_customer_token')
    op.drop_index(op.f('ix_klarna_session_workspace_id'), table_name='klarna_session')
    op.drop_table('klarna_session')
    op.drop_table('paypal_plan')
