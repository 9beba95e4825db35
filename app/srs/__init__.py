"""Spaced repetition on the `fsrs` package (FSRS-6): scheduling, the daily queue's rules,
typed-answer grading and statistics. A pure library: it imports neither Flask nor the database.
"""

from app.srs.answers import Grade, Verdict, grade_pinyin, grade_recall
from app.srs.days import day_start, study_day, today_bounds, zone
from app.srs.directions import directions_for
from app.srs.queue import Plan, QueueSettings, pick, plan
from app.srs.scheduling import (
    LEECH_LAPSES,
    CardState,
    Outcome,
    clamp_retention,
    preview,
    retrievability,
    review,
    scheduler_for,
)

__all__ = [
    "LEECH_LAPSES",
    "CardState",
    "Grade",
    "Outcome",
    "Plan",
    "QueueSettings",
    "Verdict",
    "clamp_retention",
    "day_start",
    "directions_for",
    "grade_pinyin",
    "grade_recall",
    "pick",
    "plan",
    "preview",
    "retrievability",
    "review",
    "scheduler_for",
    "study_day",
    "today_bounds",
    "zone",
]
