"""The courses a learner may see: the catalogue, one course or lesson, enrolment.

Every function takes the learner explicitly and only ever returns what that learner may see:
published, live content of courses visible to their company, and their own attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from werkzeug.exceptions import NotFound

from app import visibility
from app.extensions import db
from app.live_content import lessons_per_course, words_per_course
from app.models import Course, Enrollment, Item, Lesson, LessonProgress, User


def visible_courses(user: User) -> Select:
    """Published, live courses that the user's company may see."""
    return visibility.company_courses(user.company_id)


def live_lessons(course_id: int) -> Select:
    """A course's published, live lessons in their order."""
    return (
        select(Lesson)
        .where(Lesson.course_id == course_id, visibility.published(Lesson))
        .order_by(Lesson.position)
    )


def get_course(user: User, course_id: int) -> Course:
    """A course the user may see; 404 otherwise (another company's private course included)."""
    course = db.session.scalar(visible_courses(user).where(Course.id == course_id))
    if course is None:
        raise NotFound()
    return course


def get_lesson(user: User, lesson_id: int) -> Lesson:
    """A published, live lesson of a course the user may see; 404 otherwise."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or not lesson.published or lesson.retired_at is not None:
        raise NotFound()
    get_course(user, lesson.course_id)
    return lesson


@dataclass(frozen=True)
class CourseRow:
    course: Course
    lessons: int
    words: int
    completed: int
    enrollment: Enrollment | None

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.lessons) if self.lessons else 0


def catalogue(user: User) -> list[CourseRow]:
    """Courses visible to my company with their length and my progress (four queries)."""
    courses = db.session.scalars(visible_courses(user).order_by(Course.kind, Course.title)).all()
    ids = [c.id for c in courses]
    live = visibility.published(Lesson)
    lessons = lessons_per_course(Lesson.course_id.in_(ids), live)
    words = words_per_course(Lesson.course_id.in_(ids), live, visibility.live(Item))
    done = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(LessonProgress.id))
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(
                LessonProgress.user_id == user.id,
                LessonProgress.completed_at.is_not(None),
                Lesson.course_id.in_(ids),
                live,
            )
            .group_by(Lesson.course_id)
        ).all()
    )
    enrollments = {
        e.course_id: e
        for e in db.session.scalars(
            select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id.in_(ids))
        )
    }
    return [
        CourseRow(
            c, lessons.get(c.id, 0), words.get(c.id, 0), done.get(c.id, 0), enrollments.get(c.id)
        )
        for c in courses
    ]


def enroll(user: User, course_id: int) -> Enrollment:
    """Enrol myself in a visible course (idempotent)."""
    course = get_course(user, course_id)
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
    )
    if enrollment is None:
        enrollment = Enrollment(user_id=user.id, course_id=course.id)
        db.session.add(enrollment)
        db.session.flush()
    return enrollment
