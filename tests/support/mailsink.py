"""A real SMTP server (aiosmtpd) in the test process that keeps what it receives."""

from __future__ import annotations

import email
import re
import socket
import threading
from email.message import Message

from aiosmtpd.controller import Controller

from tests.support.waiting import eventually


class _Handler:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd
        msg = email.message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append(msg)
        return "250 OK"


_LIVE: list[MailSink] = []


class MailSink:
    def __init__(self) -> None:
        self.port = _free_port()
        self._handler = _Handler()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> MailSink:
        self._controller.start()
        _LIVE.append(self)
        return self

    def stop(self) -> None:
        self._controller.stop()
        if self in _LIVE:
            _LIVE.remove(self)

    def clear(self) -> None:
        with self._handler.lock:
            self._handler.messages.clear()

    @property
    def messages(self) -> list[Message]:
        with self._handler.lock:
            return list(self._handler.messages)

    def wait_for(self, to: str, subject_contains: str, timeout: float = 30) -> Message:
        def found() -> Message | None:
            for msg in self.messages:
                if to.lower() in msg["To"].lower() and subject_contains in msg["Subject"]:
                    return msg
            return None

        def seen() -> str:
            got = [(m["To"], m["Subject"]) for m in self.messages]
            return f"no mail to {to} about {subject_contains!r}; got {got}"

        return eventually(found, timeout, interval=0.1, message=seen)

    def count(self, to: str, subject_contains: str = "") -> int:
        return sum(
            1
            for m in self.messages
            if to.lower() in m["To"].lower() and subject_contains in m["Subject"]
        )


def mark() -> dict[int, int]:
    """How many mails each running sink holds now (for `wait_for_new`)."""
    return {id(sink): len(sink.messages) for sink in _LIVE}


def wait_for_new(to: str, subject_contains: str, since: dict[int, int], timeout=60) -> Message:
    """A mail to `to` that arrived in any running sink after `mark()` returned `since`.
    Helpers that only know an address use it: the product's sink is one of them."""

    def found() -> Message | None:
        for sink in list(_LIVE):
            for msg in sink.messages[since.get(id(sink), 0) :]:
                if to.lower() == msg["To"].lower() and subject_contains in msg["Subject"]:
                    return msg
        return None

    message = f"no new mail to {to} about {subject_contains!r}"
    return eventually(found, timeout, interval=0.1, message=message)


def body_of(msg: Message) -> str:
    part = msg.get_payload(decode=True)
    return part.decode() if isinstance(part, bytes) else str(msg.get_payload())


def link_in(msg: Message, path: str) -> str:
    match = re.search(r"https?://\S+" + re.escape(path) + r"\S*", body_of(msg))
    assert match, f"no {path} link in:\n{body_of(msg)}"
    return match.group(0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
