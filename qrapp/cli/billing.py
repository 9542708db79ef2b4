"""Billing operator commands (`qrapp billing ...`); sync-stripe lives in stripe_sync."""

from __future__ import annotations

import click


@click.group()
def billing() -> None:
    """Plans and subscriptions."""
