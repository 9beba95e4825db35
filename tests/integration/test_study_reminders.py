"""`flask review remind` (hourly): daily review reminders at each learner's hour in their time
zone, once a day, and «course assigned» e-mails, against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.extensions import db
from app.hr.training import assignments
from app.hr.training import reminders as hr_reminders
from app.hr.training.assignments import AssignmentData
from app.learn import notices, reminders
from app.mail import Mailer
from app.models import (
    Attempt,
    Enrollment,
    Job,
    JobStatus,
    ReminderLog,
    StudyReminderLog,
    utcnow,
)
from tests.helpers import csrf_token, sign_in
from tests.mailbox import body, subject

MOSCOW = ZoneInfo("Europe/Moscow")
#: 09:00 in Moscow
NINE_MSK = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def _opt_in(user, hour=9, timezone="Europe/Moscow", goal=10):
    user.review_reminder = True
    user.reminder_hour = hour
    user.timezone = timezone
    user.daily_goal_minutes = goal
    db.session.commit()


def _run(app, now):
    pending = reminders.plan(now, link="https://qiao.example/review/")
    db.session.commit()
    return reminders.run(lambda: Mailer(app.config), pending)


def test_a_reminder_goes_out_at_the_learners_hour_once_a_day(app, people, mailbox):
    _opt_in(people.learner_a)
    _opt_in(people.learner_b, hour=10)
    assert _run(app, NINE_MSK - timedelta(hours=1)) == (0, 0)  # 08:00 in Moscow
    assert _run(app, NINE_MSK) == (1, 0)
    (message,) = mailbox.to("learner@alpha.example")
    assert subject(message) == "Qiao: 10 мин китайского сегодня?"
    text = body(message)
    assert "Здравствуйте, Learner!" in text and "Ваша цель — 10 мин в день" in text
    assert "https://qiao.example/review/" in text and "«Цель и напоминание»" in text
    # the same hour again, and later that day: nothing twice
    assert _run(app, NINE_MSK + timedelta(minutes=30)) == (0, 0)
    assert _run(app, NINE_MSK + timedelta(hours=1)) == (1, 0)  # learner B: ten o'clock
    assert [r for r, _m in mailbox.messages] == [
        ["learner@alpha.example"],
        ["learner@beta.example"],
    ]
    # the next day, at nine again
    assert _run(app, NINE_MSK + timedelta(days=1)) == (1, 0)


def test_the_hour_is_the_learners_own_time_zone(app, people, mailbox):
    _opt_in(people.learner_a, hour=9, timezone="Asia/Vladivostok")  # UTC+10
    assert _run(app, NINE_MSK) == (0, 0)
    assert _run(app, datetime(2026, 12, 2, 23, 0, tzinfo=UTC)) == (1, 0)
    row = db.session.scalar(select(StudyReminderLog))
    assert row.day.isoformat() == "2026-12-03"  # Vladivostok's day, not UTC's


def test_no_reminder_without_opt_in_after_the_goal_or_for_the_deactivated(
    app, people, small_course, mailbox
):
    _opt_in(people.learner_a)
    _opt_in(people.hr_a)
    _opt_in(people.learner_b)
    people.learner_b.active = False
    people.trainer.review_reminder, people.trainer.reminder_hour = True, 9  # not a learner
    people.learner_a.review_reminder = False
    db.session.add(Attempt(submission_id=str(uuid.uuid4()), user_id=people.hr_a.id,
                           exercise_id=small_course.scenario.id, answer="x",
                           correct=True, duration_ms=11 * 60000,
                           created_at=NINE_MSK - timedelta(hours=2)))  # fmt: skip
    db.session.commit()
    assert _run(app, NINE_MSK) == (0, 0)
    assert mailbox.messages == []


def test_a_failed_reminder_is_retried_by_the_next_run_the_same_day(app, people, mailbox):
    _opt_in(people.learner_a)
    mailbox.refuse = True
    assert _run(app, NINE_MSK) == (0, 1)
    row = db.session.scalar(select(StudyReminderLog))
    assert row.sent_at is None and "451" in row.error
    mailbox.refuse = False
    assert _run(app, NINE_MSK + timedelta(hours=1)) == (1, 0)
    assert _run(app, NINE_MSK + timedelta(hours=2)) == (0, 0)
    assert len(mailbox.messages) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count(StudyReminderLog.id))) == 1


def test_the_command_sends_reminders_and_course_assigned_mail_once(
    app, people, small_course, runner, mailbox
):
    _opt_in(people.learner_a, hour=utcnow().astimezone(MOSCOW).hour)
    assignments.create_assignment(
        people.hr_a, people.a, AssignmentData(course_id=small_course.course.id, target="company")
    )
    db.session.commit()
    args = ["review", "remind", "--base-url", "https://qiao.example"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "review reminders: 1 sent, 0 failed; course assigned: 2 sent, 0 failed" in result.output
    assigned = [m for _r, m in mailbox.messages if "назначен курс" in subject(m)]
    assert sorted(m["To"] for m in assigned) == ["hr@alpha.example", "learner@alpha.example"]
    text = body(assigned[0])
    assert "Компания назначила вам курс «Курс»." in text
    assert f"https://qiao.example/courses/{small_course.course.id}" in text
    result = runner.invoke(args=args)
    assert "review reminders: 0 sent, 0 failed; course assigned: 0 sent, 0 failed" in result.output
    # and the deadline reminders of `flask hr remind` never take them for their own
    result = runner.invoke(args=["hr", "remind", "--base-url", "https://qiao.example"])
    assert "0 sent, 0 failed" in result.output


def test_old_enrolments_are_not_announced_and_failures_are_retried(
    app, people, small_course, mailbox
):
    assignment, _n = assignments.create_assignment(
        people.hr_a, people.a, AssignmentData(course_id=small_course.course.id, target="company")
    )
    old = db.session.scalar(select(Enrollment).where(Enrollment.user_id == people.hr_a.id))
    old.created_at = utcnow() - timedelta(days=10)
    db.session.commit()

    def run():
        pending = notices.plan(link_for=lambda _id: "https://qiao.example/c")
        db.session.commit()
        with Mailer(app.config) as mailer:
            results = [hr_reminders.deliver(p, mailer) for p in pending]
        db.session.commit()
        return results

    mailbox.refuse = True
    assert run() == [False]
    mailbox.refuse = False
    assert run() == [True]
    assert run() == []
    assert [r for r, _m in mailbox.messages] == [["learner@alpha.example"]]
    logs = db.session.scalars(select(ReminderLog)).all()
    assert [(log.rule, log.attempts) for log in logs] == [("assigned", 2)]


def test_assigning_a_course_mails_the_people_in_a_background_job(
    app, client, people, small_course, mailbox
):
    sign_in(client, "hr@alpha.example")
    token = csrf_token(client, "/hr/assignments/new")
    response = client.post(
        "/hr/assignments/new",
        data={
            "csrf_token": token,
            "course_id": small_course.course.id,
            "target": "department",
            "department_id": people.a_sales.id,
        },
    )
    assert response.status_code == 302
    (message,) = mailbox.to("learner@alpha.example")
    assert subject(message) == "Qiao: вам назначен курс «Курс»"
    assert db.session.scalar(select(ReminderLog.sent_at)) is not None
    job = db.session.scalar(select(Job))
    assert (job.kind, job.status, job.result) == (
        "learn.course_assigned", JobStatus.DONE, {"sent": 1, "failed": 0})  # fmt: skip
    assert job.created_by_id == people.hr_a.id
