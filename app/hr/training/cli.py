"""`flask hr ...`: the daily reminder run (for cron), calling the same services as the pages."""

from __future__ import annotations

import click
from flask import Flask, url_for
from flask.cli import AppGroup
from werkzeug.routing import BuildError

from app.extensions import db
from app.outbox import base_url_option, report_failure, send_batch


def register(app: Flask) -> None:
    hr = AppGroup("hr", help="HR: deadline reminders and recertification.")
    app.cli.add_command(hr)

    @hr.command("remind")
    @base_url_option
    def remind_command(base_url: str) -> None:
        """Reopen due recertifications, then send today's deadline reminders once each."""
        from app.hr.training import reminders
        from app.hr.training.assignments import renew_recurring

        reopened = renew_recurring()
        db.session.commit()
        with app.test_request_context("/", base_url=base_url):

            def link_for(course_id: int) -> str:
                try:
                    return url_for("learn.course", course_id=course_id, _external=True)
                except BuildError:
                    return url_for("learn.dashboard", _external=True)

            pending = reminders.plan(link_for=link_for)
        db.session.commit()
        sent, failed = send_batch(app.config, pending, reminders.deliver, on_failure=report_failure)
        click.echo(
            f"reminders: {sent} sent, {failed} failed (retried on the next run); "
            f"recertifications reopened: {reopened}"
        )
