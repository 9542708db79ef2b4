"""Billing operator commands (`qrapp billing ...`): plans for invoiced deals; sync-stripe
lives in stripe_sync."""

from __future__ import annotations

import datetime as dt

import click

from qrapp.services.errors import ServiceError


@click.group()
def billing() -> None:
    """Plans and subscriptions."""


@billing.command("set-plan")
@click.argument("workspace")
@click.argument("plan")
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day paid for (YYYY-MM-DD, to the end of that day UTC); required for paid plans.",
)
def set_plan(workspace: str, plan: str, until: dt.datetime | None) -> None:
    """Put WORKSPACE (id or exact name) on PLAN with a manual subscription (invoiced
    deals); `free` ends it."""
    from qrapp.services.billing import manual

    try:
        ws, sub = manual.set_plan(workspace, plan, until.date() if until else None)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    ends = f" until {sub.current_period_end:%Y-%m-%d %H:%M} UTC" if sub.current_period_end else ""
    click.echo(f"{ws.name} ({ws.id}): plan {ws.plan}, manual subscription {sub.status}{ends}")
