"""brand: workspace_brand (white label: name, logo, colours, favicon, support e-mail)

Revision ID: 0025_brand
Revises: 0024_domains
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0025_brand'
down_revision: str | None = '0024_domains'  # relinked after domains at the merge of h-domains
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('workspace_brand',
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('name', _str(length=80), nullable=False),
    sa.Column('logo_asset_id', sa.Uuid(), nullable=True),
    sa.Column('favicon_asset_id', sa.Uuid(), nullable=True),
    sa.Column('primary_colour', _str(length=7), nullable=False),
    sa.Column('accent_colour', _str(length=7), nullable=False),
    sa.Column('support_email', _str(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['logo_asset_id'], ['media_asset.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['favicon_asset_id'], ['media_asset.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('workspace_id')
    )


def downgrade() -> None:
    op.drop_table('workspace_brand')
