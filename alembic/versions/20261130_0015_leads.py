"""leads: lead_submission; landing_page_version.forms (each lead form's fields)

Revision ID: 0015_leads
Revises: 0012_page_events
Create Date: 2026-11-30 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015_leads'
down_revision: str | None = '0012_page_events'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lead_submission',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('page_id', sa.Uuid(), nullable=False),
    sa.Column('block_id', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['landing_page.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index('ix_lead_submission_page_created', 'lead_submission', ['page_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_lead_submission_workspace_id'), 'lead_submission', ['workspace_id'], unique=False)
    # A plain ADD COLUMN on both databases (no batch mode): SQLite adds a column in place,
    # and no table is rebuilt (qr_code must never be, see 0011).
    op.add_column('landing_page_version', sa.Column('forms', sa.JSON(), server_default='{}', nullable=False))


def downgrade() -> None:
    op.drop_column('landing_page_version', 'forms')
    op.drop_index(op.f('ix_lead_submission_workspace_id'), table_name='lead_submission')
    op.drop_index('ix_lead_submission_page_created', table_name='lead_submission')
    op.drop_table('lead_submission')
