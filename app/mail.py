"""Sending e-mail through SMTP with the standard library (settings: MAIL_* in app.config)."""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any


@dataclass(frozen=True)
class Mail:
    to: Sequence[str]
    subject: str
    body: str
    cc: Sequence[str] = field(default_factory=tuple)


class Mailer:
    """One SMTP connection for a batch, reopened after a failure; use as a context manager."""

    def __init__(self, config: Mapping[str, Any], timeout: float = 20.0):
        self.host = config.get("MAIL_SERVER", "localhost")
        self.port = int(config.get("MAIL_PORT", 25))
        self.username = config.get("MAIL_USERNAME") or ""
        self.password = config.get("MAIL_PASSWORD") or ""
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.sender = config.get("MAIL_DEFAULT_SENDER") or "qiao@localhost"
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            self._smtp = smtp
        return self._smtp

    def message(self, mail: Mail) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = formataddr(("Qiao", self.sender))
        msg["To"] = ", ".join(mail.to)
        if mail.cc:
            msg["Cc"] = ", ".join(mail.cc)
        msg["Subject"] = mail.subject
        msg["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or "localhost")
        msg.set_content(mail.body)
        return msg

    def send(self, mail: Mail) -> None:
        """Send one message to its To and Cc; raises on failure (and drops the connection)."""
        try:
            self._connection().send_message(self.message(mail))
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None
