"""`qrapp scans ...`: the scan ingest consumer.

qrapp scans ingest          # the long-running consumers (the Procfile's ingest process;
                            # INGEST_CONSUMERS processes, by default one per CPU core)
qrapp scans ingest --once   # drain what is in the stream now, print the totals, exit
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal

import click


@click.group()
def scans() -> None:
    """Scan events."""


@scans.command("ingest")
@click.option("--once", is_flag=True, help="Drain the stream once and exit.")
def ingest_command(once: bool) -> None:
    """Move scan events from the stream into the database and the rollups."""
    from qrapp.services.scans import ingest

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
    ingest.check_stream_durability()  # production only: warns unless appendonly yes
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    group = ConsumerGroup(ingest.consumer_count() - 1)
    click.echo(f"ingest consumer {ingest.consumer_name()} running, {group.size} more beside it")
    try:
        ingest.run_forever(stop=lambda: bool(stopping) or group.check())
    finally:
        group.stop()


class ConsumerGroup:
    """The other consumers of the ingest process, as child processes: started with it,
    restarted if one dies, stopped with it (each finishes its batch first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._ctx = multiprocessing.get_context("spawn")
        self._children = [self._start() for _ in range(size)]

    def _start(self):
        child = self._ctx.Process(target=_child_consumer, args=(os.getpid(),), daemon=False)
        child.start()
        return child

    def check(self) -> bool:
        """Restart dead children; never asks the parent to stop."""
        for i, child in enumerate(self._children):
            if not child.is_alive():
                logging.getLogger(__name__).warning(
                    "ingest consumer %s exited (%s); restarting", child.pid, child.exitcode
                )
                self._children[i] = self._start()
        return False

    def stop(self) -> None:
        for child in self._children:
            if child.is_alive():
                os.kill(child.pid, signal.SIGTERM)
        for child in self._children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()


def _child_consumer(parent_pid: int) -> None:
    from qrapp.services.scans import ingest

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    # An orphan (the parent was killed outright) stops too.
    ingest.run_forever(stop=lambda: bool(stopping) or os.getppid() != parent_pid)
