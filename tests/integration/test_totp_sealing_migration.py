"""Migration 0031_ident seals the TOTP secrets a database holds in clear, and its
downgrade opens them again for the older code."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from qrapp import db
from qrapp.core import otp
from qrapp.migrations import alembic_config
from qrapp.services.accounts import totp_secrets
from tests.integration.helpers import actor, sign_up_and_session


def _row(user_id) -> dict:
    with db.engine().connect() as conn:
        found = conn.execute(
            sa.text("select * from totp_factor where user_id = :u"),
            {"u": user_id.hex if conn.dialect.name == "sqlite" else user_id},
        )
        return dict(found.mappings().one())


def test_the_migration_seals_clear_secrets_and_its_downgrade_opens_them(clean_db):
    user_id = actor(sign_up_and_session("old-row@example.com")).user_id
    secret = otp.new_secret()
    try:
        with db.engine().begin() as conn:
            command.downgrade(alembic_config(conn), "0031_ident-1")
        with db.engine().begin() as conn:
            conn.execute(
                sa.text(
                    "insert into totp_factor (user_id, secret, last_used_step, created_at) "
                    "values (:u, :s, 0, CURRENT_TIMESTAMP)"
                ),
                {"u": user_id.hex if conn.dialect.name == "sqlite" else user_id, "s": secret},
            )
    finally:
        with db.engine().begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    row = _row(user_id)
    assert row["secret"] == ""
    assert secret not in row["secret_sealed"]
    assert totp_secrets.unseal(row["secret_sealed"], user_id) == secret
    try:
        with db.engine().begin() as conn:
            command.downgrade(alembic_config(conn), "0031_ident-1")
        assert _row(user_id)["secret"] == secret
    finally:
        with db.engine().begin() as conn:
            command.upgrade(alembic_config(conn), "head")
