"""`flask review remind`: the hourly run of daily review reminders and «course assigned» e-mails."""

from __future__ import annotations

import click
from flask import Flask, url_for
from flask.cli import AppGroup

from app.extensions import db
from app.outbox import base_url_option, report_failure, send_batch


def register_remind(app: Flask, group: AppGroup) -> None:
    @group.command("remind")
    @base_url_option
    def remind_command(base_url: str) -> None:
        """Run every hour: review reminders of the learners whose hour it is, once a day each,
        and the e-mails of newly assigned courses."""
        from app.hr.training import reminders as hr_reminders
        from app.learn import notices, reminders
        from app.mail import Mailer

        with app.test_request_context("/", base_url=base_url):
            review_link = url_for("review.session", _external=True)

            def course_link(course_id: int) -> str:
                return url_for("learn.course", course_id=course_id, _external=True)

            daily = reminders.plan(link=review_link)
            assigned = notices.plan(link_for=course_link)
        db.session.commit()
        sent, failed = reminders.run(lambda: Mailer(app.config), daily)
        a_sent, a_failed = send_batch(
            app.config, assigned, hr_reminders.deliver, on_failure=report_failure
        )
        click.echo(
            f"review reminders: {sent} sent, {failed} failed; "
            f"course assigned: {a_sent} sent, {a_failed} failed (retried on the next run)"
        )
