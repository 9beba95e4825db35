"""One visibility rule: "live", "published" and "which courses a company may see" are written
once, in `app/visibility.py`; everywhere else builds its queries from those predicates.

The scan reads every module under `app/` (models and `app/visibility.py` aside) with `ast` and
fails, naming file and line, on a hand-written condition: `X.retired_at.is_(None)`,
`X.published.is_(True)` (or the same with `==`), or a query on `Course.visible_to_all` /
`CourseCompany.company_id` (the company-visibility rule itself).
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

#: where the rule may be spelled out: the rule itself, and the models that define the columns
ALLOWED = ("visibility.py", "models/")

#: column → the constant whose comparison makes a hand-written "live"/"published" condition
_CONDITIONS = {"retired_at": None, "published": True}
#: class attributes that only the company-visibility rule may query
_VISIBILITY_COLUMNS = {("Course", "visible_to_all"), ("CourseCompany", "company_id")}
_SQL_CONSTANTS = {None: "null", True: "true"}


def _is_constant(node: ast.AST, value: bool | None) -> bool:
    """`node` is the Python constant `value` or its SQL spelling (`true()`, `null()`)."""
    if isinstance(node, ast.Constant):
        return node.value is value
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and not node.args
        and node.func.id == _SQL_CONSTANTS[value]
    )


def _column(node: ast.AST) -> str | None:
    """`retired_at` or `published` when `node` is `<Something>.retired_at` / `.published`."""
    if isinstance(node, ast.Attribute) and node.attr in _CONDITIONS:
        return node.attr
    return None


def _is_class(node: ast.AST) -> bool:
    """A model class (`Lesson`), not an instance (`lesson`): only classes make SQL."""
    return isinstance(node, ast.Name) and node.id[:1].isupper()


def violations(source: str) -> list[tuple[int, str]]:
    """(line, what) for each hand-written visibility condition in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "is_"
            and len(node.args) == 1
            and (column := _column(node.func.value))
            and _is_constant(node.args[0], _CONDITIONS[column])
        ):
            found.append((node.lineno, f"{column}.is_({_CONDITIONS[column]})"))
        elif (
            isinstance(node, ast.Compare)
            and (column := _column(node.left))
            and _is_class(node.left.value)
            and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)
            and any(_is_constant(c, _CONDITIONS[column]) for c in node.comparators)
        ):
            found.append((node.lineno, f"{column} == {_CONDITIONS[column]}"))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in _VISIBILITY_COLUMNS
        ):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return found


def _scanned() -> dict[str, list[tuple[int, str]]]:
    result = {}
    for path in sorted(APP.rglob("*.py")):
        name = path.relative_to(APP).as_posix()
        if name == ALLOWED[0] or name.startswith(ALLOWED[1]):
            continue
        if found := violations(path.read_text(encoding="utf-8")):
            result[name] = found
    return result


def test_live_and_published_are_written_only_in_app_visibility():
    offending = _scanned()
    lines = [
        f"app/{name}:{line}: {what} (use app.visibility)"
        for name, found in offending.items()
        for line, what in found
    ]
    assert not lines, "hand-written visibility conditions:\n" + "\n".join(lines)


def test_the_scan_finds_each_kind_of_hand_written_condition():
    source = """
stmt = select(Lesson).where(Lesson.retired_at.is_(None), Lesson.published.is_(True))
stmt = stmt.where(Course.published == true(), Item.retired_at == None)
shared = or_(Course.visible_to_all.is_(True), CourseCompany.company_id == company_id)
fine = lesson.retired_at is None or course.visible_to_all or Card.suspended.is_(True)
"""
    assert sorted(violations(source)) == [
        (2, "published.is_(True)"),
        (2, "retired_at.is_(None)"),
        (3, "published == True"),
        (3, "retired_at == None"),
        (4, "Course.visible_to_all"),
        (4, "CourseCompany.company_id"),
    ]
