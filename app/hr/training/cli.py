"""`flask hr ...`: the daily reminder run and the hourly readiness report (for cron), and the
recount of enrolment summaries, calling the same services as the pages."""

from __future__ import annotations

import click
from flask import Flask, url_for
from flask.cli import AppGroup
from werkzeug.routing import BuildError

from app.extensions import db
from app.outbox import base_url_option, report_failure, send_batch


def register(app: Flask) -> None:
    hr = AppGroup("hr", help="HR: deadline reminders, recertification and report upkeep.")
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

    @hr.command("refresh-reports")
    def refresh_reports_command() -> None:
        """Recompute every company's stored dashboard and readiness report (cron, every few
        minutes; the dashboard page reads them)."""
        from app.hr.training import dashboard_store, readiness_store

        companies = dashboard_store.refresh_all()
        db.session.commit()
        readiness_store.refresh_all()
        db.session.commit()
        click.echo(f"dashboard and readiness recomputed for {companies} companies")

    @hr.command("summaries")
    @click.option("--check", is_flag=True, help="Only count the enrolments that differ.")
    def summaries_command(check: bool) -> None:
        """Recount every enrolment's progress summary from its rows (kept on write; this is
        the repair after rows were changed by hand)."""
        from app import enrolment_progress

        if check:
            stale = enrolment_progress.stale()
            click.echo(f"enrolments whose summaries differ from their rows: {len(stale)}")
            raise SystemExit(1 if stale else 0)
        count = enrolment_progress.refresh_all()
        db.session.commit()
        click.echo(f"summaries recounted for {count} enrolments")
