"""pending sign-ups; login hand-offs bound to the asking browser

Revision ID: 0010_signup
Revises: 0009
Create Date: 2026-11-30 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0010_signup'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pending_sign_up',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('binding_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('next_path', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('pending_sign_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_sign_up_email'), ['email'], unique=False)
    with op.batch_alter_table('email_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'binding_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False,
            server_default='',
        ))


def downgrade() -> None:
    with op.batch_alter_table('email_token', schema=None) as batch_op:
        batch_op.drop_column('binding_hash')
    with op.batch_alter_table('pending_sign_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_sign_up_email'))
    op.drop_table('pending_sign_up')
