"""Operator commands: database migrations, users and workspaces."""

from __future__ import annotations

import click

from qrapp.services.errors import ServiceError


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from qrapp.migrations import upgrade

    upgrade(revision)
    click.echo(f"database at {revision}")


@click.group()
def user() -> None:
    """User accounts."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.password_option(help="Prompted for when not given.")
def user_create(email: str, name: str, password: str) -> None:
    """Create a verified user with a personal workspace."""
    from qrapp.services.accounts import accounts

    try:
        user_id = accounts.create_user_cli(email=email, password=password, name=name)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created user {user_id}")


@user.command("list")
def user_list() -> None:
    """Every user, newest last."""
    from qrapp.services import directory

    rows = directory.list_users()
    if not rows:
        click.echo("no users yet")
    for u, n in rows:
        verified = "verified" if u.email_verified_at else "unverified"
        active = "" if u.is_active else " (disabled)"
        click.echo(f"{u.id}  {u.email:<40} {u.name:<24} {verified:<10} {n} workspace(s){active}")


@click.group()
def workspace() -> None:
    """Workspaces."""


@workspace.command("list")
def workspace_list() -> None:
    """Every workspace with its member count and first owner."""
    from qrapp.services.workspaces import workspaces

    rows = workspaces.list_all()
    if not rows:
        click.echo("no workspaces yet")
    for ws, members, owner in rows:
        kind = "personal" if ws.is_personal else "team"
        click.echo(f"{ws.id}  {ws.name:<40} {kind:<8} {members} member(s)  owner {owner}")
