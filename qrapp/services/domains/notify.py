"""E-mails to a workspace's owners about their domains (through the mail queue, after the
commit)."""

from __future__ import annotations

from sqlmodel import select

from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.db import Transaction
from qrapp.models import Membership, User
from qrapp.models.domains import CustomDomain
from qrapp.services.domains.hostnames import display
from qrapp.services.mail import queue_mail
from qrapp.settings import get_settings


def _owner_emails(tx: Transaction, row: CustomDomain) -> list[str]:
    return list(
        tx.session.exec(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
            .where(Membership.workspace_id == row.workspace_id, Membership.role == Role.OWNER)
        ).all()
    )


def _send(tx: Transaction, row: CustomDomain, subject: str, why: str) -> None:
    s = get_settings()
    name = display(row.hostname)
    text = (
        f"{why}\n\n"
        f"Until it is verified again, your codes on {name} are shown with our default "
        f"address ({s.edge_url.rstrip('/')}/...) and keep working there. Printed codes "
        f"that carry {name} work again once its DNS records are back.\n\n"
        f"Settings -> Domains: {s.app_url.rstrip('/')}{routes.SETTINGS_DOMAINS}\n"
    )
    for email in _owner_emails(tx, row):
        queue_mail(tx, to=email, subject=subject, text=text)


def domain_lost(tx: Transaction, row: CustomDomain) -> None:
    _send(
        tx,
        row,
        f"Your domain {display(row.hostname)} is no longer verified",
        f"We re-checked {display(row.hostname)} and its DNS records are gone or changed: "
        f"{row.reason}",
    )


def domain_moved(tx: Transaction, row: CustomDomain) -> None:
    _send(
        tx,
        row,
        f"Your domain {display(row.hostname)} moved to another workspace",
        f"Another workspace proved with its own DNS record that it controls "
        f"{display(row.hostname)}, so the domain now belongs to it.",
    )
