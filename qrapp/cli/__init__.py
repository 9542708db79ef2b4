"""Operator command line: `python -m qrapp ...` or the `qrapp` console script.

Each command group lives in its own module and is registered here, so that
importing the CLI never imports Reflex.
"""

import click


@click.group()
def main() -> None:
    """qrapp operator commands."""


def _register() -> None:
    from qrapp.cli import billing, bulk, codes, operators, qr, scans

    for group in (
        operators.db,
        operators.user,
        operators.workspace,
        qr.qr,
        scans.scans,
        bulk.bulk,
        billing.billing,
    ):
        main.add_command(group)
    qr.qr.add_command(codes.create_command)
    qr.qr.add_command(codes.list_command)
    from qrapp.cli import stripe_sync

    billing.billing.add_command(stripe_sync.sync_stripe_command)


_register()
