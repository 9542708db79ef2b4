"""Operator command line: `python -m qrapp ...` or the `qrapp` console script.

Each command group lives in its own module and is registered here, so that
importing the CLI never imports Reflex.
"""

import click


@click.group()
def main() -> None:
    """qrapp operator commands."""


def _register() -> None:
    from qrapp.cli import qr

    main.add_command(qr.qr)


_register()
