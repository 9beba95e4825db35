"""A real SMTP server on a local port (aiosmtpd) for the tests that send e-mail."""

from __future__ import annotations

import email
import re
import socket
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """Collects what the SMTP server accepts; can be told to refuse everything."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.Message]] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 Temporary failure, try later"
        self.messages.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(envelope.original_content))
        )
        return "250 OK"

    def to(self, address: str) -> list[email.message.Message]:
        return [m for rcpt, m in self.messages if address in rcpt]


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body(message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset())


def link_in(message, path: str) -> str:
    match = re.search(r"(https?://\S+" + re.escape(path) + r"\S*)", body(message))
    assert match, body(message)
    return match.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    old = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    yield inbox
    app.config.update(old)
    controller.stop()
