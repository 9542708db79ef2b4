"""landing-page views and clicks: page_event, page_daily, page_visitor

Revision ID: 0012_page_events
Revises: 0011_pages
Create Date: 2026-11-30 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0012_page_events'
down_revision: str | None = '0011_pages'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('page_event',
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('page_id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('qrcode_id', sa.Uuid(), nullable=True),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('device_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('os', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('browser', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('referrer_host', sqlmodel.sql.sqltypes.AutoString(length=253), nullable=False),
    sa.Column('is_bot', sa.Boolean(), nullable=False),
    sa.Column('is_unique', sa.Boolean(), nullable=False),
    sa.Column('visitor_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['landing_page.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('page_event', schema=None) as batch_op:
        batch_op.create_index('ix_page_event_page_time', ['page_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_page_event_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('page_daily',
    sa.Column('page_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('uniques', sa.Integer(), nullable=False),
    sa.Column('bots', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['landing_page.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('page_id', 'day', 'kind', 'target')
    )
    with op.batch_alter_table('page_daily', schema=None) as batch_op:
        batch_op.create_index('ix_page_daily_workspace_day', ['workspace_id', 'day'], unique=False)

    op.create_table('page_visitor',
    sa.Column('page_id', sa.Uuid(), nullable=False),
    sa.Column('visitor_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['landing_page.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('page_id', 'visitor_hash')
    )
    with op.batch_alter_table('page_visitor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_visitor_day'), ['day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('page_visitor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_visitor_day'))
    op.drop_table('page_visitor')
    with op.batch_alter_table('page_daily', schema=None) as batch_op:
        batch_op.drop_index('ix_page_daily_workspace_day')
    op.drop_table('page_daily')
    with op.batch_alter_table('page_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_event_workspace_id'))
        batch_op.drop_index('ix_page_event_page_time')
    op.drop_table('page_event')
