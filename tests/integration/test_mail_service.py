"""Outgoing mail: queued in a transaction, sent by the real worker after the commit,
through the test's real SMTP server."""

from __future__ import annotations

import logging

import pytest

from qrapp.db import transaction
from qrapp.services import mail as mail_service
from qrapp.settings import get_settings
from tests.support.environment import patched_env
from tests.support.mailsink import body_of


def test_queued_mail_is_sent_by_the_worker_after_the_commit(mail):
    with transaction() as tx:
        mail_service.queue_mail(tx, to="ada@mail.example", subject="Hello Ada", text="Body 1")
    msg = mail.wait_for("ada@mail.example", "Hello Ada")
    assert msg["From"] == get_settings().mail_from
    assert msg["Message-ID"]
    assert body_of(msg).strip() == "Body 1"


def test_mail_of_a_rolled_back_transaction_is_never_sent(mail):
    def change_that_fails() -> None:
        with transaction() as tx:
            mail_service.queue_mail(tx, to="bob@mail.example", subject="Never", text="-")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError, match="the change failed"):
        change_that_fails()
    # A mail queued afterwards arrives through the same worker; the first never went out.
    with transaction() as tx:
        mail_service.queue_mail(tx, to="bob@mail.example", subject="After", text="-")
    mail.wait_for("bob@mail.example", "After")
    assert mail.count("bob@mail.example") == 1


def test_send_now_delivers_over_smtp(mail):
    mail_service.send_now({"to": "cy@mail.example", "subject": "Direct", "text": "Hi"})
    # send_now returns once the SMTP server has accepted the message.
    assert mail.count("cy@mail.example", "Direct") == 1


def test_without_an_smtp_host_the_mail_is_logged_not_sent(mail, caplog):
    with patched_env({"SMTP_HOST": ""}), caplog.at_level(logging.WARNING):
        mail_service.send_now({"to": "dee@mail.example", "subject": "Logged", "text": "Hi"})
    assert "SMTP_HOST is not set" in caplog.text
    assert "Subject: Logged" in caplog.text
    assert mail.count("dee@mail.example") == 0


def test_app_links_are_built_on_the_app_url(clean_db):
    with patched_env({"APP_URL": "https://app.mail.example/"}):
        assert mail_service.app_link("/verify-email?token=t") == (
            "https://app.mail.example/verify-email?token=t"
        )
