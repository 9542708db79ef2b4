"""page A/B tests: page_test, page_variant; page_event.variant

Revision ID: 0016_page_ab_tests
Revises: 0015_leads
Create Date: 2026-11-30 14:10:00

Chained after 0015_leads on the h-abtest branch (it merged h-leads; one head keeps the
migration tests green). page_event gets its column with a plain ADD COLUMN, no batch
rebuild (SQLite adds a column with a constant default in place).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016_page_ab_tests'
down_revision: str | None = '0015_leads'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('page_test',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('page_id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('goal_kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('goal_target', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('winner', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('stopped_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['page_id'], ['landing_page.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('page_test', schema=None) as batch_op:
        batch_op.create_index('ix_page_test_page_status', ['page_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_page_test_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('page_variant',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('test_id', sa.Uuid(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('source_page_id', sa.Uuid(), nullable=True),
    sa.Column('source_version', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('rendered_slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('csp', sa.Text(), nullable=False),
    sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('clicks', sa.JSON(), nullable=False),
    sa.Column('downloads', sa.JSON(), nullable=False),
    sa.Column('forms', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['source_page_id'], ['landing_page.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['test_id'], ['page_test.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('test_id', 'key', name='uq_page_variant_test_key')
    )

    op.add_column(
        'page_event',
        sa.Column(
            'variant',
            sqlmodel.sql.sqltypes.AutoString(length=4),
            nullable=False,
            server_default='',
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table('page_event', schema=None) as batch_op:
        batch_op.drop_column('variant')
    op.drop_table('page_variant')
    with op.batch_alter_table('page_test', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_test_workspace_id'))
        batch_op.drop_index('ix_page_test_page_status')
    op.drop_table('page_test')
