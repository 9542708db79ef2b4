"""api core: api_idempotency (Idempotency-Key answers, replayed for 24 hours)

Revision ID: 0023_api_core
Revises: 0021_api_keys
Create Date: 2026-11-30 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0023_api_core'
down_revision: str | None = '0021_api_keys'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('api_idempotency',
    sa.Column('key_id', sa.Uuid(), nullable=False),
    sa.Column('idempotency_key', _str(length=255), nullable=False),
    sa.Column('fingerprint', _str(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['key_id'], ['api_key.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key_id', 'idempotency_key')
    )
    op.create_index(
        op.f('ix_api_idempotency_created_at'), 'api_idempotency', ['created_at'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_api_idempotency_created_at'), table_name='api_idempotency')
    op.drop_table('api_idempotency')
