"""`qrapp qr create` and `qrapp qr list`: dynamic codes from the command line.

qrapp qr create --workspace "Team A" --name "Poster" --url https://example.com
qrapp qr list --workspace "Team A"
"""

from __future__ import annotations

import click

from qrapp.services.errors import FieldErrors, ServiceError


def _actor(workspace: str):
    from qrapp.services.operator import operator_actor

    try:
        return operator_actor(workspace)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None


@click.command("create")
@click.option("--workspace", required=True, help="Workspace id or exact name.")
@click.option("--name", required=True)
@click.option("--url", required=True, help="Where the code sends people.")
@click.option("--alias", default="", help="A custom short code instead of a random one.")
def create_command(workspace: str, name: str, url: str, alias: str) -> None:
    """Create a dynamic code and print its short URL."""
    from qrapp.services.codes import qrcodes

    actor = _actor(workspace)
    try:
        code = qrcodes.create(
            actor=actor,
            data=qrcodes.CodeInput(name=name, destination=url, alias=alias),
            ip="cli",
        )
    except FieldErrors as exc:
        for field, message in exc.errors.items():
            click.echo(f"error: {field}: {message}", err=True)
        raise SystemExit(1) from None
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(qrcodes.short_url(code))


@click.command("list")
@click.option("--workspace", required=True, help="Workspace id or exact name.")
@click.option("--limit", default=50, show_default=True)
def list_command(workspace: str, limit: int) -> None:
    """The workspace's newest codes: short URL, status, scans, destination."""
    from qrapp.services.codes import qrcodes

    codes = qrcodes.list_codes(actor=_actor(workspace), limit=limit)
    if not codes:
        click.echo("no codes yet")
    for c in codes:
        link = qrcodes.short_url(c) if c.is_dynamic else "(static)"
        click.echo(
            f"{link:<40} {c.status:<8} {c.total_scans:>8} scans  {c.name:<30} {c.destination}"
        )
