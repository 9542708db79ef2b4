"""Run Alembic from Python (the CLI, scripts and tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from qrapp.settings import PROJECT_ROOT


def alembic_config(connection=None) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(revision: str = "head") -> None:
    from qrapp.db import engine

    with engine().begin() as connection:
        command.upgrade(alembic_config(connection), revision)
