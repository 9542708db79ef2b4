"""two factor: totp_factor, recovery_code, trusted_device, passkey, webauthn_challenge,
workspace.require_two_factor

Revision ID: 0026_two_factor
Revises: 0023_api_core
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0026_two_factor'
down_revision: str | None = "0025_brand"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def _user_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE')


def upgrade() -> None:
    op.create_table('totp_factor',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('secret', _str(length=64), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_step', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    _user_fk(),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('recovery_code',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('code_hash', _str(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    _user_fk(),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_recovery_code_user_id'), 'recovery_code', ['user_id'], unique=False)
    op.create_table('trusted_device',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', _str(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    _user_fk(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_trusted_device_user_id'), 'trusted_device', ['user_id'], unique=False)
    op.create_table('passkey',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('credential_id', _str(length=1400), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.BigInteger(), nullable=False),
    sa.Column('name', _str(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    _user_fk(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('credential_id')
    )
    op.create_index(op.f('ix_passkey_user_id'), 'passkey', ['user_id'], unique=False)
    op.create_table('webauthn_challenge',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('challenge_hash', _str(length=64), nullable=False),
    sa.Column('purpose', _str(length=12), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('binding_hash', _str(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    _user_fk(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('challenge_hash')
    )
    # ADD COLUMN only: never rebuild a table on SQLite.
    op.add_column(
        'workspace',
        sa.Column('require_two_factor', sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    # In place (SQLite 3.35+ and PostgreSQL): a batch rebuild of workspace on SQLite would
    # drop the old table and cascade-delete every membership, code and rollup.
    op.execute("ALTER TABLE workspace DROP COLUMN require_two_factor")
    op.drop_table('webauthn_challenge')
    op.drop_index(op.f('ix_passkey_user_id'), table_name='passkey')
    op.drop_table('passkey')
    op.drop_index(op.f('ix_trusted_device_user_id'), table_name='trusted_device')
    op.drop_table('trusted_device')
    op.drop_index(op.f('ix_recovery_code_user_id'), table_name='recovery_code')
    op.drop_table('recovery_code')
    op.drop_table('totp_factor')
