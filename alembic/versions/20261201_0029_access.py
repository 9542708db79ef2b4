"""access: known_device (new-device login mails), workspace.ip_allowlist, an audit index
by actor (the audit viewer shows members' account rows)

Revision ID: 0029_access
Revises: 0023_api_core
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0029_access'
down_revision: str | None = "0028_saml_ldap"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('known_device',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('device_key', _str(length=64), nullable=False),
    sa.Column('label', _str(length=120), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'device_key')
    )
    op.create_index(op.f('ix_known_device_user_id'), 'known_device', ['user_id'], unique=False)
    # ADD COLUMN only (never a rebuild of workspace on SQLite).
    op.add_column('workspace', sa.Column('ip_allowlist', sa.Text(), server_default='', nullable=False))
    op.create_index(
        'ix_audit_log_actor_created', 'audit_log', ['actor_user_id', 'created_at'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_audit_log_actor_created', table_name='audit_log')
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): a batch rebuild of workspace would
    # drop the table under every row that references it.
    op.drop_column('workspace', 'ip_allowlist')
    op.drop_index(op.f('ix_known_device_user_id'), table_name='known_device')
    op.drop_table('known_device')
