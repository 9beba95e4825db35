"""Exercise kinds: a registry of classes, one module per kind under `kinds/`.

Pure: no Flask, no database, no `request`. A kind owns its course-file schema, its editor
fields, its instruction, its template (`templates/exercises/`), answer parsing with size limits,
`render` (what the page may show, never the answer key), `check` (judges an answer and says
why), `speech` and the generator hook. Trainers' course files name a kind by its registry key
(`choose_meaning`, …). Adding a kind: a module in `kinds/` with `@register`, its template, and
one import line in `kinds/__init__.py`.
"""

from app.exercises import kinds as _kinds  # noqa: F401  (registers the built-in kinds)
from app.exercises.base import (
    REGISTRY,
    AnswerError,
    ExerciseKind,
    Material,
    Verdict,
    exercise_schema,
    generating_kinds,
    get_kind,
    register,
)

__all__ = [
    "REGISTRY",
    "AnswerError",
    "ExerciseKind",
    "Material",
    "Verdict",
    "exercise_schema",
    "generating_kinds",
    "get_kind",
    "register",
]
