"""Assignments: HR orders a course for a person, a department or a company, by a date.

An assignment becomes enrolments (user × course) for its target people (`app.enrolments`);
people who join the department or company later get theirs through the accounts service.
"Overdue" is derived, never stored: due_at passed and not completed.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from app import audit, policy
from app.accounts.credentials import find_user_by_email
from app.enrolments import (  # noqa: F401 — due dates and enrolment, read by HR's callers here
    apply_assignment,
    due_at_for,
    due_date_of,
    enrol_member,
)
from app.extensions import db
from app.field_errors import FieldError
from app.models import (
    Assignment,
    AssignmentTarget,
    Company,
    Course,
    Department,
    Enrollment,
    EnrollmentStatus,
    User,
    utcnow,
)
from app.visibility import company_courses, live

#: a recurring assignment opens again this long before the recertification date
RECERTIFY_LEAD = timedelta(days=30)


class Status(enum.StrEnum):
    """What HR sees: the learner's status with "overdue" derived from the due date."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"


STATUSES = (Status.OVERDUE, Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETED)


def status_expr(now: datetime):
    """SQL for the derived status of an enrolment at `now`."""
    return case(
        (Enrollment.status == EnrollmentStatus.COMPLETED, Status.COMPLETED.value),
        (
            and_(Enrollment.due_at.is_not(None), Enrollment.due_at < now),
            Status.OVERDUE.value,
        ),
        (Enrollment.status == EnrollmentStatus.IN_PROGRESS, Status.IN_PROGRESS.value),
        else_=Status.NOT_STARTED.value,
    )


def status_of(enrollment: Enrollment, now: datetime | None = None) -> Status:
    """The derived status of one enrolment (the Python twin of `status_expr`)."""
    now = now or utcnow()
    if enrollment.status == EnrollmentStatus.COMPLETED:
        return Status.COMPLETED
    if enrollment.due_at is not None and enrollment.due_at < now:
        return Status.OVERDUE
    if enrollment.status == EnrollmentStatus.IN_PROGRESS:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


# --------------------------------------------------------------------------- courses


def assignable_courses(actor: User, company: Company) -> list[Course]:
    policy.check_company(actor, company.id)
    return list(db.session.scalars(company_courses(company.id).order_by(Course.title)))


def courses_for_filter(actor: User, company_id: int | None) -> list[Course]:
    """Courses to filter reports by: the company's, or every live one for the zone view."""
    scope = policy.company_scope(actor)
    company_id = scope if scope is not None else company_id
    stmt = select(Course).where(live(Course)) if company_id is None else company_courses(company_id)
    return list(db.session.scalars(stmt.order_by(Course.title)))


# --------------------------------------------------------------------------- enrolments


# --------------------------------------------------------------------------- assignments


@dataclass(frozen=True)
class AssignmentData:
    """Validated fields of the assignment form."""

    course_id: int
    target: str
    department_id: int | None = None
    user_email: str | None = None
    due_date: date | None = None
    recurrence_months: int | None = None


class AssignmentError(FieldError):
    """A refused change: `field` of the form, `code` of the problem."""


def create_assignment(
    actor: User, company: Company, data: AssignmentData, *, ip: str | None = None
) -> tuple[Assignment, int]:
    """Assign a course to a person, a department or the company; enrol its people now."""
    policy.check_company(actor, company.id)
    course = db.session.scalar(company_courses(company.id).where(Course.id == data.course_id))
    if course is None:
        raise AssignmentError("course_id", "unknown course")
    assignment = Assignment(
        company_id=company.id,
        course_id=course.id,
        target=data.target,
        due_date=data.due_date,
        recurrence_months=data.recurrence_months or None,
        created_by_id=actor.id,
    )
    label = company.name
    if data.target == AssignmentTarget.DEPARTMENT:
        department = db.session.get(Department, data.department_id or 0)
        if department is None or department.company_id != company.id:
            raise AssignmentError("department_id", "unknown department")
        assignment.department_id = department.id
        label = department.name
    elif data.target == AssignmentTarget.USER:
        person = find_user_by_email(data.user_email or "")
        if (
            person is None
            or person.company_id != company.id
            or not policy.may_manage(actor, person)
        ):
            raise AssignmentError("user_email", "unknown person")
        if not person.active:
            raise AssignmentError("user_email", "inactive person")
        assignment.user_id = person.id
        label = person.email
    elif data.target != AssignmentTarget.COMPANY:
        raise AssignmentError("target", "unknown target")
    db.session.add(assignment)
    db.session.flush()
    count = apply_assignment(assignment)
    audit.record(
        actor,
        "assignment.create",
        assignment,
        details={
            "course": course.slug,
            "target": data.target,
            "to": label,
            "due_date": data.due_date.isoformat() if data.due_date else None,
            "recurrence_months": assignment.recurrence_months,
            "enrolled": count,
        },
        ip=ip,
    )
    return assignment, count


def get_assignment(actor: User, assignment_id: int) -> Assignment:
    return policy.check_owned(actor, db.session.get(Assignment, assignment_id))


def cancel_assignment(actor: User, assignment: Assignment, *, ip: str | None = None) -> None:
    """Stop an assignment: nobody new gets it; existing enrolments and progress stay."""
    policy.check_company(actor, assignment.company_id)
    if not assignment.active:
        return
    assignment.active = False
    db.session.flush()
    audit.record(actor, "assignment.cancel", assignment, ip=ip)


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    course: Course
    target_label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def list_assignments(
    actor: User, company_id: int | None, *, assignment_id: int | None = None
) -> list[AssignmentRow]:
    """Assignments with their people counted by status (a few queries whatever the size)."""
    scope = policy.company_scope(actor)
    company_id = scope if scope is not None else company_id
    stmt = select(Assignment, Course).join(Course, Course.id == Assignment.course_id)
    if assignment_id is not None:
        stmt = stmt.where(Assignment.id == assignment_id)
    if company_id is not None:
        stmt = stmt.where(Assignment.company_id == company_id)
    rows = db.session.execute(
        stmt.order_by(Assignment.active.desc(), Assignment.created_at.desc()).limit(500)
    ).all()
    ids = [a.id for a, _c in rows]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if ids:
        status = status_expr(utcnow())
        for assignment_id, st, n in db.session.execute(
            select(Enrollment.assignment_id, status, func.count(Enrollment.id))
            .where(Enrollment.assignment_id.in_(ids))
            .group_by(Enrollment.assignment_id, status)
        ):
            counts[assignment_id][st] = n
    labels = _target_labels([a for a, _c in rows])
    return [AssignmentRow(a, c, labels[a.id], counts[a.id]) for a, c in rows]


def _target_labels(assignments: list[Assignment]) -> dict[int, str]:
    dept_ids = {a.department_id for a in assignments if a.department_id}
    user_ids = {a.user_id for a in assignments if a.user_id}
    company_ids = {a.company_id for a in assignments}
    depts = dict(
        db.session.execute(
            select(Department.id, Department.name).where(Department.id.in_(dept_ids))
        ).all()
    )
    users = dict(
        db.session.execute(select(User.id, User.full_name).where(User.id.in_(user_ids))).all()
    )
    companies = dict(
        db.session.execute(
            select(Company.id, Company.name).where(Company.id.in_(company_ids))
        ).all()
    )
    labels = {}
    for a in assignments:
        if a.target == AssignmentTarget.DEPARTMENT:
            labels[a.id] = depts.get(a.department_id, "?")
        elif a.target == AssignmentTarget.USER:
            labels[a.id] = users.get(a.user_id, "?")
        else:
            labels[a.id] = companies.get(a.company_id, "?")
    return labels


def assignment_people(actor: User, assignment: Assignment) -> list[tuple[Enrollment, User, str]]:
    """The enrolments of one assignment with their people and derived status."""
    policy.check_company(actor, assignment.company_id)
    status = status_expr(utcnow())
    rows = db.session.execute(
        select(Enrollment, User, status)
        .join(User, User.id == Enrollment.user_id)
        .options(selectinload(User.department))
        .where(Enrollment.assignment_id == assignment.id)
        .order_by(User.full_name)
    ).all()
    return [(e, u, s) for e, u, s in rows]


# --------------------------------------------------------------------------- overrides


def get_enrollment(actor: User, enrollment_id: int) -> Enrollment:
    """An enrolment of a person the actor may manage; 404 otherwise."""
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise NotFound()
    policy.check_person(actor, db.session.get(User, enrollment.user_id))
    return enrollment


def override_completion(
    actor: User, enrollment: Enrollment, reason: str, *, ip: str | None = None
) -> None:
    """Mark an enrolment completed by HR's decision, with who, when and why."""
    person = policy.check_person(actor, db.session.get(User, enrollment.user_id))
    reason = reason.strip()
    if not reason:
        raise AssignmentError("reason", "reason required")
    now = utcnow()
    before = enrollment.status
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = enrollment.completed_at or now
    enrollment.override_by_id = actor.id
    enrollment.override_at = now
    enrollment.override_reason = reason
    db.session.flush()
    audit.record(
        actor,
        "enrollment.override",
        company_id=person.company_id,
        target=enrollment,
        details={"person": person.email, "before": before, "reason": reason},
        ip=ip,
    )


# --------------------------------------------------------------------------- recertification


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def renew_recurring(now: datetime | None = None) -> int:
    """Reopen completed enrolments of recurring assignments that are due for recertification.

    The enrolment becomes "not started" again, due N months after the last completion; the
    previous completion is kept in the audit log. Returns how many were reopened.
    """
    now = now or utcnow()
    reopened = 0
    recurring = db.session.scalars(
        select(Assignment).where(Assignment.active.is_(True), Assignment.recurrence_months > 0)
    ).all()
    for assignment in recurring:
        months = assignment.recurrence_months or 0
        cutoff = _add_months(now + RECERTIFY_LEAD, -months)
        for enrollment in db.session.scalars(
            select(Enrollment).where(
                Enrollment.assignment_id == assignment.id,
                Enrollment.status == EnrollmentStatus.COMPLETED,
                Enrollment.completed_at <= cutoff,
            )
        ):
            assert enrollment.completed_at is not None
            due = _add_months(enrollment.completed_at, months)
            audit.record(
                None,
                "enrollment.recertify",
                company_id=assignment.company_id,
                target=enrollment,
                details={
                    "previous_completed_at": enrollment.completed_at.isoformat(),
                    "override_reason": enrollment.override_reason,
                },
            )
            enrollment.status = EnrollmentStatus.NOT_STARTED
            enrollment.started_at = None
            enrollment.completed_at = None
            enrollment.override_by_id = None
            enrollment.override_at = None
            enrollment.override_reason = None
            enrollment.due_at = due_at_for(due_date_of(due))
            reopened += 1
    db.session.flush()
    return reopened
