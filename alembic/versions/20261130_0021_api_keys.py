"""api keys: api_key, api_key_usage, audit_log.api_key_id

Revision ID: 0021_api_keys
Revises: 0020_paypal_klarna
Create Date: 2026-11-30 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0021_api_keys'
down_revision: str | None = '0020_paypal_klarna'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('api_key',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('name', _str(length=80), nullable=False),
    sa.Column('lookup', _str(length=16), nullable=False),
    sa.Column('secret_hash', _str(length=64), nullable=False),
    sa.Column('previous_secret_hash', _str(length=64), nullable=False),
    sa.Column('previous_valid_until', sa.DateTime(), nullable=True),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('lookup')
    )
    op.create_index(op.f('ix_api_key_workspace_id'), 'api_key', ['workspace_id'], unique=False)
    op.create_table('api_key_usage',
    sa.Column('key_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['key_id'], ['api_key.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key_id', 'day')
    )
    # A plain ADD COLUMN (no foreign key on SQLite, where adding one would rebuild the
    # table); PostgreSQL gets the constraint.
    op.add_column('audit_log', sa.Column('api_key_id', sa.Uuid(), nullable=True))
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key(
            'fk_audit_log_api_key_id', 'audit_log', 'api_key', ['api_key_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('fk_audit_log_api_key_id', 'audit_log', type_='foreignkey')
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_column('api_key_id')
    op.drop_table('api_key_usage')
    op.drop_index(op.f('ix_api_key_workspace_id'), table_name='api_key')
    op.drop_table('api_key')
