"""Operator command line: `python -m qrapp ...` or the `qrapp` console script.

Each command group lives in its own module and is registered here, so that
importing the CLI never imports Reflex.
"""

import click


@click.group()
def main() -> None:
    """qrapp operator commands."""


def _register() -> None:
    from qrapp.cli import operators, qr

    for group in (operators.db, operators.user, operators.workspace, qr.qr):
        main.add_command(group)


_register()
