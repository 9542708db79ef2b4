"""landing pages: page, immutable published versions, workspace page templates;
qr_code.landing_page_id (a dynamic code may answer with a page)

Revision ID: 0011_pages
Revises: 0010_signup
Create Date: 2026-11-30 10:28:04.501482
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011_pages'
down_revision: str | None = '0010_signup'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('landing_page',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('domain', sqlmodel.sql.sqltypes.AutoString(length=253), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('draft', sa.JSON(), nullable=False),
    sa.Column('draft_revision', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('published_version', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('domain', 'slug', name='uq_landing_page_domain_slug')
    )
    with op.batch_alter_table('landing_page', schema=None) as batch_op:
        batch_op.create_index('ix_landing_page_workspace_updated', ['workspace_id', 'updated_at'], unique=False)

    op.create_table('page_template',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_id', 'name')
    )
    with op.batch_alter_table('page_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_template_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('landing_page_version',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('page_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('csp', sa.Text(), nullable=False),
    sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('clicks', sa.JSON(), nullable=False),
    sa.Column('downloads', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['page_id'], ['landing_page.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('page_id', 'number', name='uq_landing_page_version_page_number')
    )
    if _sqlite():
        # Never rebuild qr_code on SQLite (what batch mode does to add a foreign key): the
        # rebuild DROPs the old table, and with foreign keys on that deletes every redirect
        # rule and scan rollup of every code by cascade (PRAGMA foreign_keys cannot be
        # turned off inside the migration's transaction). So on SQLite the link is a plain
        # column, added and dropped in place; services.pages clears it when a page goes.
        op.execute("ALTER TABLE qr_code ADD COLUMN landing_page_id CHAR(32)")
        op.create_index('ix_qr_code_landing_page_id', 'qr_code', ['landing_page_id'], unique=False)
        return
    with op.batch_alter_table('qr_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('landing_page_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_qr_code_landing_page_id'), ['landing_page_id'], unique=False)
        batch_op.create_foreign_key('fk_qr_code_landing_page_id', 'landing_page', ['landing_page_id'], ['id'], ondelete='SET NULL')



def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def downgrade() -> None:
    if _sqlite():  # in place, never a rebuild of qr_code (see upgrade)
        op.drop_index('ix_qr_code_landing_page_id', table_name='qr_code')
        op.execute("ALTER TABLE qr_code DROP COLUMN landing_page_id")
    else:
        with op.batch_alter_table('qr_code', schema=None) as batch_op:
            batch_op.drop_constraint('fk_qr_code_landing_page_id', type_='foreignkey')
            batch_op.drop_index(batch_op.f('ix_qr_code_landing_page_id'))
            batch_op.drop_column('landing_page_id')

    op.drop_table('landing_page_version')
    with op.batch_alter_table('page_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_template_workspace_id'))

    op.drop_table('page_template')
    with op.batch_alter_table('landing_page', schema=None) as batch_op:
        batch_op.drop_index('ix_landing_page_workspace_updated')

    op.drop_table('landing_page')
