"""`flask review remind`: the hourly run of daily review reminders and «course assigned» e-mails."""

from __future__ import annotations

import click
from flask import Flask, url_for
from flask.cli import AppGroup

from app.extensions import db


def register_remind(app: Flask, group: AppGroup) -> None:
    @group.command("remind")
    @click.option(
        "--base-url",
        envvar="QIAO_BASE_URL",
        default="http://127.0.0.1:5000",
        show_default=True,
        help="The address of Qiao as learners open it (links in the e-mails).",
    )
    def remind_command(base_url: str) -> None:
        """Run every hour: review reminders of the learners whose hour it is, once a day each,
        and the e-mails of newly assigned courses."""
        from app.hr.training import reminders as hr_reminders
        from app.hr.training.cli import report_failure
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
        with Mailer(app.config) as mailer:
            a_sent, a_failed = hr_reminders.deliver_all(assigned, mailer, report_failure)
        click.echo(
            f"review reminders: {sent} sent, {failed} failed; "
            f"course assigned: {a_sent} sent, {a_failed} failed (retried on the next run)"
        )
