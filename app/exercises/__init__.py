"""Exercise kinds: a registry of classes with plain-data `render` and `check`.

Pure: no Flask, no database, no `request`. `render` gives what the page may show (never the
answer key); `check` judges a submitted answer and says why. Trainers' course files name a
kind by its registry key (`choose_meaning`, …); new kinds plug in with `@register`.
"""

from app.exercises import kinds as _kinds  # noqa: F401  (registers the built-in kinds)
from app.exercises.base import (
    REGISTRY,
    AnswerError,
    ExerciseKind,
    Verdict,
    get_kind,
    register,
)

__all__ = ["REGISTRY", "AnswerError", "ExerciseKind", "Verdict", "get_kind", "register"]
