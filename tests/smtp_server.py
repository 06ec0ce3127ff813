"""A real SMTP server for the tests: aiosmtpd on a free local port, keeping what it receives.

tests/conftest.py loads this module as a plugin, so every test may ask for the
`smtp_server` fixture; point the app at it with `mail_config(smtp_server)`:

    from tests.smtp_server import mail_config

    @pytest.fixture
    def app_overrides(smtp_server):
        return mail_config(smtp_server)

`smtp_server.messages` are the e-mails received, parsed (`email.message.EmailMessage`);
`smtp_server.fail_next(n, reply)` makes the next n deliveries fail with an SMTP reply;
`smtp_server.drop_after_taking(n)` keeps the next n but hangs up before saying so.
"""

import asyncio
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """The aiosmtpd handler: accepts every message (unless told to fail) and keeps it."""

    def __init__(self) -> None:
        self.port = 0
        self.delay = 0.0  # seconds each delivery takes, to widen a race between two senders
        self.messages: list[EmailMessage] = []
        self._failures: list[str] = []
        self._drops = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, _session, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self._failures:
                return self._failures.pop(0)
            message = message_from_bytes(envelope.content, policy=policy.default)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            self.messages.append(message)
            if self._drops:
                # Taken, but the sender never hears so: the connection ends before the reply.
                self._drops -= 1
                server.transport.close()
        return "250 Message accepted for delivery"

    def drop_after_taking(self, count: int = 1) -> None:
        """Keep the next `count` messages but close the connection before answering."""
        with self._lock:
            self._drops += count

    def fail_next(self, count: int = 1, reply: str = "451 4.3.0 Try again later") -> None:
        """Refuse the next `count` messages with `reply` (4xx: try later; 5xx: for good)."""
        with self._lock:
            self._failures.extend([reply] * count)

    def to(self, address: str) -> list[EmailMessage]:
        """The messages delivered to `address`."""
        return [m for m in self.messages if address in m["X-Envelope-To"].split(", ")]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """The messages once at least `count` arrived (the server runs in its own thread)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)


@pytest.fixture
def smtp_server():
    """A running SMTP server on 127.0.0.1 for one test; its Mailbox."""
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


def mail_config(mailbox: Mailbox) -> dict:
    """App settings that send Pojo's e-mail to the test server."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "MAIL_DEFAULT_SENDER": "Pojo <pojo@pojo.test>",
        "MAIL_TIMEOUT": 5,
    }
