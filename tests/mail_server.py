"""Real SMTP servers for the mail tests: aiosmtpd on 127.0.0.1, collecting what arrives.

Each helper is a context manager that points an app's SMTP settings at the server; a test
module wraps the ones it needs in fixtures:

    @pytest.fixture
    def inbox(app):
        with smtp_server(app) as inbox:
            yield inbox

`smtp_server(app, refuse={"x@example.nl"})` answers 550 for those recipients; `down_server`
names a port where nothing listens; `slow_server` accepts connections but never greets;
`untouched_port` counts who connected; `gated_server` holds one message's conversation until
the test releases it (to kill a worker at a chosen moment).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


@dataclass
class Received:
    mail_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps every message it accepts, refuses the listed recipients."""

    refuse: set[str] = field(default_factory=set)
    messages: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def point_at(app, port: int, timeout: float = 5) -> None:
    """Send the app's mail to 127.0.0.1:port, plain SMTP (aiosmtpd offers no STARTTLS here)."""
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        SMTP_STARTTLS=False,
        SMTP_SSL=False,
        SMTP_USER=None,
        SMTP_TIMEOUT=timeout,
        MAIL_FROM="Leergang Woonconsulent <zelfscan@example.nl>",
    )


@contextmanager
def smtp_server(app, refuse: set[str] | None = None, password: str | None = None):
    """A collecting server; with a password it demands a login (AUTH over plain text)."""
    inbox = Inbox(refuse=set(refuse or ()))
    options = {}
    if password is not None:

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        options = {"authenticator": authenticator, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    point_at(app, controller.port)
    try:
        yield inbox
    finally:
        controller.stop()


@contextmanager
def down_server(app):
    """A port with nothing listening: every connection is refused at once."""
    point_at(app, free_port())
    yield


@contextmanager
def slow_server(app, timeout: float = 0.5):
    """A socket that accepts connections (the kernel does) but never sends a greeting."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        point_at(app, listener.getsockname()[1], timeout=timeout)
        yield


@dataclass
class GatedInbox(Inbox):
    """An inbox that holds the conversation of message number `hold_at` (counted from 1).

    hold_in="rcpt": at RCPT, before the server has the message (a client killed now sent
    nothing); hold_in="data": after the server stored the message, before its 250 reply (a
    client killed now cannot know the mail arrived: the window SMTP cannot close).
    """

    hold_at: int = 0
    hold_in: str = "rcpt"
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    rcpts: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts += 1
        if self.hold_in == "rcpt" and self.rcpts == self.hold_at:
            await self._hold()
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if self.hold_in == "data" and len(self.messages) == self.hold_at:
            await self._hold()
        return reply

    async def _hold(self) -> None:
        self.reached.set()
        while not self.release.is_set():
            await asyncio.sleep(0.02)


@contextmanager
def gated_server(app, hold_at: int, hold_in: str = "rcpt"):
    inbox = GatedInbox(hold_at=hold_at, hold_in=hold_in)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_at(app, controller.port)
    try:
        yield inbox
    finally:
        inbox.release.set()
        controller.stop()


class Listener:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def connections(self) -> int:
        """How many clients connected so far (accepting them, without waiting)."""
        count = 0
        self.sock.setblocking(False)
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@contextmanager
def untouched_port(app):
    """A listening socket as the mail server: the test asks how many connected to it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        point_at(app, listener.getsockname()[1])
        yield Listener(listener)
