"""`qrapp billing sync-stripe`: Stripe's products and prices made to match core/plans.

Run it after deploying a change to the plans' prices (and once when setting up Stripe);
it is safe to run again: what already exists is left alone.
"""

from __future__ import annotations

import click

from qrapp.services.errors import ServiceError


@click.command("sync-stripe")
def sync_stripe_command() -> None:
    """Create the products and prices core/plans sells; print what was done."""
    import stripe

    from qrapp.services.billing import stripe_catalog

    try:
        report = stripe_catalog.sync()
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    except stripe.StripeError as exc:
        raise click.ClickException(f"Stripe refused: {exc.user_message or exc}") from None
    for line in report.lines():
        click.echo(line)
    click.echo(report.summary())
