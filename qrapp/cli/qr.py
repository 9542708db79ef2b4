"""`qrapp qr ...`: render and check QR codes (filled in by the QR engine work)."""

import click


@click.group()
def qr() -> None:
    """Render and check QR codes."""
