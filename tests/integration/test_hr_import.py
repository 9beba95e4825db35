"""Bulk import of employees: CSV and XLSX, per-row errors in Russian, all or nothing."""

from __future__ import annotations

import io

from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.hr.people import importing
from app.models import AuditEvent, Department, Enrollment, User


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plan(people, name, data):
    return importing.plan_import(people.hr_a, people.a, importing.read_table(name, data))


def _apply(people, name, data):
    plan, result = importing.apply_import(
        people.hr_a, people.a, importing.read_table(name, data), filename=name
    )
    db.session.commit()
    return plan, result


def _messages(plan):
    with force_locale("ru"):
        return [(p.line, p.column, importing.describe(p)) for p in plan.problems]


GOOD_CSV = (
    "\ufeffФИО;E-mail;Должность;Отдел;Руководитель\n"
    "Анна Белова;Anna.Belova@Alpha.example;Менеджер;Продажи;\n"
    "Олег Жуков;oleg@alpha.example;Аналитик;Маркетинг;anna.belova@alpha.example\n"
).encode()


def test_csv_with_bom_and_semicolons_creates_people_and_departments(people):
    plan, result = _apply(people, "staff.csv", GOOD_CSV)
    assert plan.ok and result is not None
    assert plan.new_departments == ["Маркетинг"]  # «Продажи» exists already
    anna = db.session.scalar(select(User).where(User.email == "anna.belova@alpha.example"))
    oleg = db.session.scalar(select(User).where(User.email == "oleg@alpha.example"))
    assert anna.company_id == people.a.id and anna.department_id == people.a_sales.id
    assert oleg.manager_id == anna.id and oleg.department.name == "Маркетинг"
    assert anna.password_hash is None  # a one-time link, never a password
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "people.import"))
    assert event.actor_id == people.hr_a.id and len(event.details["created"]) == 2


def test_xlsx_and_windows_1251_csv_are_read_too(people):
    xlsx = _xlsx([["E-mail", "ФИО", "Активен"], ["vera@alpha.example", "Вера Ким", "да"]])
    plan = _plan(people, "staff.xlsx", xlsx)
    assert plan.ok and [p.email for p in plan.people] == ["vera@alpha.example"]
    cp1251 = "ФИО,E-mail\nВера Ким,vera@alpha.example\n".encode("cp1251")
    plan = _plan(people, "staff.csv", cp1251)
    assert plan.ok and plan.people[0].full_name == "Вера Ким"


def test_every_bad_row_is_reported_with_line_column_and_reason_and_nothing_is_imported(people):
    data = (
        "ФИО;E-mail;Руководитель;Активен\n"
        "Анна Белова;anna@alpha.example;;да\n"  # fine
        ";broken-address;;да\n"  # two problems
        "Анна Дубль;ANNA@alpha.example;;да\n"  # duplicate of line 2
        "Чужой;learner@beta.example;;да\n"  # an account of company B
        "Пётр;petr@alpha.example;nobody@alpha.example;может быть\n"  # two problems
    ).encode()
    plan, result = _apply(people, "staff.csv", data)
    assert result is None
    assert _messages(plan) == [
        (3, "E-mail", "«broken-address» — неверный адрес электронной почты."),
        (3, "ФИО", "Значение обязательно."),
        (4, "E-mail", "Этот адрес уже указан в строке 2."),
        (
            5,
            "E-mail",
            "Этот адрес здесь использовать нельзя. Если это ошибка, обратитесь к администратору зоны.",
        ),
        (6, "Активен", "Значение «может быть» непонятно: напишите «да» или «нет»."),
        (6, "Руководитель", "В компании нет сотрудника с адресом nobody@alpha.example."),
    ]
    assert db.session.scalar(select(User).where(User.email == "anna@alpha.example")) is None
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_missing_columns_and_wrong_files_are_reported(people):
    plan = _plan(people, "staff.csv", "Имя сотрудника;Должность\nАнна;Менеджер\n".encode())
    assert [(p.line, p.column) for p in plan.problems] == [(1, "E-mail"), (1, "ФИО")]
    with force_locale("ru"):
        assert importing.describe(plan.problems[0]) == "Нет обязательного столбца."
    assert _plan(people, "staff.pdf", b"%PDF").problems[0].code == "file format"
    assert _plan(people, "staff.xlsx", b"not a zip").problems[0].code == "unreadable file"
    assert _plan(people, "staff.csv", b"").problems[0].code == "empty file"


def test_existing_people_are_updated_by_email_and_deactivation_keeps_history(people, content):
    db.session.add(Enrollment(user_id=people.learner_a.id, course_id=content.course.id))
    db.session.commit()
    data = (
        "E-mail;ФИО;Должность;Активен\n"
        "LEARNER@alpha.example;Learner Alpha;Старший менеджер;нет\n"
        "hr@alpha.example;Hr;;да\n"
    ).encode()
    plan = _plan(people, "staff.csv", data)
    assert [p.action for p in plan.people] == ["update", "unchanged"]
    assert plan.people[0].changes == {
        "full_name": ("Learner", "Learner Alpha"),
        "position": (None, "Старший менеджер"),
        "active": (True, False),
    }
    plan, result = _apply(people, "staff.csv", data)
    assert result is not None and result.updated == 1 and not result.created
    learner = db.session.get(User, people.learner_a.id)
    assert not learner.active and learner.deactivated_at is not None
    assert learner.department_id == people.a_sales.id  # no «Отдел» column: unchanged
    # history kept
    assert db.session.scalar(select(func.count(Enrollment.id))) == 1


def test_hr_cannot_deactivate_themselves_by_import(people):
    plan = _plan(people, "staff.csv", "E-mail;ФИО;Активен\nhr@alpha.example;Hr;нет\n".encode())
    assert [p.code for p in plan.problems] == ["deactivate self"]


def test_imported_people_get_their_departments_assignments(people, content):
    from datetime import date

    from app.hr.training.assignments import AssignmentData, create_assignment

    create_assignment(
        people.hr_a,
        people.a,
        AssignmentData(
            course_id=content.course.id,
            target="department",
            department_id=people.a_sales.id,
            due_date=date(2030, 1, 1),
        ),
    )
    db.session.commit()
    _apply(people, "staff.csv", GOOD_CSV)
    anna = db.session.scalar(select(User).where(User.email == "anna.belova@alpha.example"))
    oleg = db.session.scalar(select(User).where(User.email == "oleg@alpha.example"))
    enrolled = set(db.session.scalars(select(Enrollment.user_id)))
    assert anna.id in enrolled and oleg.id not in enrolled


def test_the_preview_changes_nothing(people):
    plan = _plan(people, "staff.csv", GOOD_CSV)
    assert plan.count("create") == 2
    db.session.rollback()
    assert db.session.scalar(select(func.count(Department.id))) == 2
    assert db.session.scalar(select(User).where(User.email == "oleg@alpha.example")) is None


def test_a_table_survives_the_round_trip_between_preview_and_confirm(people):
    table = importing.read_table("staff.csv", GOOD_CSV)
    again = importing.load_table(importing.dump_table(table))
    assert again.headers == table.headers and again.rows == table.rows


# --------------------------------------------------------------------------- query counts


def _staff(n: int, *, prefix: str = "p", position: str = "Инженер") -> bytes:
    """n people in five departments (two of them new), each but the first managed by the
    first, every tenth deactivated."""
    lines = ["ФИО;E-mail;Должность;Отдел;Руководитель;Активен"]
    for i in range(n):
        department = ("Продажи", "Маркетинг", "Склад", "Продажи", "Маркетинг")[i % 5]
        manager = f"{prefix}0@alpha.example" if i else ""
        active = "нет" if i % 10 == 9 else "да"
        lines.append(
            f"Сотрудник {i};{prefix}{i}@alpha.example;{position};{department};{manager};{active}"
        )
    return "\n".join(lines).encode()


def _statements_to_import(people, data: bytes) -> int:
    from sqlalchemy import event

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        plan, result = importing.apply_import(
            people.hr_a, people.a, importing.read_table("staff.csv", data), filename="staff.csv"
        )
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert plan.ok and result is not None, plan.problems[:3]
    db.session.commit()
    return len(statements)


def _assign_company_and_sales(people, content) -> None:
    from datetime import date

    from app.hr.training.assignments import AssignmentData, create_assignment

    for target, department_id in (("company", None), ("department", people.a_sales.id)):
        create_assignment(
            people.hr_a,
            people.a,
            AssignmentData(
                course_id=content.course.id,
                target=target,
                department_id=department_id,
                due_date=date(2030, 1, 1),
            ),
        )
    db.session.commit()


def test_an_import_issues_a_bounded_number_of_statements_whatever_its_size(people, content):
    """500 rows cost what 50 do: one look-up, a diff, set-based inserts and enrolments."""
    _assign_company_and_sales(people, content)
    small = _statements_to_import(people, _staff(50, prefix="small"))
    large = _statements_to_import(people, _staff(500, prefix="big"))
    assert large < 40, large
    assert large <= small + 2, (small, large)
    active = db.session.scalar(
        select(func.count(User.id)).where(User.email.like("big%@alpha.example"), User.active)
    )
    enrolled = db.session.scalar(
        select(func.count(Enrollment.id))
        .join(User, User.id == Enrollment.user_id)
        .where(User.email.like("big%@alpha.example"))
    )
    assert active == 450 and enrolled == 450  # the company's course, once each


def test_a_re_import_that_changes_everyone_is_bounded_too(people, content):
    _assign_company_and_sales(people, content)
    _statements_to_import(people, _staff(500))
    again = _statements_to_import(people, _staff(500, position="Ведущий инженер"))
    assert again < 40, again
    assert (
        db.session.scalar(select(func.count(User.id)).where(User.position == "Ведущий инженер"))
        == 500
    )
