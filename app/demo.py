"""The demo: the zone administration, three companies, their departments and one user per role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts import (
    PersonFields,
    create_account,
    department_named,
    find_user_by_email,
    set_password,
    verify_password,
)
from app.extensions import db
from app.models import Company, CompanyKind, Department, Role


@dataclass(frozen=True)
class DemoAccount:
    role: str
    company: str
    email: str
    full_name: str
    department: str | None
    position: str
    extra_roles: tuple[str, ...] = ()


COMPANIES = (
    ("zone", "Администрация ОЭЗ", CompanyKind.ZONE, ("Учебный центр",)),
    ("lassard", "Лассард", CompanyKind.RESIDENT, ("Отдел продаж", "Закупки", "Отдел персонала")),
    ("hirana", "Хирана плюс", CompanyKind.RESIDENT, ("Логистика", "Бухгалтерия")),
    ("raytibor", "Райтибор", CompanyKind.RESIDENT, ("Производство", "Отдел продаж")),
)

ACCOUNTS = (
    DemoAccount(
        Role.ADMIN,
        "zone",
        "admin@zone.demo",
        "Ольга Кузнецова",
        None,
        "Руководитель отдела обучения",
    ),
    DemoAccount(
        Role.TRAINER,
        "zone",
        "trainer@zone.demo",
        "Мария Лебедева",
        "Учебный центр",
        "Преподаватель китайского языка",
    ),
    DemoAccount(
        Role.HR,
        "lassard",
        "hr@lassard.demo",
        "Елена Соколова",
        "Отдел персонала",
        "HR-менеджер",
        extra_roles=(Role.LEARNER,),
    ),
    DemoAccount(
        Role.LEARNER,
        "lassard",
        "learner@lassard.demo",
        "Игорь Петров",
        "Отдел продаж",
        "Менеджер по продажам",
    ),
    DemoAccount(
        Role.HR,
        "hirana",
        "hr@hirana.demo",
        "Наталья Орлова",
        "Бухгалтерия",
        "Специалист по персоналу",
    ),
    DemoAccount(
        Role.LEARNER, "hirana", "learner@hirana.demo", "Анна Смирнова", "Логистика", "Логист"
    ),
    DemoAccount(
        Role.HR,
        "raytibor",
        "hr@raytibor.demo",
        "Дмитрий Волков",
        "Производство",
        "Руководитель службы персонала",
    ),
    DemoAccount(
        Role.LEARNER,
        "raytibor",
        "learner@raytibor.demo",
        "Сергей Новиков",
        "Отдел продаж",
        "Инженер по продажам",
    ),
)


def _company(slug: str, name: str, kind: str) -> Company:
    company = db.session.scalar(select(Company).where(Company.slug == slug))
    if company is None:
        company = Company(slug=slug, name=name, kind=kind)
        db.session.add(company)
        db.session.flush()
    return company


def seed_demo(password: str) -> list[tuple[DemoAccount, Company]]:
    """Create what is missing of the demo; existing rows are left as they are.

    The password of an existing demo account is reset only when it differs from `password`.
    The caller commits.
    """
    companies: dict[str, Company] = {}
    departments: dict[tuple[str, str], Department] = {}
    for slug, name, kind, department_names in COMPANIES:
        companies[slug] = company = _company(slug, name, kind)
        for department_name in department_names:
            departments[slug, department_name] = department_named(company, department_name)

    result = []
    for account in ACCOUNTS:
        company = companies[account.company]
        user = find_user_by_email(account.email)
        if user is None:
            create_account(
                None,
                PersonFields(account.email, account.full_name, account.position),
                company=company,
                roles={account.role, *account.extra_roles},
                department=departments.get((account.company, account.department or "")),
                password=password,
            )
        elif not verify_password(user.password_hash, password):
            set_password(user, password)
        result.append((account, company))
    return result


#: the lesson whose words every demo learner has studied, so that reviews can start at once
DEMO_REVIEW_COURSE = "business-chinese-1"
DEMO_REVIEW_LESSON = "greetings"


def seed_review_cards() -> str | None:
    """Give each demo learner the review cards of the first business lesson's words, due now.

    Idempotent: cards that exist are left as they are (with their history). Returns None when
    done, or the reason it was skipped (the course has not been imported). The caller commits.
    """
    from app.models import Course, Item, ItemKind, Lesson
    from app.review.deck import ensure_cards

    lesson = db.session.scalar(
        select(Lesson)
        .join(Course, Course.id == Lesson.course_id)
        .where(Course.slug == DEMO_REVIEW_COURSE, Lesson.slug == DEMO_REVIEW_LESSON)
    )
    if lesson is None:
        return (
            f"review cards skipped: course {DEMO_REVIEW_COURSE} is not imported "
            "(run `flask courses import` first)"
        )
    words = db.session.scalars(
        select(Item)
        .where(Item.lesson_id == lesson.id, Item.kind == ItemKind.WORD)
        .order_by(Item.position)
    ).all()
    for account in ACCOUNTS:
        if Role.LEARNER not in (account.role, *account.extra_roles):
            continue
        user = find_user_by_email(account.email)
        if user is not None:
            ensure_cards(user, words)
    return None
