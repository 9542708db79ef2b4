"""`qrapp billing ...`: operator commands for plans and payment providers."""

from __future__ import annotations

import click


@click.group()
def billing() -> None:
    """Plans, subscriptions and payment providers."""
