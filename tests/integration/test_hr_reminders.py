"""`flask hr remind` against a real SMTP server on a local port (aiosmtpd), started by the test."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.hr.training import reminders
from app.hr.training.assignments import due_at_for
from app.models import Enrollment, EnrollmentStatus, ReminderLog
from tests.mailbox import _free_port, body, subject

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def smtp(mailbox):
    """The shared local SMTP server (tests/mailbox.py)."""
    return mailbox


_subject = subject
_body = body


def _enrol(person, course, due: date, status=EnrollmentStatus.NOT_STARTED):
    enrollment = Enrollment(
        user_id=person.id, course_id=course.id, due_at=due_at_for(due), status=status
    )
    db.session.add(enrollment)
    db.session.commit()
    return enrollment


def _remind(runner):
    result = runner.invoke(args=["hr", "remind", "--base-url", "https://qiao.example"])
    assert result.exit_code == 0, result.output
    return result.output


def test_reminders_go_to_the_learner_with_a_copy_to_the_manager_once_a_day(
    people, content, make_user, runner, smtp
):
    today = datetime.now(MOSCOW).date()
    boss = make_user("boss@alpha.example", people.a, full_name="Борис Начальников")
    learner = people.learner_a
    learner.manager = boss
    db.session.commit()
    _enrol(learner, content.course, today + timedelta(days=7))  # due in a week
    _enrol(people.hr_a, content.course, today - timedelta(days=1))  # overdue since today
    _enrol(boss, content.course, today + timedelta(days=3))  # no rule today
    done = _enrol(people.learner_b, content.course, today - timedelta(days=1),
                  status=EnrollmentStatus.COMPLETED)  # fmt: skip

    output = _remind(runner)
    assert "2 sent, 0 failed" in output
    by_rcpt = {tuple(sorted(rcpts)): msg for rcpts, msg in smtp.messages}
    soon = by_rcpt[("boss@alpha.example", "learner@alpha.example")]
    assert soon["To"] == "learner@alpha.example" and soon["Cc"] == "boss@alpha.example"
    due = (today + timedelta(days=7)).strftime("%-d")
    assert _subject(soon).startswith("Напоминание: пройдите курс «Курс» до " + due)
    body = _body(soon)
    assert "Здравствуйте, Learner!" in body and "Осталось дней: 7" in body
    assert f"https://qiao.example/courses/{content.course.id}" in body
    overdue = by_rcpt[("hr@alpha.example",)]
    assert _subject(overdue).startswith("Срок истёк: курс «Курс»")
    assert "дней просрочки: 1" in _body(overdue)
    assert overdue["Cc"] is None

    # the same day again: nothing is sent twice
    assert "0 sent, 0 failed" in _remind(runner)
    assert len(smtp.messages) == 2
    logs = db.session.scalars(select(ReminderLog).order_by(ReminderLog.id)).all()
    assert [(log.rule, log.attempts, log.error) for log in logs] == [
        ("due_soon", 1, None),
        ("overdue", 1, None),
    ]
    assert all(log.sent_at and log.day == today for log in logs)
    assert done.id not in {log.enrollment_id for log in logs}


def test_failures_are_logged_and_retried_by_the_next_run(people, content, runner, smtp):
    today = datetime.now(MOSCOW).date()
    _enrol(people.learner_a, content.course, today + timedelta(days=1))
    _enrol(people.learner_b, content.course, today + timedelta(days=7))
    smtp.refuse = True
    output = _remind(runner)  # the batch carries on past every failure
    assert "0 sent, 2 failed" in output
    logs = db.session.scalars(select(ReminderLog)).all()
    assert all(log.sent_at is None and "451" in log.error and log.attempts == 1 for log in logs)

    smtp.refuse = False
    assert "2 sent, 0 failed" in _remind(runner)
    assert len(smtp.messages) == 2
    db.session.expire_all()
    logs = db.session.scalars(select(ReminderLog)).all()
    assert all(log.sent_at and log.error is None and log.attempts == 2 for log in logs)
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 2


def test_an_unreachable_server_does_not_crash_the_batch(people, content, runner, app):
    today = datetime.now(MOSCOW).date()
    _enrol(people.learner_a, content.course, today + timedelta(days=1))
    old = app.config["MAIL_PORT"], app.config["MAIL_SERVER"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    try:
        output = _remind(runner)
    finally:
        app.config["MAIL_PORT"], app.config["MAIL_SERVER"] = old
    assert "0 sent, 1 failed" in output
    log = db.session.scalar(select(ReminderLog))
    assert log.error and log.sent_at is None


def test_rules_by_days_left():
    assert [reminders.rule_for(d) for d in (8, 7, 3, 1, 0)] == [
        None, "due_soon", None, "due_soon", None
    ]  # fmt: skip
    assert [reminders.rule_for(d) for d in (-1, -2, -8, -15)] == [
        "overdue", None, "overdue", "overdue"
    ]  # fmt: skip


def test_due_at_is_the_end_of_the_day_in_moscow():
    assert due_at_for(date(2030, 1, 31)).astimezone(MOSCOW).time() == time(23, 59, 59)
