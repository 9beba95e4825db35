"""HR at scale: the progress summaries on each enrolment stay equal to the rows they summarise
after every write path (answers, lessons, heartbeat, placement, assignments, the migration's
backfill), the stored readiness report equals the live one, and HR's pages send as many SQL
statements for a dozen employees as for two."""

from __future__ import annotations

import importlib.util
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from app import enrolment_progress
from app.extensions import db
from app.hr.training import readiness_store, reports
from app.hr.training.assignments import AssignmentData, create_assignment
from app.hr.training.reports import ReportFilters
from app.learn import study_time
from app.learn.answers import complete_lesson_without_exercises, submit_answer
from app.models import (
    AssignmentTarget,
    Attempt,
    Card,
    Enrollment,
    EnrollmentStatus,
    Item,
    LessonProgress,
    Role,
    StudyTime,
)
from tests.helpers import sign_in, sql_statements

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
CHOICE = {"prompt": "你好", "options": ["здравствуйте", "спасибо"], "answer": "здравствуйте"}
MIGRATION = next(
    Path(__file__).resolve().parents[2].glob("app/migrations/versions/*_b3e7c1a9d5f2_*.py")
)


def _summary(user, course) -> tuple[int, int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.execute(
            select(
                Enrollment.lessons_done,
                Enrollment.answered,
                Enrollment.first_right,
                Enrollment.study_seconds,
            ).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
        ).one()
    )


@pytest.fixture
def two_lessons(people, make_course, make_lesson, make_exercise):
    """A course: lesson 1 with two exercises, lesson 2 with none (done once read)."""
    course = make_course("summaries", "Итоги", pass_threshold=100)
    first = make_lesson(course, "one", "Урок 1", position=0)
    second = make_lesson(course, "two", "Урок 2", position=1)
    e1 = make_exercise(first, "choose_meaning", CHOICE, position=0)
    e2 = make_exercise(first, "choose_meaning", CHOICE, key="e2", position=1)
    return course, first, second, e1, e2


def _answer(user, exercise, answer: str, submission: str | None = None):
    result = submit_answer(user, exercise.id, answer, submission or str(uuid.uuid4()))
    db.session.commit()
    return result


def test_answers_and_lessons_keep_the_enrolment_summary(people, two_lessons):
    course, _first, second, e1, e2 = two_lessons
    learner = people.learner_a
    _answer(learner, e1, "спасибо", "wrong-first")
    assert _summary(learner, course) == (0, 1, 0, 0)
    _answer(learner, e1, "здравствуйте")  # right on retry: answered once, not right first
    assert _summary(learner, course) == (0, 1, 0, 0)
    result = _answer(learner, e2, "здравствуйте")
    assert result.lesson_completed_now
    assert _summary(learner, course) == (1, 2, 1, 0)
    _answer(learner, e1, "спасибо", "wrong-first")  # a replayed submission counts once
    assert _summary(learner, course) == (1, 2, 1, 0)
    assert complete_lesson_without_exercises(learner, second)
    db.session.commit()
    assert _summary(learner, course) == (2, 2, 1, 0)
    assert enrolment_progress.stale() == []
    data = reports.dashboard(people.hr_a, ReportFilters(people.a.id))
    assert (data.total.answered, data.total.right) == (2, 1)


def test_heartbeat_adds_to_the_enrolment_it_belongs_to(people, two_lessons):
    course = two_lessons[0]
    learner = people.learner_a
    _answer(learner, two_lessons[3], "здравствуйте")
    assert study_time.record_beat(learner, 60, course.id, now=NOW) == 60
    assert study_time.record_beat(learner, 30, course.id, now=NOW + timedelta(seconds=40)) == 30
    assert study_time.record_beat(learner, 30, None, now=NOW + timedelta(seconds=80)) == 30
    db.session.commit()
    assert _summary(learner, course)[3] == 90
    assert enrolment_progress.stale() == []


def test_placement_lessons_marked_known_count_as_done(people, two_lessons, monkeypatch):
    from app.placement import service
    from app.placement.service import PathLesson

    course, first, second, *_ = two_lessons
    learner = people.learner_a
    before = [PathLesson(course, first), PathLesson(course, second)]
    monkeypatch.setattr(service, "latest_result", lambda user: object())
    monkeypatch.setattr(service, "recommended", lambda user, attempt: (None, before))
    assert service.mark_known(learner)[0] == 2
    db.session.commit()
    assert _summary(learner, course)[0] == 2
    assert enrolment_progress.stale() == []


def test_assignment_enrols_at_zero_and_keeps_earlier_progress_summed(people, two_lessons):
    course, *_rest, e1, _e2 = two_lessons
    _answer(people.learner_a, e1, "здравствуйте")  # enrolled herself by answering
    data = AssignmentData(course.id, AssignmentTarget.COMPANY, due_date=NOW.date())
    create_assignment(people.hr_a, people.a, data)
    db.session.commit()
    assert _summary(people.learner_a, course) == (0, 1, 1, 0)
    assert _summary(people.hr_a, course) == (0, 0, 0, 0)
    assert enrolment_progress.stale() == []


def test_migration_backfill_and_the_recount_agree_with_the_rows(people, two_lessons):
    course, first, _second, e1, e2 = two_lessons
    learner = people.learner_a
    db.session.add(Enrollment(user_id=learner.id, course_id=course.id))
    for i, (exercise, correct) in enumerate([(e1, False), (e1, True), (e2, True)]):
        db.session.add(Attempt(submission_id=f"bf-{i}", user_id=learner.id,
                               exercise_id=exercise.id, answer="x", correct=correct))  # fmt: skip
        db.session.flush()
    db.session.add(LessonProgress(user_id=learner.id, lesson_id=first.id,
                                  status=EnrollmentStatus.COMPLETED, completed_at=NOW))  # fmt: skip
    db.session.add(StudyTime(user_id=learner.id, course_id=course.id, day=NOW.date(),
                             seconds=120, last_beat_at=NOW))  # fmt: skip
    db.session.commit()
    assert enrolment_progress.stale() == [(learner.id, course.id)]  # written behind its back
    spec = importlib.util.spec_from_file_location("summaries_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.execute(text(migration.BACKFILL))
    db.session.commit()
    assert _summary(learner, course) == (1, 2, 1, 120)
    assert enrolment_progress.stale() == []
    db.session.execute(update(Enrollment).values(answered=0, first_right=0))
    assert enrolment_progress.refresh_all() >= 1
    assert _summary(learner, course) == (1, 2, 1, 120)


def test_stored_readiness_equals_the_live_report_and_is_recomputed_when_old(
    people, hr_b, two_lessons
):
    course, first, *_ = two_lessons
    word = Item(lesson_id=first.id, key="w", hanzi="字", hsk=1)
    db.session.add(word)
    db.session.flush()
    db.session.add(Card(user_id=people.learner_a.id, item_id=word.id, direction="recognition",
                        stability=5.0, last_review=NOW - timedelta(days=2), state=2))  # fmt: skip
    db.session.commit()
    filters = ReportFilters(people.a.id)
    live = reports.readiness(people.hr_a, filters, now=NOW)
    stored, at = readiness_store.stored_readiness(people.hr_a, filters, now=NOW)
    assert at == NOW and stored == live and stored[0].words == 1
    per_course = ReportFilters(people.a.id, course_id=course.id)
    assert readiness_store.stored_readiness(people.hr_a, per_course, now=NOW)[0] == live
    # a second word within the hour is not seen; after the hour it is
    other = Item(lesson_id=first.id, key="w2", hanzi="字二", hsk=2)
    db.session.add(other)
    db.session.flush()
    db.session.add(Card(user_id=people.learner_a.id, item_id=other.id, direction="recognition",
                        stability=5.0, last_review=NOW, state=2))  # fmt: skip
    db.session.commit()
    soon = NOW + timedelta(minutes=30)
    assert readiness_store.stored_readiness(people.hr_a, filters, now=soon)[0][0].words == 1
    later = NOW + readiness_store.MAX_AGE + timedelta(minutes=1)
    assert readiness_store.stored_readiness(people.hr_a, filters, now=later)[0][0].words == 2
    # the other company's HR reads its own (empty) report, never this one
    assert readiness_store.stored_readiness(hr_b, ReportFilters(people.b.id))[0] == []


def _grow(company, department, course, lesson, exercise, make_user, start: int, count: int):
    """`count` more employees, each enrolled with an answer, a heartbeat and a reviewed card."""
    word = db.session.scalar(select(Item).where(Item.lesson_id == lesson.id))
    for n in range(start, start + count):
        person = make_user(f"p{n}@alpha.example", company, {Role.LEARNER}, department)
        _answer(person, exercise, "здравствуйте" if n % 2 else "спасибо")
        study_time.record_beat(person, 30, course.id, now=NOW)
        db.session.add(Card(user_id=person.id, item_id=word.id, direction="recognition",
                            stability=3.0, last_review=NOW, state=2))  # fmt: skip
    db.session.commit()


def _page_statements(client, url: str) -> int:
    client.get(url)  # the readiness report stored, templates compiled
    with sql_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


def test_hr_pages_send_as_many_statements_for_twelve_employees_as_for_two(
    people, two_lessons, make_user, client
):
    course, first, _second, e1, _e2 = two_lessons
    db.session.add(Item(lesson_id=first.id, key="w", hanzi="字", hsk=1))
    db.session.commit()
    grow = (people.a, people.a_sales, course, first, e1, make_user)
    _grow(*grow, start=0, count=2)
    sign_in(client, people.hr_a.email)
    urls = ["/hr/", f"/hr/people/{people.learner_a.id}", "/hr/export/completion.csv"]
    small = [_page_statements(client, url) for url in urls]
    _grow(*grow, start=2, count=10)
    large = [_page_statements(client, url) for url in urls]
    assert large == small
    # HR of one company never sees another's people
    assert people.learner_b.email not in client.get("/hr/export/completion.csv").get_data(
        as_text=True
    )


def test_the_trend_counted_in_the_dashboard_scan_equals_the_trend_query(people, two_lessons):
    course = two_lessons[0]
    statuses = [EnrollmentStatus.COMPLETED, EnrollmentStatus.IN_PROGRESS]
    for n, person in enumerate([people.learner_a, people.hr_a]):
        db.session.add(Enrollment(user_id=person.id, course_id=course.id, status=statuses[n],
                                  created_at=NOW - timedelta(days=40 + 30 * n),
                                  completed_at=NOW - timedelta(days=10) if n == 0 else None))  # fmt: skip
    db.session.commit()
    filters = ReportFilters(people.a.id)
    points = reports.dashboard(people.hr_a, filters, now=NOW).trend
    assert points == reports.trend(filters, NOW)
    # weekly points back from NOW: completed 10 days ago, enrolled 40 and 70 days ago
    assert [(p.assigned, p.completed) for p in points][-3:] == [(2, 0), (2, 1), (2, 1)]
    assert [p.assigned for p in points][:3] == [0, 1, 1]


def test_a_large_company_sees_the_stored_dashboard_until_it_is_old(
    people, hr_b, two_lessons, monkeypatch
):
    from app.hr.training import dashboard_store

    course = two_lessons[0]
    db.session.add(Enrollment(user_id=people.learner_a.id, course_id=course.id))
    db.session.commit()
    filters = ReportFilters(people.a.id)
    # a small company is counted live, every time
    assert dashboard_store.stored_dashboard(people.hr_a, filters, now=NOW)[1] is None
    monkeypatch.setattr(dashboard_store, "LIVE_LIMIT", 1)
    live = reports.dashboard(people.hr_a, filters, now=NOW)
    stored, at = dashboard_store.stored_dashboard(people.hr_a, filters, now=NOW)
    assert at == NOW and stored == live and stored.total.total == 1
    db.session.add(Enrollment(user_id=people.hr_a.id, course_id=course.id))
    db.session.commit()
    soon = NOW + timedelta(minutes=5)
    assert dashboard_store.stored_dashboard(people.hr_a, filters, now=soon)[0] == live
    # a filter is counted now; after MAX_AGE the copy is recounted
    by_course = ReportFilters(people.a.id, course_id=course.id)
    assert dashboard_store.stored_dashboard(people.hr_a, by_course, now=soon)[0].total.total == 2
    later = NOW + dashboard_store.MAX_AGE + timedelta(minutes=1)
    fresh, at = dashboard_store.stored_dashboard(people.hr_a, filters, now=later)
    assert at == later and fresh.total.total == 2
    # another company's HR never gets this copy
    other = dashboard_store.stored_dashboard(hr_b, ReportFilters(people.b.id), now=later)
    assert other[0].total.total == 0


def test_a_company_growing_past_the_limit_is_stored_from_then_on(people, two_lessons, monkeypatch):
    from app.hr.training import dashboard_store

    course = two_lessons[0]
    filters = ReportFilters(people.a.id)
    monkeypatch.setattr(dashboard_store, "LIVE_LIMIT", 2)
    db.session.add(Enrollment(user_id=people.learner_a.id, course_id=course.id))
    db.session.commit()
    assert dashboard_store.stored_dashboard(people.hr_a, filters, now=NOW)[1] is None
    db.session.add(Enrollment(user_id=people.hr_a.id, course_id=course.id))
    db.session.commit()
    soon = NOW + timedelta(minutes=1)
    assert dashboard_store.stored_dashboard(people.hr_a, filters, now=soon)[1] is None
    later = NOW + timedelta(minutes=2)
    data, at = dashboard_store.stored_dashboard(people.hr_a, filters, now=later)
    assert at == soon and data.total.total == 2
