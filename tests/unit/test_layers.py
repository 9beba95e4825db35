"""The import layers of ARCHITECTURE.md, checked on the source (no import is executed).

1. Pure libraries import no Flask, no database and no app module that is not pure itself.
2. Core modules (the top-level modules, models, ui, jobs, ops) import no blueprint package.
3. A blueprint never imports another blueprint's route modules.

A violation is reported as `file:line imports module`. Imports that break a rule today and are
being moved away are listed in KNOWN; the list only shrinks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

#: packages and modules with no Flask and no database: plain functions on plain data
PURE = (
    "app.chinese",
    "app.srs",
    "app.speech",
    "app.settings",
    "app.content.schema",
    "app.content.validate",
    "app.content.homoglyphs",
    "app.content.options",
    "app.content.markdown",
    "app.content.yamlfile",
    "app.content.types",
    "app.exercises",
)
#: what a pure module may not import (any app module outside PURE is refused as well)
FRAMEWORK = ("flask", "flask_", "werkzeug", "sqlalchemy", "alembic")
#: everything else is the core (top-level modules, models, ui, jobs, ops, content):
#: shared by the blueprints, so it may not depend on one
#: the composition root builds the app and its CLI from every blueprint, and the demo is seeded
#: through the blueprints' own services as the CLI would: they alone may know every blueprint
COMPOSITION_ROOT = ("app", "app.cli", "app.demo")
#: blueprint packages (pages and their services)
BLUEPRINTS = (
    "app.admin",
    "app.api_docs",
    "app.audio",
    "app.auth",
    "app.author",
    "app.hr",
    "app.learn",
    "app.placement",
    "app.pwa",
    "app.review",
    "app.uploads",
)

#: (importing module, imported module) pairs that break a rule today; the lead empties this
#: list as the imports move out (issue 15: accounts service, safe_next and shared forms out of
#: app.auth, hr mail to the core).
KNOWN: set[tuple[str, str]] = {
    # the backup needs the uploads folder; uploads_dir belongs in the core (config)
    ("app.ops.cli", "app.uploads.services"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    path = APP.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in the file, functions included; `from a import b`
    names a.b when b is a module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield node.lineno, full if is_module(full) else base


def within(name: str, prefixes: tuple[str, ...]) -> str | None:
    """The prefix `name` is, or lies under, if any."""
    for prefix in prefixes:
        if name == prefix or name.startswith(prefix + "."):
            return prefix
    return None


def is_routes(name: str) -> bool:
    last = name.rpartition(".")[2]
    return last == "routes" or last.endswith("_routes") or ".routes." in name + "."


def broken_rule(importer: str, imported: str) -> str | None:
    """Which rule `importer` breaks by importing `imported`, if any."""
    if within(importer, PURE):
        if imported.partition(".")[0] in FRAMEWORK or imported.startswith("flask_"):
            return "a pure library imports the framework"
        if within(imported, ("app",)) and not within(imported, PURE):
            return "a pure library imports an impure app module"
        return None
    own = within(importer, BLUEPRINTS)
    target = within(imported, BLUEPRINTS)
    if not own and importer not in COMPOSITION_ROOT and target:
        return "the core imports a blueprint"
    if own and target and own != target and is_routes(imported):
        return "a blueprint imports another blueprint's routes"
    return None


def violations() -> list[tuple[str, str, str, str]]:
    found: list[tuple[str, str, str, str]] = []
    for path in sorted(APP.rglob("*.py")):
        importer = module_name(path)
        for line, imported in imports(path):
            rule = broken_rule(importer, imported)
            if rule:
                where = f"{path.relative_to(APP.parent)}:{line}"
                if (where, importer, imported, rule) not in found:
                    found.append((where, importer, imported, rule))
    return found


def test_the_layers_hold():
    new = [
        f"{where} imports {imported} ({rule})"
        for where, importer, imported, rule in violations()
        if (importer, imported) not in KNOWN
    ]
    assert not new, "imports against ARCHITECTURE.md's layers:\n" + "\n".join(new)


def test_known_exceptions_still_exist():
    """A KNOWN pair that is gone must leave the list, so it cannot come back unnoticed."""
    current = {(importer, imported) for _, importer, imported, _ in violations()}
    assert not KNOWN - current, f"remove from KNOWN: {sorted(KNOWN - current)}"


def test_the_checker_sees_each_kind_of_violation():
    assert broken_rule("app.chinese.pinyin", "flask")
    assert broken_rule("app.srs.queue", "sqlalchemy.orm")
    assert broken_rule("app.content.schema", "app.models.course")
    assert broken_rule("app.links", "app.auth.forms")
    assert broken_rule("app.ui.filters", "app.learn.services")
    assert broken_rule("app.hr.routes", "app.learn.routes")
    assert broken_rule("app.author.views", "app.audio.author_routes")
    assert not broken_rule("app.hr.routes", "app.hr.people_routes")
    assert not broken_rule("app.hr.services", "app.learn.services")
    assert not broken_rule("app.cli", "app.hr.cli")
    assert not broken_rule("app.content.validate", "app.content.schema")
