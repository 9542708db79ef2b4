"""A real SMTP server (aiosmtpd) in the test process that keeps what it receives."""

from __future__ import annotations

import email
import re
import socket
import threading
import time
from email.message import Message

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        msg = email.message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append(msg)
        return "250 OK"


class MailSink:
    def __init__(self) -> None:
        self.port = _free_port()
        self._handler = _Handler()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> MailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def clear(self) -> None:
        with self._handler.lock:
            self._handler.messages.clear()

    @property
    def messages(self) -> list[Message]:
        with self._handler.lock:
            return list(self._handler.messages)

    def wait_for(self, to: str, subject_contains: str, timeout: float = 30) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for msg in self.messages:
                if to.lower() in msg["To"].lower() and subject_contains in msg["Subject"]:
                    return msg
            time.sleep(0.1)
        seen = [(m["To"], m["Subject"]) for m in self.messages]
        raise AssertionError(f"no mail to {to} about {subject_contains!r}; got {seen}")

    def count(self, to: str, subject_contains: str = "") -> int:
        return sum(
            1
            for m in self.messages
            if to.lower() in m["To"].lower() and subject_contains in m["Subject"]
        )


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
