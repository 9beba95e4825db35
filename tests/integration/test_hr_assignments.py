"""Assignments become enrolments; statuses, overrides, newcomers and recertification."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.hr.people import services
from app.hr.training import assignments
from app.hr.training.assignments import AssignmentData, Status
from app.models import AuditEvent, Enrollment, EnrollmentStatus, Role


def _enrollments(course_id):
    return {
        e.user_id: e
        for e in db.session.scalars(select(Enrollment).where(Enrollment.course_id == course_id))
    }


def _assign(people, content, target="department", **extra):
    data = AssignmentData(
        course_id=content.course.id,
        target=target,
        department_id=people.a_sales.id if target == "department" else None,
        due_date=date(2030, 3, 1),
        **extra,
    )
    assignment, count = assignments.create_assignment(people.hr_a, people.a, data)
    db.session.commit()
    return assignment, count


def test_department_assignment_enrols_its_people_with_the_due_date(people, content, make_user):
    colleague = make_user("colleague@alpha.example", people.a, department=people.a_sales)
    assignment, count = _assign(people, content)
    enrolled = _enrollments(content.course.id)
    assert count == 2 and set(enrolled) == {people.learner_a.id, colleague.id}
    enrollment = enrolled[people.learner_a.id]
    assert enrollment.assignment_id == assignment.id
    assert enrollment.assigned_by_id == people.hr_a.id
    # due at the end of 1 March in Moscow, stored in UTC
    assert enrollment.due_at == datetime(2030, 3, 1, 20, 59, 59, tzinfo=UTC)
    assert assignments.due_date_of(enrollment.due_at) == date(2030, 3, 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.create"))
    assert event.actor_id == people.hr_a.id and event.details["enrolled"] == 2


def test_company_assignment_reaches_everyone_active_of_that_company_only(
    people, content, make_user
):
    leaver = make_user("leaver@alpha.example", people.a)
    services.set_active(people.hr_a, leaver, False)
    _assign(people, content, target="company")
    enrolled = set(_enrollments(content.course.id))
    assert enrolled == {people.hr_a.id, people.learner_a.id}


def test_people_who_join_later_get_the_assignment(people, content, make_user):
    _assign(people, content)
    # a new employee created straight into the department
    newcomer = services.create_person(
        people.hr_a,
        people.a,
        services.PersonData(
            email="new@alpha.example", full_name="Новичок", department_id=people.a_sales.id
        ),
    )
    # an employee moved into the department
    mover = make_user("mover@alpha.example", people.a)
    services.update_person(
        people.hr_a,
        mover,
        services.PersonData(
            email=mover.email, full_name=mover.full_name, department_id=people.a_sales.id
        ),
    )
    db.session.commit()
    enrolled = _enrollments(content.course.id)
    assert {newcomer.id, mover.id} <= set(enrolled)
    assert enrolled[mover.id].due_at is not None


def test_a_stopped_assignment_reaches_nobody_new(people, content, make_user):
    assignment, _count = _assign(people, content)
    assignments.cancel_assignment(people.hr_a, assignment)
    newcomer = make_user("late@alpha.example", people.a)
    newcomer.department = people.a_sales
    assignments.enrol_member(newcomer)
    db.session.commit()
    assert newcomer.id not in _enrollments(content.course.id)
    assert people.learner_a.id in _enrollments(content.course.id)


def test_an_existing_enrolment_keeps_its_progress(people, content):
    own = Enrollment(
        user_id=people.learner_a.id,
        course_id=content.course.id,
        status=EnrollmentStatus.IN_PROGRESS,
        started_at=datetime(2029, 1, 1, tzinfo=UTC),
    )
    db.session.add(own)
    db.session.commit()
    assignment, _count = _assign(people, content)
    db.session.refresh(own)
    assert own.status == EnrollmentStatus.IN_PROGRESS and own.assignment_id == assignment.id
    assert own.started_at == datetime(2029, 1, 1, tzinfo=UTC)


def test_statuses_are_derived_with_overdue(people, content):
    now = datetime(2030, 1, 10, tzinfo=UTC)
    e = Enrollment(user_id=1, course_id=1)
    e.status = EnrollmentStatus.NOT_STARTED
    assert assignments.status_of(e, now) is Status.NOT_STARTED
    e.status = EnrollmentStatus.IN_PROGRESS
    assert assignments.status_of(e, now) is Status.IN_PROGRESS
    e.due_at = now - timedelta(seconds=1)
    assert assignments.status_of(e, now) is Status.OVERDUE
    e.status = EnrollmentStatus.COMPLETED
    assert assignments.status_of(e, now) is Status.COMPLETED
    # the SQL twin agrees
    db.session.add(
        Enrollment(
            user_id=people.learner_a.id,
            course_id=content.course.id,
            status=EnrollmentStatus.IN_PROGRESS,
            due_at=now - timedelta(days=1),
        )
    )
    db.session.flush()
    assert db.session.scalar(select(assignments.status_expr(now))) == Status.OVERDUE


def test_hr_override_records_who_when_and_why(people, content):
    _assign(people, content)
    enrollment = _enrollments(content.course.id)[people.learner_a.id]
    with pytest.raises(assignments.AssignmentError):
        assignments.override_completion(people.hr_a, enrollment, "   ")
    assignments.override_completion(
        people.hr_a, enrollment, "Прошёл курс у партнёра", ip="10.0.0.7"
    )
    db.session.commit()
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.COMPLETED and enrollment.completed_at
    assert enrollment.override_by_id == people.hr_a.id and enrollment.override_at
    assert enrollment.override_reason == "Прошёл курс у партнёра"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrollment.override"))
    assert event.ip == "10.0.0.7" and event.details["reason"] == "Прошёл курс у партнёра"


def test_hr_cannot_touch_another_companys_enrolments(people, content):
    from werkzeug.exceptions import NotFound

    theirs = Enrollment(user_id=people.learner_b.id, course_id=content.course.id)
    db.session.add(theirs)
    db.session.commit()
    with pytest.raises(NotFound):
        assignments.get_enrollment(people.hr_a, theirs.id)
    with pytest.raises(NotFound):
        assignments.override_completion(people.hr_a, theirs, "x")


def test_only_courses_visible_to_the_company_can_be_assigned(people, content, hr_b):
    data = AssignmentData(course_id=content.private_course.id, target="company")
    with pytest.raises(assignments.AssignmentError):
        assignments.create_assignment(people.hr_a, people.a, data)
    assignment, count = assignments.create_assignment(hr_b, people.b, data)
    assert count == 2


def test_recurring_assignment_reopens_before_recertification(people, content):
    assignment, _count = _assign(people, content, recurrence_months=12)
    enrollment = _enrollments(content.course.id)[people.learner_a.id]
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = datetime(2030, 2, 15, 9, 0, tzinfo=UTC)
    db.session.commit()
    # ten months later: not yet
    assert assignments.renew_recurring(datetime(2030, 12, 15, tzinfo=UTC)) == 0
    # within a month of the anniversary: open again, due on the anniversary
    assert assignments.renew_recurring(datetime(2031, 1, 20, tzinfo=UTC)) == 1
    db.session.commit()
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.NOT_STARTED and enrollment.completed_at is None
    assert assignments.due_date_of(enrollment.due_at) == date(2031, 2, 15)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrollment.recertify"))
    assert event.details["previous_completed_at"].startswith("2030-02-15")


def test_learners_and_trainers_cannot_assign(people, content):
    from werkzeug.exceptions import Forbidden

    data = AssignmentData(course_id=content.course.id, target="company")
    for actor in (people.learner_a, people.trainer):
        assert not actor.has_role(Role.HR)
        with pytest.raises(Forbidden):
            assignments.create_assignment(actor, people.a, data)
