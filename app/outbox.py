"""E-mails kept in a log table (deadline reminders, study reminders, «course assigned»).

Each e-mail has a log row with `attempts`, `error` and `sent_at`: `send_logged` sends one and
records the outcome on its row, `deliver_all` sends a batch committing after each (one failure
loses nothing already sent). The `flask … remind` commands share their `--base-url` option and
their failure line from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import click

from app.extensions import db
from app.mail import Mail, Mailer
from app.models import utcnow


@dataclass(frozen=True)
class Pending:
    """An e-mail to send and the id of its log row."""

    log_id: int
    mail: Mail


def send_logged(row: Any, mail: Mail, mailer: Mailer) -> bool:
    """Send `mail` and record the attempt on its log `row` (flushed; the caller commits);
    False if it failed (the error is on the row)."""
    row.attempts += 1
    try:
        mailer.send(mail)
    except Exception as exc:  # noqa: BLE001 — one failure must not stop the batch
        row.error = f"{type(exc).__name__}: {exc}"[:1000]
        db.session.flush()
        return False
    row.sent_at = utcnow()
    row.error = None
    db.session.flush()
    return True


def logged_delivery(
    model: type, describe: Callable[[Any], str], log: logging.Logger
) -> Callable[[Pending, Mailer], bool]:
    """The `deliver` of a log table (`model`): it sends one e-mail and records the outcome on
    its row (flushed; the caller commits); a failure is logged as «`describe(row)` failed»."""

    def deliver(pending: Pending, mailer: Mailer) -> bool:
        row = db.session.get(model, pending.log_id)
        assert row is not None
        if send_logged(row, pending.mail, mailer):
            return True
        log.warning("%s failed: %s", describe(row), row.error)
        return False

    return deliver


def send_batch(
    config: Mapping[str, Any],
    items: list[Pending],
    deliver: Callable[[Pending, Mailer], bool],
    **options: Any,
) -> tuple[int, int]:
    """`deliver_all` over one SMTP connection made from `config`; (sent, failed)."""
    with Mailer(config) as mailer:
        return deliver_all(items, mailer, deliver, **options)


def deliver_all(
    items: list[Pending],
    mailer: Mailer,
    deliver: Callable[[Pending, Mailer], bool],
    *,
    on_failure: Callable[[Pending], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Send each item with `deliver`, committing after each; `progress(number, sent)` after
    each one; returns (sent, failed)."""
    sent = failed = 0
    for number, item in enumerate(items, 1):
        if deliver(item, mailer):
            sent += 1
        else:
            failed += 1
            if on_failure is not None:
                on_failure(item)
        db.session.commit()
        if progress is not None:
            progress(number, sent)
    return sent, failed


def report_failure(item: Pending) -> None:
    """One line on stderr per e-mail that could not be sent (it is retried next run)."""
    click.echo(f"failed: {', '.join(item.mail.to)}: {item.mail.subject}", err=True)


#: the `--base-url` option of the `remind` commands
base_url_option = click.option(
    "--base-url",
    envvar="QIAO_BASE_URL",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The address of Qiao as learners open it (links in the e-mails).",
)
