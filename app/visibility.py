"""Which content is live, and which courses a company may see: the one place these rules live.

"Live" means not retired; learners see only published lessons of published courses; a company
sees the courses visible to all and those shared with it. Services build their queries from these
predicates instead of spelling the conditions out, so that a change of the rule (say, a course
retired at a future date) is made here once; `tests/unit/test_visibility_rule.py` keeps it so.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select

from app.models import Course, CourseCompany, Lesson


def live(model) -> ColumnElement[bool]:
    """The row of `model` (course, lesson, item, dialogue, exercise) is not retired."""
    return model.retired_at.is_(None)


def published(model) -> ColumnElement[bool]:
    """The course or lesson is published and live: what learners may open."""
    return and_(model.published.is_(True), model.retired_at.is_(None))


def live_path(*models) -> ColumnElement[bool]:
    """Every row along a joined path (say Item, Lesson, Course) is live."""
    return and_(*(live(model) for model in models))


def company_sees(company_id: int | None) -> ColumnElement[bool]:
    """The course (joined as `Course`) is visible to all or shared with the company."""
    shared = exists().where(
        CourseCompany.course_id == Course.id, CourseCompany.company_id == company_id
    )
    return or_(Course.visible_to_all.is_(True), shared)


def company_courses(company_id: int | None) -> Select:
    """Published, live courses a company may see (visible to all, or shared with it)."""
    return select(Course).where(published(Course), company_sees(company_id))


def learner_content(company_id: int | None) -> ColumnElement[bool]:
    """A published lesson (joined as `Lesson`) of a published course the company sees."""
    return and_(published(Lesson), published(Course), company_sees(company_id))
