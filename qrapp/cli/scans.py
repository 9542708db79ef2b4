"""`qrapp scans ...`: the scan ingest consumer.

qrapp scans ingest          # the long-running consumer (the Procfile's ingest process)
qrapp scans ingest --once   # drain what is in the stream now, print the totals, exit
"""

from __future__ import annotations

import logging
import signal

import click


@click.group()
def scans() -> None:
    """Scan events."""


@scans.command("ingest")
@click.option("--once", is_flag=True, help="Drain the stream once and exit.")
def ingest_command(once: bool) -> None:
    """Move scan events from the stream into the database and the rollups."""
    from qrapp.services import ingest

    if once:
        try:
            r = ingest.run_once()
        except ingest.DatabaseUnavailable as exc:
            raise click.ClickException(f"database unavailable: {exc}") from None
        click.echo(
            f"received {r.received}, inserted {r.inserted}, duplicates {r.duplicates}, "
            f"dropped {r.dropped}, dead-lettered {r.dead}"
        )
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    click.echo(f"ingest consumer {ingest.consumer_name()} running")
    ingest.run_forever(stop=lambda: bool(stopping))
