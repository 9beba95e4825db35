"""HR's reports: completion, overdue, trend and language readiness, aggregated in the database
(one person's report: `person_report`).

Each report is a handful of GROUP BY queries whatever the number of people or courses; Python
only arranges the grouped rows. Every function checks the company scope through app.policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, distinct, func, literal, select, text
from sqlalchemy.orm import aliased
from werkzeug.exceptions import NotFound

from app import policy
from app.chinese.levels import level_sizes
from app.extensions import db
from app.hr.training import scores
from app.hr.training.assignments import Status, due_at_for, status_expr
from app.hr.training.person_report import person_report  # noqa: F401 — one person's report
from app.hr.training.recall import card_recall, learner_decay
from app.models import (
    Card,
    Company,
    Course,
    Department,
    Enrollment,
    EnrollmentStatus,
    Item,
    ItemKind,
    Lesson,
    User,
    utcnow,
)

#: rows of the overdue list shown on the dashboard (the export has them all)
OVERDUE_LIMIT = 100
TREND_WEEKS = 12
#: a learner knows a word when its predicted recall today is at least this
KNOWN_RECALL = 0.9


@dataclass(frozen=True)
class ReportFilters:
    """What a report is about; `company_id` None means every company (zone admin only)."""

    company_id: int | None
    department_id: int | None = None
    course_id: int | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None

    def as_payload(self) -> dict[str, Any]:
        """The filters as JSON values (an export job's payload); `from_payload` reads them."""
        return {
            "company_id": self.company_id,
            "department_id": self.department_id,
            "course_id": self.course_id,
            "status": self.status,
            "due_from": self.due_from.isoformat() if self.due_from else None,
            "due_to": self.due_to.isoformat() if self.due_to else None,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ReportFilters:
        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(
            company_id=payload.get("company_id"),
            department_id=payload.get("department_id"),
            course_id=payload.get("course_id"),
            status=payload.get("status"),
            due_from=day(payload.get("due_from")),
            due_to=day(payload.get("due_to")),
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for export links): the form's field names."""
        return {
            _ARG_NAMES.get(key, key): str(value)
            for key, value in self.as_payload().items()
            if value
        }


#: the query-string names of the filters whose form field is named differently
_ARG_NAMES = {"company_id": "company", "department_id": "department", "course_id": "course"}


def describe_filters(filters: ReportFilters) -> dict[str, str]:
    """The filters with names instead of ids (company, department, course), for the audit log."""
    described = filters.as_args()
    for key, model, attr in (
        ("company", Company, "name"),
        ("department", Department, "name"),
        ("course", Course, "title"),
    ):
        if key in described:
            row = db.session.get(model, int(described[key]))
            if row is not None:
                described[key] = getattr(row, attr)
    return described


def check_filters(actor: User, filters: ReportFilters) -> ReportFilters:
    """Refuse filters naming another company or its departments (404); return them."""
    scope = policy.company_scope(actor)
    if scope is not None and filters.company_id != scope:
        raise NotFound()
    if filters.department_id is not None:
        department = policy.check_owned(actor, db.session.get(Department, filters.department_id))
        if filters.company_id is not None and department.company_id != filters.company_id:
            raise NotFound()
    if filters.status is not None and filters.status not in {s.value for s in Status}:
        raise NotFound()
    return filters


def enrollment_query(filters: ReportFilters, now: datetime, *columns) -> Select:
    """SELECT `columns` FROM enrolments of active people, narrowed by the filters."""
    stmt = (
        select(*columns)
        .select_from(Enrollment)
        .join(User, User.id == Enrollment.user_id)
        .where(User.active.is_(True))
    )
    if filters.company_id is not None:
        stmt = stmt.where(User.company_id == filters.company_id)
    if filters.department_id is not None:
        stmt = stmt.where(User.department_id == filters.department_id)
    if filters.course_id is not None:
        stmt = stmt.where(Enrollment.course_id == filters.course_id)
    if filters.status is not None:
        stmt = stmt.where(status_expr(now) == filters.status)
    if filters.due_from is not None:
        start = due_at_for(filters.due_from - timedelta(days=1))
        stmt = stmt.where(Enrollment.due_at > start)
    if filters.due_to is not None:
        stmt = stmt.where(Enrollment.due_at <= due_at_for(filters.due_to))
    return stmt


def listing_query(filters: ReportFilters, now: datetime, *columns) -> Select:
    """`enrollment_query` for a list of enrolments: with each one's course and the person's
    department (if any) to name."""
    return (
        enrollment_query(filters, now, *columns)
        .join(Course, Course.id == Enrollment.course_id)
        .outerjoin(Department, Department.id == User.department_id)
    )


# --------------------------------------------------------------------------- dashboard


@dataclass
class Tally:
    """Enrolments counted by derived status."""

    counts: dict[str, int] = field(default_factory=dict)
    #: exercises answered and answered right at the first attempt, over these enrolments
    answered: int = 0
    right: int = 0
    #: study time in these enrolments' courses (heartbeat), seconds
    seconds: int = 0

    def add(self, status: str, n: int, answered: int = 0, right: int = 0, seconds: int = 0) -> None:
        self.counts[status] = self.counts.get(status, 0) + n
        self.answered += answered
        self.right += right
        self.seconds += seconds

    @property
    def first_try(self) -> float | None:
        """Share of exercises right at the first attempt; None when none was answered."""
        return scores.share(self.right, self.answered)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def completed_share(self) -> float:
        return self[Status.COMPLETED] / self.total if self.total else 0.0


@dataclass(frozen=True)
class OverdueRow:
    enrollment_id: int
    user_id: int
    full_name: str
    email: str
    department: str | None
    course: str
    due_at: datetime
    days_overdue: int


@dataclass(frozen=True)
class TrendPoint:
    at: datetime
    assigned: int
    completed: int

    @property
    def share(self) -> float:
        return self.completed / self.assigned if self.assigned else 0.0


@dataclass(frozen=True)
class Dashboard:
    filters: ReportFilters
    total: Tally
    by_department: list[tuple[int | None, str, Tally]]
    by_course: list[tuple[int, str, Tally]]
    overdue: list[OverdueRow]
    overdue_total: int
    trend: list[TrendPoint]


def dashboard(actor: User, filters: ReportFilters, now: datetime | None = None) -> Dashboard:
    """Completion by department and course, the overdue list and the weekly trend."""
    check_filters(actor, filters)
    return dashboard_figures(filters, now or utcnow())


def roomy_sorts() -> None:
    """Let PostgreSQL group and sort a big company's enrolments in memory (64 MB for this
    transaction, not the default 4 MB): a hash aggregate instead of a sort spilled to disk."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))


def dashboard_figures(filters: ReportFilters, now: datetime) -> Dashboard:
    """`dashboard` for filters already checked (three queries)."""
    roomy_sorts()
    status = status_expr(now).label("status")
    points = trend_points(now)
    # the trend counts today's status filter out, so it shares the scan only without one
    with_trend = filters.status is None
    done = Enrollment.status == EnrollmentStatus.COMPLETED
    buckets = (
        [
            _bucket(Enrollment.created_at, points).label("created"),
            _bucket(Enrollment.completed_at, points, done).label("completed"),
        ]
        if with_trend
        else []
    )
    # grouped by ids in one pass over the enrolments (a hash aggregate), names joined after;
    # the summaries kept on write (app.enrolment_progress): no attempt or heartbeat is read
    keys = [User.department_id.label("department_id"), Enrollment.course_id, status, *buckets]
    grouped = (
        enrollment_query(
            filters,
            now,
            *keys,
            func.count(Enrollment.id).label("n"),
            func.sum(Enrollment.answered).label("answered"),
            func.sum(Enrollment.first_right).label("right"),
            func.sum(Enrollment.study_seconds).label("seconds"),
        )
        .group_by(*keys)
        .subquery()
    )
    grid = db.session.execute(
        select(
            grouped.c.department_id,
            Department.name,
            grouped.c.course_id,
            Course.title,
            grouped.c.status,
            grouped.c.n,
            grouped.c.answered,
            grouped.c.right,
            grouped.c.seconds,
            *([grouped.c.created, grouped.c.completed] if with_trend else []),
        )
        .select_from(grouped)
        .join(Course, Course.id == grouped.c.course_id)
        .outerjoin(Department, Department.id == grouped.c.department_id)
    ).all()
    total = Tally()
    departments: dict[int | None, tuple[str, Tally]] = {}
    courses: dict[int, tuple[str, Tally]] = {}
    assigned, completed = [0] * (len(points) + 1), [0] * (len(points) + 1)
    for row in grid:
        dept_id, dept_name, course_id, course_title, st, n, answered, right, seconds = row[:9]
        figures = (st, n, int(answered or 0), int(right or 0), int(seconds or 0))
        total.add(*figures)
        departments.setdefault(dept_id, (dept_name or "", Tally()))[1].add(*figures)
        courses.setdefault(course_id, (course_title, Tally()))[1].add(*figures)
        if with_trend:
            assigned[row[9]] += n
            completed[row[10]] += n
    by_department = sorted(
        ((k, name, t) for k, (name, t) in departments.items()),
        key=lambda r: (r[0] is None, r[1].lower()),
    )
    by_course = sorted(((k, n, t) for k, (n, t) in courses.items()), key=lambda r: r[1].lower())
    overdue = overdue_rows(filters, now, limit=OVERDUE_LIMIT)
    return Dashboard(
        filters=filters,
        total=total,
        by_department=by_department,
        by_course=by_course,
        overdue=overdue,
        overdue_total=total[Status.OVERDUE],
        trend=_cumulative(points, assigned, completed) if with_trend else trend(filters, now),
    )


def trend_points(now: datetime, weeks: int = TREND_WEEKS) -> list[datetime]:
    """The ends of the last `weeks` weeks, the last one now."""
    return [now - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _bucket(column, points: list[datetime], condition=None):
    """SQL: the index of the first point at or after `column` (len(points) when none is, or
    the condition fails): a row counts at that point of the trend and every later one."""
    whens = [(column <= at if condition is None else and_(condition, column <= at), i)
             for i, at in enumerate(points)]  # fmt: skip
    return case(*whens, else_=len(points))


def _cumulative(points: list[datetime], assigned: list[int], completed: list[int]):
    """The trend from enrolments counted by bucket (`_bucket`)."""
    out, a, c = [], 0, 0
    for i, at in enumerate(points):
        a, c = a + assigned[i], c + completed[i]
        out.append(TrendPoint(at, a, c))
    return out


def _overdue_query(filters: ReportFilters, now: datetime) -> Select:
    manager = aliased(User)
    return (
        listing_query(
            filters,
            now,
            Enrollment.id,
            User.id,
            User.full_name,
            User.email,
            Department.name,
            Course.title,
            Enrollment.due_at,
            User.position,
            manager.full_name,
            manager.email,
        )
        .outerjoin(manager, manager.id == User.manager_id)
        .where(
            Enrollment.status != EnrollmentStatus.COMPLETED,
            Enrollment.due_at.is_not(None),
            Enrollment.due_at < now,
        )
        .order_by(Enrollment.due_at, User.full_name, Enrollment.id)
    )


def overdue_rows(filters: ReportFilters, now: datetime, *, limit: int) -> list[OverdueRow]:
    """The most overdue first."""
    rows = db.session.execute(_overdue_query(filters, now).limit(limit)).all()
    return [
        OverdueRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], (now - r[6]).days + 1) for r in rows
    ]


def trend(filters: ReportFilters, now: datetime, weeks: int = TREND_WEEKS) -> list[TrendPoint]:
    """Completion share at the end of each of the last `weeks` weeks (one query)."""
    points = trend_points(now, weeks)
    columns = []
    for at in points:
        columns.append(func.sum(_flag(Enrollment.created_at <= at)))
        columns.append(
            func.sum(
                _flag(
                    and_(
                        Enrollment.status == EnrollmentStatus.COMPLETED,
                        Enrollment.completed_at <= at,
                    )
                )
            )
        )
    # the status filter describes today, not the past: the trend ignores it
    unfiltered = replace(filters, status=None)
    row = db.session.execute(enrollment_query(unfiltered, now, *columns)).one()
    return [
        TrendPoint(at, int(row[2 * i] or 0), int(row[2 * i + 1] or 0))
        for i, at in enumerate(points)
    ]


def _flag(condition):
    return case((condition, 1), else_=0)


# --------------------------------------------------------------------------- readiness


@dataclass
class LevelStats:
    words: int = 0
    recall_sum: float = 0.0
    #: learner × word pairs recalled with probability ≥ KNOWN_RECALL
    known: int = 0

    @property
    def recall(self) -> float:
        return self.recall_sum / self.words if self.words else 0.0


@dataclass
class Readiness:
    """A department's vocabulary: words learned by HSK level and predicted recall today."""

    department_id: int | None
    name: str
    learners: int = 0
    levels: dict[int, LevelStats] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.levels.values())

    @property
    def recall(self) -> float:
        words = self.words
        return sum(s.recall_sum for s in self.levels.values()) / words if words else 0.0

    @property
    def words_per_learner(self) -> float:
        return self.words / self.learners if self.learners else 0.0

    @property
    def remembered_per_learner(self) -> float:
        """Words a learner is expected to recall today: the sum of predicted recall."""
        total = sum(s.recall_sum for s in self.levels.values())
        return total / self.learners if self.learners else 0.0

    def known_share(self, level: int) -> float:
        """Share of the HSK 3.0 list of `level` an average learner knows (recall ≥ 0.9)."""
        size = level_sizes().get(level, 0)
        stats = self.levels.get(level)
        if not size or not self.learners or stats is None:
            return 0.0
        return min(1.0, stats.known / (self.learners * size))

    @property
    def known_levels(self) -> list[tuple[int, float]]:
        """(level, share known) for each HSK level with at least one known word, ascending."""
        return [
            (level, self.known_share(level))
            for level in sorted(k for k in self.levels if k)
            if self.levels[level].known
        ]


def readiness(actor: User, filters: ReportFilters, now: datetime | None = None) -> list[Readiness]:
    """Per department: learners, words learned per HSK level and their mean predicted recall.

    A word counts once per learner (its best card direction); recall is FSRS retrievability
    from each card's stability and the days since its last review, computed in SQL. Computed
    live over every card of the company (the page reads `readiness_store`'s snapshot of it).
    """
    check_filters(actor, filters)
    levels, learners = readiness_rows(filters, now or utcnow())
    return arrange_readiness(
        [(dept, hsk, words, recall, known) for dept, _c, hsk, words, recall, known in levels],
        {dept: n for dept, _c, n in learners},
    )


def readiness_rows(
    filters: ReportFilters, now: datetime, *, by_course: bool = False
) -> tuple[list[tuple], list[tuple]]:
    """Readiness grouped in SQL (two queries): rows (department, course, HSK level, words,
    recall sum, known) and (department, course, learners); course is None unless `by_course`
    (then a word is counted once per course rather than once in all)."""
    per_word = (
        select(
            Card.user_id.label("user_id"),
            User.department_id.label("department_id"),
            (Lesson.course_id if by_course else literal(None)).label("course_id"),
            Item.hsk.label("hsk"),
            func.max(card_recall(now, learner_decay())).label("recall"),
        )
        .join(User, User.id == Card.user_id)
        .join(Item, Item.id == Card.item_id)
        .where(Card.last_review.is_not(None), User.active.is_(True), Item.kind == ItemKind.WORD)
    )
    if by_course:
        per_word = per_word.join(Lesson, Lesson.id == Item.lesson_id)
    if filters.company_id is not None:
        per_word = per_word.where(User.company_id == filters.company_id)
    if filters.department_id is not None:
        per_word = per_word.where(User.department_id == filters.department_id)
    if filters.course_id is not None:
        per_word = per_word.where(
            Card.item_id.in_(
                select(Item.id)
                .join(Lesson, Lesson.id == Item.lesson_id)
                .where(Lesson.course_id == filters.course_id)
            )
        )
    # one row per learner and word (the same word in two courses once): its best card
    keys = [Card.user_id, User.department_id, Item.hanzi, Item.hsk]
    per_word = per_word.group_by(*keys, *([Lesson.course_id] if by_course else [])).subquery()
    groups = [per_word.c.department_id, per_word.c.course_id]
    levels = db.session.execute(
        select(
            *groups,
            per_word.c.hsk,
            func.count(),
            func.sum(per_word.c.recall),
            func.sum(case((per_word.c.recall >= KNOWN_RECALL, 1), else_=0)),
        ).group_by(*groups, per_word.c.hsk)
    ).all()
    learners = db.session.execute(
        select(*groups, func.count(distinct(per_word.c.user_id))).group_by(*groups)
    ).all()
    return [tuple(r) for r in levels], [tuple(r) for r in learners]


def arrange_readiness(levels: list[tuple], learners: dict[int | None, int]) -> list[Readiness]:
    """Readiness per department, sorted by name, from grouped rows (department, HSK level,
    words, recall sum, known) and learners per department (one query for the names)."""
    names = dict(
        db.session.execute(
            select(Department.id, Department.name).where(
                Department.id.in_([k for k in learners if k is not None])
            )
        ).all()
    )
    result: dict[int | None, Readiness] = {
        k: Readiness(k, names.get(k, "") if k else "", learners=n) for k, n in learners.items()
    }
    for dept_id, hsk, words, recall_sum, known in levels:
        stats = result[dept_id].levels.setdefault(hsk or 0, LevelStats())
        stats.words += int(words)
        stats.recall_sum += float(recall_sum or 0.0)
        stats.known += int(known or 0)
    return sorted(result.values(), key=lambda r: (r.department_id is None, r.name.lower()))
