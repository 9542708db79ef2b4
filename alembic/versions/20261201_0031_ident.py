"""totp_factor.secret_sealed: TOTP secrets sealed at rest (AES-GCM, key from SECRET_KEY);
rows in clear are sealed here and their clear column emptied

Revision ID: 0031_ident
Revises: 0030_handoff_workspace
Create Date: 2026-12-01 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0031_ident"
down_revision: str | None = "0030_handoff_workspace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN only (no batch rebuild on SQLite).
    op.add_column(
        "totp_factor",
        sa.Column("secret_sealed", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    )
    # Seal what is in clear now, with this deployment's SECRET_KEY (the app seals any row
    # written later by an older process at its next use, too).
    from qrapp.services.accounts.totp_secrets import seal

    table = sa.table(
        "totp_factor",
        sa.column("user_id", sa.Uuid()),
        sa.column("secret", sa.String()),
        sa.column("secret_sealed", sa.String()),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(table.c.user_id, table.c.secret).where(table.c.secret != "")
    ).all()
    for user_id, secret in rows:
        conn.execute(
            table.update()
            .where(table.c.user_id == user_id)
            .values(secret_sealed=seal(secret, user_id), secret="")
        )


def downgrade() -> None:
    # Unsealed back into the clear column, so the older code keeps working.
    from qrapp.services.accounts.totp_secrets import Unreadable, unseal

    table = sa.table(
        "totp_factor",
        sa.column("user_id", sa.Uuid()),
        sa.column("secret", sa.String()),
        sa.column("secret_sealed", sa.String()),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(table.c.user_id, table.c.secret_sealed).where(
            table.c.secret_sealed.is_not(None)
        )
    ).all()
    for user_id, sealed in rows:
        try:
            secret = unseal(sealed, user_id)
        except Unreadable:
            secret = ""  # unreadable under this key anyway: the person sets it up again
        conn.execute(table.update().where(table.c.user_id == user_id).values(secret=secret))
    op.drop_column("totp_factor", "secret_sealed")
