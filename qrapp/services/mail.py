"""Outgoing e-mail: messages are built here, sent by the worker after the commit."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from qrapp.db import Transaction
from qrapp.queue import enqueue
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

SEND_TASK = "qrapp.mail.send"


def queue_mail(tx: Transaction, *, to: str, subject: str, text: str) -> None:
    """Send once the transaction has committed (through the Celery worker)."""
    message = {"to": to, "subject": subject, "text": text}
    tx.after_commit(lambda: enqueue(SEND_TASK, message))


def send_now(message: dict[str, str]) -> None:
    """Deliver through SMTP; with no SMTP_HOST the mail is written to the log."""
    s = get_settings()
    msg = EmailMessage()
    msg["From"] = s.mail_from
    msg["To"] = message["to"]
    msg["Subject"] = message["subject"]
    msg["Message-ID"] = make_msgid(domain="qrapp")
    msg.set_content(message["text"])
    if not s.smtp_host:
        log.warning("SMTP_HOST is not set; mail not sent:\n%s", msg.as_string())
        return
    with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=20) as smtp:
        if s.smtp_starttls:
            smtp.starttls()
        if s.smtp_username:
            smtp.login(s.smtp_username, s.smtp_password)
        smtp.send_message(msg)


def app_link(path: str) -> str:
    return f"{get_settings().app_url.rstrip('/')}{path}"
