"""Enrolments from assignments: who gets which course, by which date.

An assignment becomes enrolments (user × course) for its target people; people who join a
department or company later, or come back from deactivation, get theirs through
`enrol_members`, which the accounts service calls. A core module: the HR pages, the accounts
service and the learning side all use it, none of them through another's blueprint.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from app.extensions import db
from app.models import Assignment, AssignmentTarget, Enrollment, EnrollmentStatus, User

#: due dates are calendar days of the zone (Moscow): due at the end of that day
ZONE_TIMEZONE = ZoneInfo("Europe/Moscow")
#: ids per IN (...) list (SQLite allows 999 parameters in older builds)
CHUNK = 900


def due_at_for(due_date: date | None) -> datetime | None:
    """The end of `due_date` in the zone's time zone, in UTC."""
    if due_date is None:
        return None
    return datetime.combine(due_date, time(23, 59, 59), ZONE_TIMEZONE).astimezone(UTC)


def due_date_of(due_at: datetime | None) -> date | None:
    """The calendar day (zone time) of a due timestamp."""
    return due_at.astimezone(ZONE_TIMEZONE).date() if due_at else None


def _attach(enrollment: Enrollment, assignment: Assignment, due_at: datetime | None) -> bool:
    """Attach an existing enrolment to `assignment` when that is stricter; True if it changed.

    A person already enrolled keeps their progress: the assignment attaches to the enrolment
    when it is not completed and the new due date is stricter (or there was none).
    """
    if enrollment.status == EnrollmentStatus.COMPLETED:
        return False
    if not (
        enrollment.assignment_id is None
        or enrollment.due_at is None
        or (due_at is not None and due_at < enrollment.due_at)
    ):
        return False
    enrollment.assignment_id = assignment.id
    enrollment.assigned_by_id = assignment.created_by_id
    enrollment.due_at = due_at
    return True


def _new_enrollment(assignment: Assignment, user_id: int, due_at: datetime | None) -> Enrollment:
    return Enrollment(
        user_id=user_id,
        course_id=assignment.course_id,
        assigned_by_id=assignment.created_by_id,
        assignment_id=assignment.id,
        due_at=due_at,
        status=EnrollmentStatus.NOT_STARTED,
    )


def _target_people(assignment: Assignment):
    stmt = select(User.id).where(User.company_id == assignment.company_id, User.active.is_(True))
    if assignment.target == AssignmentTarget.DEPARTMENT:
        stmt = stmt.where(User.department_id == assignment.department_id)
    elif assignment.target == AssignmentTarget.USER:
        stmt = stmt.where(User.id == assignment.user_id)
    return stmt


def apply_assignment(assignment: Assignment) -> int:
    """Create or attach the enrolments of an assignment's target people; return how many."""
    if not assignment.active:
        return 0
    due_at = due_at_for(assignment.due_date)
    people = _target_people(assignment).subquery()
    existing = {
        e.user_id: e
        for e in db.session.scalars(
            select(Enrollment).where(
                Enrollment.course_id == assignment.course_id,
                Enrollment.user_id.in_(select(people.c.id)),
            )
        )
    }
    touched = 0
    new_rows = []
    for user_id in db.session.scalars(select(people.c.id)).all():
        enrollment = existing.get(user_id)
        if enrollment is None:
            new_rows.append(_new_enrollment(assignment, user_id, due_at))
        elif not _attach(enrollment, assignment, due_at):
            continue
        touched += 1
    db.session.add_all(new_rows)
    db.session.flush()
    return touched


def _targets(assignment: Assignment, person: User) -> bool:
    if assignment.company_id != person.company_id:
        return False
    if assignment.target == AssignmentTarget.DEPARTMENT:
        return assignment.department_id == person.department_id
    if assignment.target == AssignmentTarget.USER:
        return assignment.user_id == person.id
    return True


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def enrol_members(people: Iterable[User]) -> int:
    """Give people the active assignments of their company, department and their own.

    Set-based: one query for the assignments, one per 900 people for their enrolments, one
    flush for the new rows, whatever the number of people. Inactive people get nothing.
    Returns how many enrolments were created or attached.
    """
    people = [p for p in people if p.active]
    if not people:
        return 0
    db.session.flush()
    company_ids = {p.company_id for p in people}
    found = db.session.scalars(
        select(Assignment)
        .where(Assignment.company_id.in_(company_ids), Assignment.active.is_(True))
        .order_by(Assignment.id)
    ).all()
    plans = [(a, p.id) for a in found for p in people if _targets(a, p)]
    if not plans:
        return 0
    course_ids = {a.course_id for a, _user_id in plans}
    enrolled: dict[tuple[int, int], Enrollment] = {}
    for chunk in _chunks(sorted({user_id for _a, user_id in plans})):
        for e in db.session.scalars(
            select(Enrollment).where(
                Enrollment.user_id.in_(chunk), Enrollment.course_id.in_(course_ids)
            )
        ):
            enrolled[e.user_id, e.course_id] = e
    touched = 0
    new_rows = []
    for assignment, user_id in plans:
        due_at = due_at_for(assignment.due_date)
        enrollment = enrolled.get((user_id, assignment.course_id))
        if enrollment is None:
            # transient until the one INSERT below; a later assignment of the same course may
            # still attach to it
            enrollment = _new_enrollment(assignment, user_id, due_at)
            enrolled[user_id, assignment.course_id] = enrollment
            new_rows.append(enrollment)
        elif not _attach(enrollment, assignment, due_at):
            continue
        touched += 1
    _insert(new_rows)
    db.session.flush()
    return touched


def _insert(rows: list[Enrollment]) -> None:
    """New enrolments in one statement (the ORM would send one INSERT per row on SQLite)."""
    if rows:
        db.session.execute(
            insert(Enrollment).execution_options(render_nulls=True),
            [
                {
                    "user_id": e.user_id,
                    "course_id": e.course_id,
                    "assigned_by_id": e.assigned_by_id,
                    "assignment_id": e.assignment_id,
                    "due_at": e.due_at,
                    "status": e.status,
                }
                for e in rows
            ],
        )


def enrol_member(person: User) -> int:
    """`enrol_members` for one person (joined a company or department, or came back)."""
    return enrol_members([person])
