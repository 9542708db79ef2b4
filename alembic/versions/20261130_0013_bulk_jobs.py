"""bulk jobs: bulk_job and its rows, bulk_row

Revision ID: 0013_bulk_jobs
Revises: 0012_page_events
Create Date: 2026-11-30 13:55:00

Only new tables: qr_code is not touched (on SQLite a rebuild of it would cascade-delete
its rules and rollups, see 0011).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013_bulk_jobs'
down_revision: str | None = '0012_page_events'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bulk_job',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('folder_id', sa.Uuid(), nullable=True),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('finishing_at', sa.DateTime(), nullable=True),
    sa.Column('zip_key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('zip_expires_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['folder_id'], ['folder.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bulk_job', schema=None) as batch_op:
        batch_op.create_index('ix_bulk_job_status', ['status'], unique=False)
        batch_op.create_index('ix_bulk_job_workspace_created', ['workspace_id', 'created_at'], unique=False)

    op.create_table('bulk_row',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('input', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('code_id', sa.Uuid(), nullable=True),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['qr_code.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['bulk_job.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'row_number')
    )
    with op.batch_alter_table('bulk_row', schema=None) as batch_op:
        batch_op.create_index('ix_bulk_row_job_status', ['job_id', 'status', 'row_number'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bulk_row', schema=None) as batch_op:
        batch_op.drop_index('ix_bulk_row_job_status')
    op.drop_table('bulk_row')
    with op.batch_alter_table('bulk_job', schema=None) as batch_op:
        batch_op.drop_index('ix_bulk_job_workspace_created')
        batch_op.drop_index('ix_bulk_job_status')
    op.drop_table('bulk_job')
